import { describe, expect, it } from 'vitest'

import { InterruptedBeforeApply, unlessInterrupted } from '../../src/workflow/interruptible.js'

/** A promise and the functions that settle it. */
function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('unlessInterrupted', () => {
  it('passes the work’s value and error through when nothing interrupts', async () => {
    const controller = new AbortController()
    await expect(unlessInterrupted(Promise.resolve(7), controller.signal)).resolves.toBe(7)
    await expect(unlessInterrupted(Promise.reject(new Error('boom')), controller.signal)).rejects.toThrow('boom')
  })

  it('rejects at once on abort, and cleans up once what the abandoned work yields later', async () => {
    const controller = new AbortController()
    const work = deferred<string>()
    const cleaned: string[] = []
    const waiting = unlessInterrupted(work.promise, controller.signal, async (value) => void cleaned.push(value))
    controller.abort()
    await expect(waiting).rejects.toBeInstanceOf(InterruptedBeforeApply)
    work.resolve('session')
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(cleaned).toEqual(['session'])
  })

  it('an abandoned work that fails later is not an unhandled rejection', async () => {
    const controller = new AbortController()
    controller.abort()
    const work = deferred<string>()
    await expect(unlessInterrupted(work.promise, controller.signal)).rejects.toBeInstanceOf(InterruptedBeforeApply)
    work.reject(new Error('late'))
    await new Promise((resolve) => setTimeout(resolve, 5))
  })
})
