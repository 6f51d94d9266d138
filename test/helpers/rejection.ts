import { expect } from 'vitest'

/** The error a promise rejects with, after checking that it does reject, and with an error of `type`. */
export async function rejectionOf<E extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => E, what = 'the promise rejects'): Promise<E> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(outcome, what).toBeInstanceOf(type)
  return outcome as E
}
