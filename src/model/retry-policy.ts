/**
 * How hard a run tries again, in one shape for every platform: requests that are safe to repeat,
 * creates (never repeated blind, see providers/safe-create.ts), and the clock they wait on. The
 * CLI always runs with PRODUCTION_RETRY_POLICY; tests and benchmarks inject shorter waits.
 */
export interface RequestRetry {
  /** Attempts in all, the first included. */
  maxAttempts: number
  /** First backoff delay; doubles per attempt, with jitter, up to `maxDelayMs`. */
  baseDelayMs: number
  maxDelayMs: number
  /** A `Retry-After` longer than this is not waited for: the error is returned instead. */
  maxRetryAfterMs: number
}

export interface CreateRetry {
  /** POST attempts in all, the first included. */
  attempts: number
  /** Wait before the second attempt; doubles after each further one. */
  backoffMs: number
  /**
   * After a failure that leaves the request in doubt, the waits between further lookups before
   * the POST is tried again (a create the platform commits late is found, not made twice).
   */
  settleDelaysMs: readonly number[]
}

export interface RetryPolicy {
  requests: RequestRetry
  creates: CreateRetry
  sleep: (ms: number) => Promise<void>
}

export const PRODUCTION_RETRY_POLICY: RetryPolicy = {
  requests: { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 8000, maxRetryAfterMs: 60_000 },
  creates: { attempts: 3, backoffMs: 500, settleDelaysMs: [500, 1000, 2000, 4000] },
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}
