/** A provider could not be set up (bad url, missing credentials, sandbox state unreadable). */
export class ProviderSetupError extends Error {}
