/**
 * Creates that are safe to repeat, and safe to run from several places at once. A POST is never
 * retried blind: when it fails in a way that leaves open whether the server acted, the resource
 * is looked up by its identity first, and looked up again after short waits when the server may
 * still be acting (a gateway that timed out while the platform carries on). Found: it is adopted
 * (and brought to the file's values if it differs). Not found: the POST is tried again, a bounded
 * number of times. A 409 on a unique identity means the resource exists: it is adopted too.
 *
 * Where the platform does not keep the identity unique, the kind confirms each create: it checks
 * by identity and, when this run's copy turns out to be a second one, removes it and adopts the
 * first (see `SafeCreate.confirm`).
 */
import type { CreateRetry, RetryPolicy } from '../model/retry-policy.js'
import { ConflictError, HttpStatusError, NetworkError, ServerError, UnexpectedResponseError } from '../http/errors.js'

/** How the creates of one provider are retried: the run's policy, and who is told of each repeated POST. */
export interface CreateRetryPolicy extends CreateRetry {
  sleep: RetryPolicy['sleep']
  /** Told before each repeated POST (for verbose output). */
  onRetry?: (attempt: number, delayMs: number, failure: unknown) => void
}

/** The create part of a run's retry policy. */
export function createRetryOf(policy: RetryPolicy): CreateRetryPolicy {
  return { ...policy.creates, sleep: policy.sleep }
}

/** How one kind is created, found by identity, and adopted. */
export interface SafeCreate<Created, Found> {
  post(): Promise<Created>
  /** Looks the resource up by identity; undefined when it does not exist. */
  find(): Promise<Found | undefined>
  /** Takes over a resource that exists already. */
  adopt(found: Found, context: AdoptContext): Promise<AdoptResult>
  /** True when the platform refuses a second resource of the same identity (with a 409). */
  uniqueIdentity: boolean
  /**
   * Called after a successful POST, for identities the platform does not keep unique: checks by
   * identity and may hand back an adoption instead (this run's copy was a second one, removed).
   */
  confirm?(created: Created): Promise<CreateResult<Created>>
}

/** Why an existing resource was adopted instead of created, and what is left of the wait for late commits. */
export interface AdoptContext {
  why: Exclude<CreateFailure, 'refused'>
  /**
   * For a request in doubt: how much longer the platform may still commit it (the settle waits not
   * used up because the resource was found early). A kind whose identity is not unique watches that
   * long for a late copy.
   */
  settleRemainingMs: number
}

export interface AdoptResult {
  id: string | number
  /** Steps taken, for the report (e.g. `updated` when the adopted resource differed from the file). */
  steps: string[]
}

/** An adoption's steps start with why it happened (the report shows them). */
export type CreateResult<Created> = { created: Created } | { adopted: AdoptResult }

/** The first step of an adoption, for the report. */
export const ADOPTED_BECAUSE: Record<AdoptContext['why'], string> = {
  'in-doubt': 'adopted after an interrupted create',
  answered: 'adopted after an interrupted create',
  exists: 'adopted: it was created elsewhere first',
}

/** How a failed POST is read. */
export type CreateFailure =
  /** The identity is taken (409): the resource exists, so it is looked up and adopted. */
  | 'exists'
  /** The answer was lost, or a gateway gave up: the platform may have acted, or may still act. */
  | 'in-doubt'
  /** The server answered with an error after handling the request: what it did is visible now. */
  | 'answered'
  /** Refused (or never sent and already retried by the HTTP client): reported as is. */
  | 'refused'

export function classifyCreateFailure(error: unknown): CreateFailure {
  if (error instanceof ConflictError) return 'exists'
  if (error instanceof NetworkError) return error.ambiguous ? 'in-doubt' : 'refused'
  // A 2xx whose body is not what the contract says: the server may well have created it.
  if (error instanceof UnexpectedResponseError) return 'in-doubt'
  if (error instanceof HttpStatusError && (error.status === 502 || error.status === 504)) return 'in-doubt'
  if (error instanceof ServerError) return 'answered'
  return 'refused'
}

export async function createSafely<Created, Found>(
  create: SafeCreate<Created, Found>,
  policy: CreateRetryPolicy,
): Promise<CreateResult<Created>> {
  for (let attempt = 1; ; attempt += 1) {
    let created: Created
    try {
      created = await create.post()
    } catch (error) {
      const failure = classifyCreateFailure(error)
      if (failure === 'refused') throw error
      const delays = settleDelays(failure, create.uniqueIdentity, policy)
      const { found, waited } = await lookUp(create, delays, policy.sleep)
      if (found !== undefined) {
        const settleRemainingMs = delays.slice(waited).reduce((sum, ms) => sum + ms, 0)
        const adopted = await create.adopt(found, { why: failure, settleRemainingMs })
        return { adopted: { id: adopted.id, steps: [ADOPTED_BECAUSE[failure], ...adopted.steps] } }
      }
      // A conflict with nothing to be found cannot be settled by posting again.
      if (failure === 'exists' || attempt >= policy.attempts) throw error
      const delayMs = policy.backoffMs * 2 ** (attempt - 1)
      policy.onRetry?.(attempt, delayMs, error)
      await policy.sleep(delayMs)
      continue
    }
    return create.confirm ? create.confirm(created) : { created }
  }
}

/**
 * The waits before each further lookup. A request in doubt may still be committed, unless the
 * identity is unique (then the next POST's 409 tells); a conflict may not be listed yet.
 */
function settleDelays(failure: CreateFailure, uniqueIdentity: boolean, policy: CreateRetryPolicy): readonly number[] {
  if (failure === 'exists') return policy.settleDelaysMs
  if (failure === 'in-doubt' && !uniqueIdentity) return policy.settleDelaysMs
  return []
}

/** Looks, then looks again after each wait until found; says how many waits it took. */
async function lookUp<Found>(
  create: SafeCreate<unknown, Found>,
  delaysMs: readonly number[],
  sleep: (ms: number) => Promise<void>,
): Promise<{ found: Found | undefined; waited: number }> {
  let found = await create.find()
  let waited = 0
  while (found === undefined && waited < delaysMs.length) {
    await sleep(delaysMs[waited]!)
    waited += 1
    found = await create.find()
  }
  return { found, waited }
}
