import { valueAt } from '../../model/values.js'
import { secretPathsOf } from '../secret-paths.js'
import type { Rule } from './rule.js'

const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
export const HMAC_MIN_BYTES = 32
export const HMAC_MAX_BYTES = 512

export type HmacCheck = { ok: true; bytes: number } | { ok: false; reason: string }

/** Checks key material: standard Base64 (RFC 4648, padded) decoding to 32–512 bytes. */
export function checkHmacSecret(value: string): HmacCheck {
  if (value === '' || !STANDARD_BASE64.test(value)) {
    return {
      ok: false,
      reason:
        'is not standard Base64 (RFC 4648: A–Z, a–z, 0–9, + and /, padded with =; not the URL-safe alphabet)',
    }
  }
  const bytes = Buffer.from(value, 'base64').length
  if (bytes < HMAC_MIN_BYTES || bytes > HMAC_MAX_BYTES) {
    return { ok: false, reason: `decodes to ${bytes} bytes; it must decode to ${HMAC_MIN_BYTES}–${HMAC_MAX_BYTES} bytes` }
  }
  return { ok: true, bytes }
}

/**
 * A webhook hmac_secret whose variable is set must be usable key material. The check runs only on
 * values that came from the environment, and the message never includes the value.
 */
export const hmacSecretEncoding: Rule = {
  name: 'hmac-secret-encoding',
  summary: 'a webhook hmac_secret, when its variable is set, is standard Base64 of 32–512 bytes',
  check(context) {
    for (const doc of context.documents) {
      for (const path of secretPathsOf(doc)) {
        const record = doc.source.interpolationAt(path)
        // Only values taken from a set variable: a literal or a default is `secret-literal`'s problem.
        if (!record || !record.references.every((ref) => ref.resolution === 'variable')) continue
        const value = valueAt(doc.source.value, path)
        if (typeof value !== 'string') continue
        const result = checkHmacSecret(value)
        if (result.ok) continue
        const origin = record.references.map((ref) => `\${env:${ref.name}}`).join(', ')
        context.report(
          doc.source,
          path,
          `the value of ${origin} ${result.reason} (generate one with: openssl rand -base64 32)`,
        )
      }
    }
  },
}
