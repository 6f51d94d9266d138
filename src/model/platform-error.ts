/** A provider could not be set up (bad url, missing credentials, sandbox state unreadable). */
export class ProviderSetupError extends Error {}

/** A platform could not be read or written: names the provider and where it was reached. */
export class PlatformError extends Error {
  constructor(provider: string, target: string, cause: unknown) {
    super(`${provider} → ${target}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
  }
}
