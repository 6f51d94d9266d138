import { failureToGithub, failureToJson, failureToMarkdown, type RunFailureReport } from '../../render/failure-report.js'
import type { CommandIo } from '../command-io.js'

/**
 * For `--format json|markdown|github`, a run that fails still prints one document on stdout (the
 * error object, a failure section, or error annotations), besides the usual message on stderr and its exit code.
 */
export async function withFailureDocument<T>(format: string, what: string, io: CommandIo, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof Error) {
      // Loaded only on failure: the report knows every kind of error, and so imports their modules.
      const { failureCode, reportError } = await import('../error-report.js')
      const message = reportError(error, '', {}).stderr.split('\n')[0]!.replace(/^(Internal error|Error): /, '')
      writeFailureDocument(format, what, io, { code: failureCode(error), message })
    }
    throw error
  }
}

export function writeFailureDocument(format: string, what: string, io: CommandIo, failure: RunFailureReport): void {
  if (format === 'json') io.stdout.write(failureToJson(failure))
  else if (format === 'markdown') io.stdout.write(failureToMarkdown(failure, what))
  else if (format === 'github') io.stdout.write(failureToGithub(failure, what))
}
