import type { ApplyOutcome } from '../model/apply-outcome.js'
import { formatApplyResultGithub, formatApplyStopGithub } from './apply-github.js'
import { applyResultToJson, applySucceeded, formatApplySummary } from './apply-report.js'
import { formatInvalidProject, formatValidationText } from './diagnostics.js'
import { failureToJson } from './failure-report.js'

/** What a command prints at its end, and the exit code it ends with. */
export interface CommandEnding {
  stdout: string
  stderr: string
  exitCode: number
}

export type ApplyFormat = 'text' | 'json' | 'github'
export const APPLY_FORMATS: readonly ApplyFormat[] = ['text', 'json', 'github']

export interface ApplyEndingOptions {
  format: ApplyFormat
  color: boolean
  /** The signal that interrupted the run, if one did, and the exit code it means (130, 143). */
  interruptedBy?: string
  interruptExitCode: number
}

/**
 * How an apply ended, in words and as an exit code: 0 when everything was applied (or nothing
 * was to do), 130/143 when interrupted, 1 for every other ending.
 */
export function renderApplyEnding(outcome: ApplyOutcome, options: ApplyEndingOptions): CommandEnding {
  const ending = describeEnding(outcome, options)
  if (options.format === 'github' && outcome.kind !== 'applied') return { ...ending, stdout: formatApplyStopGithub(outcome, ending.stderr.split('\n')[0]!.replace(/^Error: /, '')) }
  if (options.format !== 'json' || outcome.kind === 'applied') return ending
  // For tools, an apply that applied nothing is still one JSON document: the error, and why.
  const diagnostics = outcome.kind === 'invalid' ? outcome.load.diagnostics : outcome.kind === 'config-invalid' ? outcome.diagnostics.sorted() : []
  const message = outcome.kind === 'invalid' || outcome.kind === 'config-invalid' ? 'the files are invalid: nothing was applied' : ending.stderr.split('\n')[0]!.replace(/^Error: /, '')
  return { ...ending, stdout: failureToJson({ code: outcome.kind, message, diagnostics }) }
}

function describeEnding(outcome: ApplyOutcome, options: ApplyEndingOptions): CommandEnding {
  const failed = (stderr: string): CommandEnding => ({ stdout: '', stderr, exitCode: 1 })
  switch (outcome.kind) {
    case 'invalid':
      return failed(formatInvalidProject(outcome.load, 'Nothing was applied'))
    case 'config-invalid': {
      const { diagnostics } = outcome
      return failed(formatValidationText({ diagnostics: diagnostics.sorted(), omitted: diagnostics.omitted(), errorCount: diagnostics.errorCount, warningCount: diagnostics.warningCount, files: [], resources: [] }, false))
    }
    case 'plan-file-invalid':
      return failed(`Error: the plan file ${outcome.file} ${outcome.message}\n`)
    case 'plan-rejected':
      return failed(
        `Error: the saved plan ${outcome.file} does not pass this project's checks; nothing was applied:\n` +
          outcome.problems.map((problem) => `  ${outcome.file}: ${problem}\n`).join(''),
      )
    case 'refused':
      return failed(`Error: nothing was applied: ${outcome.reason}\n`)
    case 'stale':
      return failed(
        'Error: the saved plan is stale; nothing was applied. Make a new plan. What moved:\n' +
          outcome.stale.map((stale) => `  ${stale.address}: ${stale.reason}\n`).join(''),
      )
    case 'declined':
      return failed('Apply cancelled: nothing was changed.\n')
    case 'interrupted':
      return { stdout: '', stderr: 'Interrupted: nothing was applied.\n', exitCode: options.interruptExitCode }
    case 'applied': {
      const { result } = outcome
      const ending = options.interruptedBy !== undefined && result.interrupted ? { interruptedBy: options.interruptedBy } : {}
      const stdout =
        options.format === 'json'
          ? applyResultToJson(outcome.plan, result, ending)
          : options.format === 'github'
            ? formatApplyResultGithub(outcome.plan, result, ending)
            : formatApplySummary(result, options.color, ending)
      const exitCode = result.interrupted ? options.interruptExitCode : applySucceeded(result) ? 0 : 1
      return { stdout, stderr: '', exitCode }
    }
  }
}

/** Said on the first interrupt of an apply. */
export function firstInterruptNotice(signal: string, drainSeconds: number): string {
  return (
    `\nInterrupted (${signal}): starting nothing new; waiting up to ${drainSeconds} s for what is in flight. ` +
    'Interrupt again to stop at once.\n'
  )
}

/** Said on a second interrupt, just before the process ends. */
export const SECOND_INTERRUPT_NOTICE =
  'Interrupted again: stopping now, without waiting for the changes in flight; run `cac plan` to see what was applied.\n'
