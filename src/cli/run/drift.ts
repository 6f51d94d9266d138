import { WIDENING_STATES, type WideningState } from '../../model/drift.js'
import { renderDrift, type DriftFormat } from '../../render/drift-report.js'
import { formatInvalidProject } from '../../render/diagnostics.js'
import { formatNotes } from '../../render/plan-outcome.js'
import { driftProject } from '../../workflow/drift-project.js'
import type { CommandIo } from '../command-io.js'
import { UsageError } from '../command-errors.js'
import { withFailureDocument, writeFailureDocument } from './failure-output.js'
import { formatDriftMarkdown } from '../../render/drift-annotated.js'
import { appendStepSummary } from './step-summary.js'
import { colorOf, planRequestFrom, type PlatformFlagValues } from '../flag-values.js'

export interface DriftFlagValues extends Omit<PlatformFlagValues, 'pause-to-update'> {
  format: string
  ignore?: string[] | undefined
  'fail-on'?: string[] | undefined
}

/** `cac drift`: reads files and live state (GET only) and reports what moved behind git's back; returns the exit code. */
export async function runDrift(flags: DriftFlagValues, io: CommandIo): Promise<number> {
  const ignore = flags.ignore ?? []
  const malformed = ignore.find((pattern) => !/^.+:[^:]+$/.test(pattern))
  if (malformed !== undefined) throw new UsageError(`--ignore must be ADDRESS_GLOB:FIELD_PATH (e.g. "PROVIDER/campaign/*:hourly_rate"), got ${JSON.stringify(malformed)}`)
  const failOn = (flags['fail-on'] ?? []).flatMap((item) => item.split(',')).map((item) => item.trim())
  const unknown = failOn.find((item) => !(WIDENING_STATES as readonly string[]).includes(item))
  if (unknown !== undefined) throw new UsageError(`--fail-on takes ${WIDENING_STATES.join(', ')}; got ${JSON.stringify(unknown)}`)
  const outcome = await withFailureDocument(flags.format, 'cac drift', io, () => driftProject({ ...planRequestFrom({ ...flags, 'pause-to-update': false }, io), ignore }))
  if (outcome.kind === 'invalid') {
    io.stderr.write(formatInvalidProject(outcome.load, 'Nothing was sent to the platforms'))
    writeFailureDocument(flags.format, 'cac drift', io, { code: 'invalid-files', message: 'the files are invalid: nothing was sent to the platforms', diagnostics: outcome.load.diagnostics })
    return 1
  }
  io.stderr.write(formatNotes(outcome.notes))
  const ending = renderDrift(outcome.report, { format: flags.format as DriftFormat, color: colorOf(flags, io), failOn: failOn as WideningState[] })
  io.stdout.write(ending.stdout)
  await appendStepSummary(io, () => formatDriftMarkdown(outcome.report))
  return ending.exitCode
}
