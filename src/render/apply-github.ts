import type { ApplyOutcome } from '../model/apply-outcome.js'
import type { ApplyEvent, ApplyResult } from '../model/apply-result.js'
import type { Plan, ResourceChange } from '../model/plan.js'
import { applyWarnings, formatApplyEvent, formatApplyTotals, type ApplyEnding } from './apply-report.js'
import { diagnosticAnnotation } from './diagnostics.js'
import { formatAnnotation, type AnnotationLevel } from './github-commands.js'
import { changeAnnotation } from './plan-github.js'
import { createStyle } from './style.js'
import { printable } from './values.js'

/**
 * An apply in a GitHub Actions log, as it goes: a plain line per change made, an `::error` at the
 * definition of each change that failed (with the platform's message), a `::warning` at each one
 * skipped because something it needs failed.
 */
export function formatApplyEventGithub(event: ApplyEvent): string | undefined {
  switch (event.type) {
    case 'failure':
      return changeAnnotation('error', event.change, `failed ${event.change.address}: ${event.message}`)
    case 'skip':
      return changeAnnotation('warning', event.change, `skipped ${event.change.address}: ${event.reason}`)
    default:
      return formatApplyEvent(event, createStyle(false))
  }
}

/**
 * The end of an applied run: a `::warning` (an `::error` for a change in error) for each change not
 * attempted, not started or of unknown outcome, and for what a failure left behind (a campaign left
 * paused); notes as plain lines; then the summary line and, when incomplete, what to do next.
 */
export function formatApplyResultGithub(plan: Plan, result: ApplyResult, ending: ApplyEnding = {}): string {
  const changes = new Map(plan.changes.map((change) => [change.address, change]))
  const at = (level: AnnotationLevel, address: string, message: string) => {
    const change = changes.get(address)
    return change ? changeAnnotation(level, change, message) : formatAnnotation(level, { title: address }, message)
  }
  const lines: string[] = []
  for (const change of result.notAttempted) lines.push(changeAnnotation(change.action === 'error' ? 'error' : 'warning', change, notAttemptedMessage(change)))
  for (const { change, reason } of result.unfinished) lines.push(changeAnnotation('warning', change, `unfinished ${change.address}: ${reason}`))
  for (const { change, reason } of result.notStarted) lines.push(changeAnnotation('warning', change, `not started ${change.address}: ${reason}`))
  for (const followUp of result.followUps) if (!followUp.warning) lines.push(printable(`Note: ${followUp.address}: ${followUp.message}`))
  for (const { address, message } of applyWarnings(result)) lines.push(at('warning', address, `WARNING ${address}: ${message}`))
  const totals = formatApplyTotals(result, ending)
  lines.push(totals.line)
  lines.push(...totals.advice)
  return `${lines.join('\n')}\n`
}

function notAttemptedMessage(change: ResourceChange): string {
  return `${change.action} ${change.address}${change.reason !== undefined ? `: ${change.reason}` : ''}`
}

/**
 * An apply that ended before executing, as `::error` annotations: each problem of the files at its
 * line, each stale change at its definition, each problem of a saved plan at the plan file, else
 * one error saying why nothing was applied. A declined or interrupted run annotates nothing.
 */
export function formatApplyStopGithub(outcome: Exclude<ApplyOutcome, { kind: 'applied' }>, message: string): string {
  const lines: string[] = []
  const error = (where: { file?: string }, text: string) => lines.push(formatAnnotation('error', { ...where, title: 'cac apply failed' }, text))
  switch (outcome.kind) {
    case 'invalid':
      lines.push(...outcome.load.diagnostics.map(diagnosticAnnotation))
      break
    case 'config-invalid':
      lines.push(...outcome.diagnostics.sorted().map(diagnosticAnnotation))
      break
    case 'plan-rejected':
      for (const problem of outcome.problems) error({ file: outcome.file }, `the saved plan does not pass this project's checks: ${problem}`)
      break
    case 'plan-file-invalid':
      error({ file: outcome.file }, message)
      break
    case 'stale': {
      const changes = new Map(outcome.plan.changes.map((change) => [change.address, change]))
      for (const stale of outcome.stale) {
        const change = changes.get(stale.address)
        const text = `stale ${stale.address}: ${stale.reason}`
        lines.push(change ? changeAnnotation('error', change, text) : formatAnnotation('error', { title: stale.address }, text))
      }
      break
    }
    case 'refused':
      // A change in error is refused at its definition; a plan bound to other targets, as a whole.
      for (const change of outcome.plan.changes) if (change.action === 'error') lines.push(changeAnnotation('error', change, notAttemptedMessage(change)))
      error({}, message)
      break
    default:
      return ''
  }
  return `${lines.join('\n')}\n`
}
