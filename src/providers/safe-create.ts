/**
 * Creates that are safe to repeat. A POST is never retried blind: when it fails in a way that
 * leaves open whether the server acted (the connection dropped after sending, a 5xx), the resource
 * is looked up by its identity first. Found: it is adopted (and brought to the file's values if it
 * differs). Not found: the POST is tried again, a bounded number of times, with backoff.
 */
import { ConflictError, NetworkError, ServerError } from '../http/errors.js'

export interface CreateRetryPolicy {
  /** POST attempts in all, the first included. */
  attempts: number
  /** Wait before the second attempt; doubles after each further one. */
  backoffMs: number
  sleep: (ms: number) => Promise<void>
  /** Told before each repeated POST (for verbose output). */
  onRetry?: (attempt: number, delayMs: number, failure: unknown) => void
}

export const DEFAULT_CREATE_RETRY: CreateRetryPolicy = {
  attempts: 3,
  backoffMs: 250,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}

/** How one kind is created, found by identity, and adopted. */
export interface SafeCreate<Created, Found> {
  post(): Promise<Created>
  /** Looks the resource up by identity; undefined when it does not exist. */
  find(): Promise<Found | undefined>
  /** Takes over a resource that exists already (after an ambiguous failure). */
  adopt(found: Found): Promise<AdoptResult>
  /** True for an error after which the server may have created the resource. */
  mayHaveActed?(error: unknown, attempt: number): boolean
}

export interface AdoptResult {
  id: string | number
  /** Steps taken after adopting (e.g. `updated` when the adopted resource differed from the file). */
  steps: string[]
}

export type CreateResult<Created> = { created: Created } | { adopted: AdoptResult }

/** A failure where the request may have been processed: the answer, not the request, was lost. */
export function isAmbiguousFailure(error: unknown): boolean {
  return (error instanceof NetworkError && error.ambiguous) || error instanceof ServerError
}

/**
 * A 409 on a repeated create means an earlier attempt did create the resource. On the first
 * attempt it means someone else did, which the plan did not expect: that one is an error.
 */
export function isConflictAfterRetry(error: unknown, attempt: number): boolean {
  return error instanceof ConflictError && attempt > 1
}

export async function createSafely<Created, Found>(
  create: SafeCreate<Created, Found>,
  policy: CreateRetryPolicy,
): Promise<CreateResult<Created>> {
  const mayHaveActed = create.mayHaveActed ?? isAmbiguousFailure
  for (let attempt = 1; ; attempt += 1) {
    let failure: unknown
    try {
      return { created: await create.post() }
    } catch (error) {
      if (!mayHaveActed(error, attempt)) throw error
      failure = error
    }
    const found = await create.find()
    if (found !== undefined) return { adopted: await create.adopt(found) }
    if (attempt >= policy.attempts) throw failure
    const delayMs = policy.backoffMs * 2 ** (attempt - 1)
    policy.onRetry?.(attempt, delayMs, failure)
    await policy.sleep(delayMs)
  }
}
