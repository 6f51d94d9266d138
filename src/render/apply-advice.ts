import type { ApplyResult } from '../model/apply-result.js'
import type { FailureCause } from '../model/failure-cause.js'
import { printable } from './values.js'

/** Said when only a retry is needed: what failed, failed on the way. */
export const RETRY_ADVICE = 'Run apply again to retry what did not complete; what succeeded is not repeated.'

/** Said after an interrupt. */
export const INTERRUPTED_ADVICE = 'Nothing was started after the interrupt. Run apply again to finish; what succeeded is not repeated.'

/**
 * What to do after an apply that did not complete, a line per kind of trouble: a retry only for
 * what a retry can fix (the network, timeouts, throttling, server errors, an interrupt, changes
 * whose outcome is unknown); for the rest, what would let it through — the API key (401/403),
 * the file (a value the platform rejected, or a create-only field), the platform's current state
 * (404/409), the reason a change is blocked. Nothing for a complete apply.
 */
export function applyAdvice(result: ApplyResult, complete: boolean): string[] {
  if (result.interrupted) return [INTERRUPTED_ADVICE]
  if (complete) return []
  const failedWith = (cause: FailureCause) => result.failed.filter((failure) => failure.cause === cause)
  const lines: string[] = []

  const keys = [...new Set(failedWith('credentials').map((failure) => failure.change.provider))]
  if (keys.length > 0) lines.push(refusedKeyAdvice(keys))
  for (const { change, rejectedFields } of failedWith('rejected')) {
    const address = printable(change.address)
    lines.push(
      rejectedFields && rejectedFields.length > 0
        ? `Fix ${rejectedFields.map(printable).join(', ')} of ${address} in its file: the platform rejected it, and running apply again unchanged fails the same way.`
        : `Fix ${address} in its file where the platform rejected it (see its failure above): running apply again unchanged fails the same way.`,
    )
  }
  const moved = failedWith('state').map((failure) => failure.change.address)
  if (moved.length > 0) {
    lines.push(`Run cac plan to see where ${list(moved)} stand${moved.length === 1 ? 's' : ''} now: the platform does not allow the change in its current state, or it changed since the plan.`)
  }
  const blocked = result.notAttempted.filter((change) => change.action === 'blocked')
  if (blocked.length > 0) {
    lines.push(
      `${blocked.length === 1 ? 'The blocked change is' : `The ${blocked.length} blocked changes are`} not made by running apply again: ` +
        'do what the reason above says (e.g. --pause-to-update for a running campaign), or change the file.',
    )
  }
  const unexplained = failedWith('unknown').map((failure) => failure.change.address)
  if (unexplained.length > 0) lines.push(`See the failure of ${list(unexplained)} above, and run cac plan to see where things stand before applying again.`)

  const retryable = failedWith('transient').length + result.unfinished.length
  if (retryable > 0) lines.push(lines.length === 0 ? RETRY_ADVICE : `Run apply again to retry the ${retryable === 1 ? 'change' : `${retryable} changes`} that failed on the way (network, timeout, throttling or a server error); what succeeded is not repeated.`)
  return lines
}

/** What to do when a platform refused the API key of these providers (401/403), for apply and for any command that read. */
export function refusedKeyAdvice(providers: readonly string[]): string {
  return `The platform refused the API key of ${names('provider', providers)} (401/403): check the api_key in cac.yaml and the variable it names; trying again with the same key fails the same way.`
}

/** `provider syllable`, `providers syllable and sarvam`. */
function names(noun: string, items: readonly string[]): string {
  return `${noun}${items.length === 1 ? '' : 's'} ${list(items)}`
}

/** `a`, `a and b`, `a, b and c`; past five, `a, b, c, d, e and 3 more`. */
function list(items: readonly string[]): string {
  const shown = items.slice(0, 5).map(printable)
  const rest = items.length - shown.length
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`
  return shown.length <= 1 ? shown.join('') : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)!}`
}
