/** A provider could not be set up (bad url, missing credentials, sandbox state unreadable). */
export class ProviderSetupError extends Error {}

/** A platform could not be read or written: names the provider and where it was reached. */
export class PlatformError extends Error {
  constructor(
    readonly provider: string,
    target: string,
    cause: unknown,
  ) {
    super(`${provider} → ${target}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
  }
}

/** A provider's read, with any failure named after the provider and where it was reached. */
export function readFrom<T>(provider: { readonly name: string; readonly target: string }, read: Promise<T>): Promise<T> {
  return read.catch((error: unknown) => {
    throw new PlatformError(provider.name, provider.target, error)
  })
}

/** The run cannot go on as it was asked to (a --target that matches nothing): the message says why and what would. */
export class RunRefusal extends Error {}
