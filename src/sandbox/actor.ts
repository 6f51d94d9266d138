import { createHash } from 'node:crypto'

/**
 * The identity behind an API key, as the emulated platforms record it (`last_updated_by`,
 * `created_by`). A key that looks like an email address is used as is, so tests can act as
 * different people; any other key maps to a stable pseudonymous address (never the key itself).
 */
export function actorForKey(key: string): string {
  if (/^[^@\s]+@[^@\s]+$/.test(key)) return key
  return `api-key-${createHash('sha256').update(key).digest('hex').slice(0, 8)}@sandbox.local`
}
