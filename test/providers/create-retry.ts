import type { RetryPolicy } from '../../src/model/retry-policy.js'
import type { CreateRetryPolicy } from '../../src/providers/safe-create.js'
import { FAST_RETRY_POLICY } from '../helpers/fast-retry.js'

/** The fast retry policy with some of its create settings (attempts, waits, sleep) replaced. */
export function retryWithCreates(creates: Partial<CreateRetryPolicy>): RetryPolicy {
  const { sleep, onRetry: _onRetry, ...rest } = creates
  return { ...FAST_RETRY_POLICY, creates: { ...FAST_RETRY_POLICY.creates, ...rest }, ...(sleep ? { sleep } : {}) }
}
