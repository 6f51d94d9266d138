/**
 * Runs a command line the quick start read (quick-start.ts), ending as an oclif run would: the exit
 * code set, a failure reported by the same error report. This module is the entry of the bundle the
 * build writes (build-bundle.ts): every module a quick run loads is in that bundle, once, so the
 * output guard installed here scrubs with the same registry of secrets the command fills.
 */
import { processIoIn } from './command-io.js'
import { COMMAND_RUNNERS } from './command-runners.js'
import { guardProcessOutput } from './output.js'
import type { QuickLine } from './quick-start.js'

export async function runQuickLine(line: QuickLine): Promise<void> {
  guardProcessOutput()
  let exitCode: number
  try {
    exitCode = await COMMAND_RUNNERS[line.id](line.input, processIoIn(line.input.flags.directory as string | undefined))
  } catch (error) {
    const { reportError } = await import('./error-report.js')
    const report = reportError(error as Error, line.id, process.env)
    process.stderr.write(report.stderr)
    exitCode = report.exitCode
  }
  // As oclif ends a command that exits with a code: at once (it leaves a zero to the event loop).
  if (exitCode !== 0) process.exit(exitCode)
}
