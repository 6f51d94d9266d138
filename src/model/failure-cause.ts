/**
 * Why a change failed, as far as what to do next goes. Only a `transient` failure (the network, a
 * timeout, throttling, a server error) is worth retrying as it is; the others need something else
 * first: the credentials (`credentials`, 401/403), the files (`rejected`: the platform refused a
 * value, 400/422), a look at the platform's current state (`state`: it does not allow the change
 * now, or it moved since the plan, 404/409), or a reading of the message (`unknown`).
 */
export type FailureCause = 'transient' | 'credentials' | 'rejected' | 'state' | 'unknown'

/** An error that knows its cause (the HTTP client's errors do). */
export interface ErrorWithCause {
  readonly failureCause: FailureCause
  /** For `rejected`: the request fields the platform named (e.g. `hourly_rate`), when it named any. */
  readonly rejectedFields?: readonly string[]
}

export interface FailureClassification {
  cause: FailureCause
  /** The fields the platform rejected (empty when it named none, or for other causes). */
  fields: string[]
}

/** How deep a chain of wrapped errors is followed (`error.cause`). */
const MAX_CAUSE_DEPTH = 8

/** The cause of a failure: the first error of its chain (itself, then what it wraps) that knows it. */
export function classifyFailure(error: unknown): FailureClassification {
  let current: unknown = error
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current instanceof Error; depth += 1) {
    const known = current as Error & Partial<ErrorWithCause>
    if (typeof known.failureCause === 'string') return { cause: known.failureCause, fields: [...(known.rejectedFields ?? [])] }
    current = current.cause
  }
  return { cause: 'unknown', fields: [] }
}
