import type { PlanTarget } from '../model/plan.js'
import { isSecretValue, SENSITIVE } from '../model/secret.js'

/** A value as plans show it: JSON-like, compact, secrets masked, long values shortened. */
export function formatValue(value: unknown, maxLength = 120): string {
  if (value === undefined) return '(none)'
  if (value === SENSITIVE || isSecretValue(value)) return SENSITIVE
  const text = JSON.stringify(value, (_key, item: unknown) => (isSecretValue(item) || item === SENSITIVE ? SENSITIVE : item))
  if (text === undefined) return printable(String(value))
  return printable(text.length > maxLength ? `${text.slice(0, maxLength - 3)}...` : text)
}

/** A JSON.stringify replacer that writes every secret as the "(sensitive)" marker. */
export function maskSecrets(_key: string, value: unknown): unknown {
  return isSecretValue(value) ? SENSITIVE : value
}

/** The targets as every JSON output shows them (provider, type, target; nothing a credential could hide in). */
export function targetsToJson(targets: readonly PlanTarget[]): { provider: string; type: string; target: string }[] {
  return targets.map((t) => ({ provider: t.provider, type: t.type, target: t.target }))
}

/**
 * Text from outside (a name, a platform's message) made safe for a terminal: control characters
 * (C0 but tab, DEL, C1) and the bidirectional overrides that reorder what is shown are written as
 * `\u{…}` escapes, so a campaign name cannot colour, move or hide the output around it.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => `\\u{${char.codePointAt(0)!.toString(16).padStart(4, '0')}}`)
}

// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g
