import { PRODUCTION_RETRY_POLICY, type RetryPolicy } from '../../src/model/retry-policy.js'

/**
 * The production retry policy with its waits shortened: the same number of attempts and the same
 * honouring of Retry-After, but backoffs of a few milliseconds, so fault scenarios run in-process
 * without waiting out real backoff. The settle waits keep their count and shrink tenfold.
 */
export const FAST_RETRY_POLICY: RetryPolicy = {
  requests: { ...PRODUCTION_RETRY_POLICY.requests, baseDelayMs: 1, maxDelayMs: 5 },
  creates: { ...PRODUCTION_RETRY_POLICY.creates, backoffMs: 1, settleDelaysMs: PRODUCTION_RETRY_POLICY.creates.settleDelaysMs.map((ms) => ms / 10) },
  sleep: PRODUCTION_RETRY_POLICY.sleep,
}
