/**
 * Helpers for turning a normalised live spec back into what a file would say (KindHandler.toFileSpec):
 * minimal (what the server would assume anyway is left out) and never holding a secret.
 */
import { isDeepStrictEqual } from 'node:util'

import type { Spec } from '../model/plan.js'

/**
 * The spec without null values and without fields that hold the server's default; `keep` names
 * fields a file must always write (the schema requires them), whatever their value.
 */
export function withoutDefaults(spec: Spec, defaults: Readonly<Spec>, keep: readonly string[] = []): Spec {
  const out: Spec = {}
  for (const [field, value] of Object.entries(spec)) {
    if (!keep.includes(field) && (value === null || value === undefined || (field in defaults && isDeepStrictEqual(value, defaults[field])))) continue
    out[field] = value
  }
  return out
}

/** An environment variable name made of the parts: `SYLLABLE_SPRING_RENEWALS_WEBHOOK_1_HMAC_SECRET`. */
export function secretVariableName(...parts: readonly (string | number)[]): string {
  const name = parts
    .map((part) => String(part).toUpperCase().replace(/[^A-Z0-9]+/g, '_'))
    .join('_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '')
  return /^[A-Z_]/.test(name) ? name : `_${name}`
}

/** How a file names a secret it does not hold: `${env:NAME}`. */
export function envPlaceholder(variable: string): string {
  return `\${env:${variable}}`
}
