import { DEFAULT_DRAIN_TIMEOUT_MS } from '../../apply/executor.js'
import type { ApplyOutcome } from '../../model/apply-outcome.js'
import type { Plan } from '../../model/plan.js'
import { ApplyProgress, formatApplySummary } from '../../render/apply-report.js'
import { formatApplyEventGithub } from '../../render/apply-github.js'
import { firstInterruptNotice, renderApplyEnding, SECOND_INTERRUPT_NOTICE, type ApplyFormat } from '../../render/apply-outcome.js'
import { formatNotes } from '../../render/plan-outcome.js'
import { formatPlanText } from '../../render/plan-text.js'
import { createStyle } from '../../render/style.js'
import { prepareApply, type ApplyRequest } from '../../workflow/apply-project.js'
import type { CommandIo } from '../command-io.js'
import { UsageError } from '../command-errors.js'
import { withFailureDocument } from './failure-output.js'
import { appendStepSummary, asMarkdownBlock } from './step-summary.js'
import { colorOf, planRequestFrom, type PlatformFlagValues } from '../flag-values.js'

export interface ApplyFlagValues extends PlatformFlagValues {
  'auto-approve': boolean
  format: string
  'lock-timeout': number
}

/**
 * `cac apply [PLANFILE]`: prepares the apply, shows the plan, asks (on a terminal, for a fresh
 * plan, without --auto-approve), executes with progress, and reports; returns the exit code.
 */
export async function runApply(flags: ApplyFlagValues, planFile: string | undefined, io: CommandIo): Promise<number> {
  if (planFile !== undefined && (flags.target?.length ?? 0) > 0) {
    throw new UsageError('--target cannot be combined with a plan file: the plan already fixes what is applied')
  }
  if (planFile === undefined && !flags['auto-approve'] && !io.interactive) {
    throw new UsageError('apply needs --auto-approve, or a plan file from `cac plan --out`, when there is no terminal to confirm on (or CI is set)')
  }
  const interrupts = io.watchInterrupts({
    onFirst: (signal) => io.stderr.write(firstInterruptNotice(signal, DEFAULT_DRAIN_TIMEOUT_MS / 1000)),
    onSecond: () => io.stderr.write(SECOND_INTERRUPT_NOTICE),
  })
  try {
    const request: ApplyRequest = {
      ...planRequestFrom(flags, io),
      ...(planFile !== undefined ? { planFile } : {}),
      signal: interrupts.signal,
      lockTimeoutMs: flags['lock-timeout'] * 1000,
      onLockNote: (note) => io.stderr.write(formatNotes([note])),
    }
    const outcome = await withFailureDocument(flags.format, 'cac apply', io, () => reviewAndApply(request, flags, io))
    const ending = renderApplyEnding(outcome, {
      format: flags.format as ApplyFormat,
      color: colorOf(flags, io),
      ...(interrupts.received !== undefined ? { interruptedBy: interrupts.received } : {}),
      interruptExitCode: interrupts.exitCode,
    })
    io.stdout.write(ending.stdout)
    io.stderr.write(ending.stderr)
    await appendStepSummary(io, () => asMarkdownBlock('cac apply', outcome.kind === 'applied' ? formatApplySummary(outcome.result, false) : ending.stderr))
    return ending.exitCode
  } finally {
    interrupts.dispose()
  }
}

/** Phase one, the plan shown (and confirmed), phase two with progress as changes finish. */
async function reviewAndApply(request: ApplyRequest, flags: ApplyFlagValues, io: CommandIo): Promise<ApplyOutcome> {
  const json = flags.format === 'json'
  // Annotations and plain lines for a workflow log: no colour.
  const color = flags.format === 'github' ? false : colorOf(flags, io)
  const prepared = await prepareApply(request)
  if ('notes' in prepared && prepared.notes) io.stderr.write(formatNotes(prepared.notes))
  if ('plan' in prepared && prepared.plan && !json) io.stdout.write(shownPlan(prepared.plan, flags.format, color))
  if (prepared.kind !== 'ready') return prepared
  if (prepared.needsConfirmation && !flags['auto-approve']) {
    // Nobody confirms what they cannot see: with JSON on stdout, the plan is shown on stderr.
    if (json) io.stderr.write(formatPlanText(prepared.plan, { color: false }))
    const yes = await io.confirm('\nApply these changes?', request.signal!).catch(async (error: unknown) => {
      await prepared.decline()
      throw error
    })
    if (!yes) return prepared.decline()
  }
  if (flags.format === 'github') return prepared.execute((event) => writeLine(io, formatApplyEventGithub(event)))
  const { create, update } = prepared.plan.summary
  const progress = new ApplyProgress((text) => (json ? undefined : io.stdout.write(text)), create + update, createStyle(color), io.interactive && io.stdout.isTTY)
  try {
    return await prepared.execute((event) => progress.onEvent(event))
  } finally {
    progress.finish()
  }
}

function writeLine(io: CommandIo, line: string | undefined): void {
  if (line !== undefined) io.stdout.write(`${line}\n`)
}

/** The plan before it is applied; in a GitHub Actions log, folded into a group. */
function shownPlan(plan: Plan, format: string, color: boolean): string {
  const text = formatPlanText(plan, { color })
  return format === 'github' ? `::group::cac apply: the plan\n${text}::endgroup::\n` : text
}
