import { loadProject } from '../../config/load-project.js'
import { formatValidationText, renderValidation, type ValidationFormat } from '../../render/diagnostics.js'
import { appendStepSummary, asMarkdownBlock } from './step-summary.js'
import type { CommandIo } from '../command-io.js'
import { UsageError } from '../command-errors.js'
import { colorOf } from '../flag-values.js'

export interface ValidateFlagValues {
  config?: string | undefined
  env?: string[] | undefined
  color?: boolean | undefined
  format: string
}

/** `cac validate [PATH…]`: checks the files offline and reports every problem; returns the exit code. */
export async function runValidate(flags: ValidateFlagValues, paths: readonly string[], io: CommandIo): Promise<number> {
  const stray = paths.find((arg) => arg.startsWith('-'))
  if (stray !== undefined) throw new UsageError(`unknown flag ${stray}`)
  const report = await loadProject({
    cwd: io.cwd,
    ...(flags.config !== undefined ? { configPath: flags.config } : {}),
    paths,
    env: io.env,
    envFiles: flags.env ?? [],
    secretsRequired: false,
  })
  io.stdout.write(renderValidation(report, flags.format as ValidationFormat, { color: colorOf(flags, io) }))
  await appendStepSummary(io, () => asMarkdownBlock('cac validate', formatValidationText(report, false)))
  return report.errorCount > 0 ? 1 : 0
}
