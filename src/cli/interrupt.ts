/**
 * Interrupts of a command that must end with a report (apply): the first SIGINT or SIGTERM
 * aborts `signal`, so the work starts nothing new and says what happened; a second one ends the
 * process at once. Either way the exit code is 128 + the first signal's number (130, 143), and the
 * locks the process holds are released by their exit hook.
 */
export type InterruptSignal = 'SIGINT' | 'SIGTERM'

const EXIT_CODES: Record<InterruptSignal, number> = { SIGINT: 130, SIGTERM: 143 }

export interface InterruptWatch {
  /** Aborted on the first signal. */
  readonly signal: AbortSignal
  /** The first signal received, if any. */
  readonly received: InterruptSignal | undefined
  /** 130 after SIGINT, 143 after SIGTERM. */
  readonly exitCode: number
  /** Stops listening (the default behaviour of the signals comes back). */
  dispose(): void
}

export interface InterruptHandlers {
  /** Called on the first signal, after `signal` is aborted. */
  onFirst: (signal: InterruptSignal) => void
  /** Called on a second signal, just before the process exits. */
  onSecond: (signal: InterruptSignal) => void
}

export function watchInterrupts(handlers: InterruptHandlers): InterruptWatch {
  const controller = new AbortController()
  let received: InterruptSignal | undefined
  const listener = (signal: InterruptSignal) => {
    if (received === undefined) {
      received = signal
      controller.abort(signal)
      handlers.onFirst(signal)
      return
    }
    handlers.onSecond(signal)
    process.exit(EXIT_CODES[received])
  }
  const onInt = () => listener('SIGINT')
  const onTerm = () => listener('SIGTERM')
  process.on('SIGINT', onInt)
  process.on('SIGTERM', onTerm)
  return {
    signal: controller.signal,
    get received() {
      return received
    },
    get exitCode() {
      return received === undefined ? 1 : EXIT_CODES[received]
    },
    dispose: () => {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
    },
  }
}
