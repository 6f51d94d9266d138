import type { PlanTarget } from '../model/plan.js'
import { isSecretValue, SENSITIVE } from '../model/secret.js'

/** A value as plans show it: JSON-like, compact, secrets masked, long values shortened. */
export function formatValue(value: unknown, maxLength = 120): string {
  if (value === undefined) return '(none)'
  if (value === SENSITIVE || isSecretValue(value)) return SENSITIVE
  const text = JSON.stringify(value, (_key, item: unknown) => (isSecretValue(item) || item === SENSITIVE ? SENSITIVE : item))
  if (text === undefined) return String(value)
  return text.length > maxLength ? `${text.slice(0, maxLength - 3)}...` : text
}

/** A JSON.stringify replacer that writes every secret as the "(sensitive)" marker. */
export function maskSecrets(_key: string, value: unknown): unknown {
  return isSecretValue(value) ? SENSITIVE : value
}

/** The targets as every JSON output shows them (provider, type, target; nothing a credential could hide in). */
export function targetsToJson(targets: readonly PlanTarget[]): { provider: string; type: string; target: string }[] {
  return targets.map((t) => ({ provider: t.provider, type: t.type, target: t.target }))
}
