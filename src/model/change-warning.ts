/**
 * A failed change that left something on the platform the user must act on (e.g. a campaign
 * paused for an update and not resumed). The error says what failed; `warning` says what is left
 * behind, and the apply report shows it as a marked line of its own, so it is not lost among the
 * failures. Providers throw it; the executor and renderers read it through `warningOf`.
 */
export class FailureWithWarning extends Error {
  constructor(
    message: string,
    readonly warning: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = 'FailureWithWarning'
  }
}

/** The warning a failure carries, if any. */
export function warningOf(error: unknown): string | undefined {
  return error instanceof FailureWithWarning ? error.warning : undefined
}
