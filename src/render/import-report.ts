import type { ImportReport } from '../model/import-report.js'
import type { CommandEnding } from './apply-outcome.js'
import { printable } from './values.js'

export type ImportFormat = 'text' | 'json'
export const IMPORT_FORMATS: readonly ImportFormat[] = ['text', 'json']

/** What an import wrote (or would write), what it skipped and why, and the variables to set. Exit 1 only when nothing could be imported and something failed. */
export function renderImport(report: ImportReport, options: { format: ImportFormat; dryRun: boolean }): CommandEnding {
  const failedAll = report.files.length === 0 && report.skipped.some((skip) => skip.failed)
  const exitCode = failedAll ? 1 : 0
  if (options.format === 'json') {
    const body = {
      format_version: 1,
      dry_run: options.dryRun,
      files: report.files.map((file) => ({ file: file.file, addresses: file.addresses, written: file.written })),
      skipped: report.skipped.map((skip) => ({ address: skip.address, reason: skip.reason, failed: skip.failed })),
      variables: report.variables,
    }
    return { stdout: `${JSON.stringify(body, null, 2)}\n`, stderr: '', exitCode }
  }
  const lines: string[] = []
  for (const file of report.files) lines.push(`${options.dryRun ? 'would write' : 'wrote'}  ${file.file}  (${printable(file.addresses.join(', '))})`)
  for (const skip of report.skipped) lines.push(`skipped  ${printable(skip.address)}: ${printable(skip.reason)}`)
  if (report.variables.length > 0) {
    lines.push('', 'The platforms never return secrets; set these variables before plan or apply:', ...report.variables.map((name) => `  ${name}`))
  }
  lines.push('', `Import: ${report.files.length} ${options.dryRun ? 'to write' : 'written'}, ${report.skipped.length} skipped.`)
  return { stdout: `${lines.join('\n')}\n`, stderr: '', exitCode }
}
