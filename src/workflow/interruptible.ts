/**
 * Interrupts before an apply writes anything: reads (planning, re-reading a saved plan's
 * resources) cannot be cancelled one by one, but nothing is lost by not waiting for them, so the
 * apply stops at once and says that nothing was applied.
 */

/** The apply was interrupted before it applied anything. */
export class InterruptedBeforeApply extends Error {
  constructor() {
    super('interrupted before anything was applied')
  }
}

/**
 * Waits for `work`, unless `signal` aborts first: then rejects with InterruptedBeforeApply at
 * once, and `lateCleanup` disposes of what the abandoned work yields if it ever finishes (e.g.
 * closes the connections it opened).
 */
export function unlessInterrupted<T>(work: Promise<T>, signal: AbortSignal | undefined, lateCleanup?: (value: T) => Promise<void>): Promise<T> {
  if (!signal) return work
  return new Promise<T>((resolve, reject) => {
    let abandoned = false
    const onAbort = () => {
      abandoned = true
      reject(new InterruptedBeforeApply())
    }
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        if (abandoned) void lateCleanup?.(value).catch(() => undefined)
        else resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        if (!abandoned) reject(error)
      },
    )
  })
}

/** Throws InterruptedBeforeApply when the signal has aborted (checked just before the first write). */
export function throwIfInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedBeforeApply()
}
