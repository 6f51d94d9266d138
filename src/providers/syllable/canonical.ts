/**
 * Canonical forms of single Syllable values. Each function maps every spelling the platform or a
 * file may use for one value to a single form, so that the planner's diff sees equal values as
 * equal. Values a function does not recognise are returned unchanged: a surprising value must show
 * up in the plan rather than be silently rewritten.
 */
import { SENSITIVE, isSecretReference, isSecretValue } from '../../model/secret.js'
import { isRecord, rememberingAnswers, setOwn } from '../../model/values.js'

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

/** The only auth value the platform supports on a webhook. */
export const HMAC_SECRET = 'hmac_secret'


/** `caller_id` is text in the API's type but a bare number in its examples: 19995551234 ≡ "19995551234". */
export function canonicalCallerId(value: unknown): unknown {
  if (value === undefined || value === null) return null
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
  if (typeof value === 'bigint') return value.toString()
  return value
}

/** Active days are a set: duplicates dropped, in week order (mon..sun); unknown entries kept, last. */
export function canonicalWeekdays(value: unknown): unknown {
  if (!Array.isArray(value)) return value
  if (inWeekOrder(value)) return value.slice() // Already canonical (the usual case): a copy, as below.
  const known = WEEKDAYS.filter((day) => value.includes(day))
  const unknown = uniqueSorted(value.filter((day) => !(WEEKDAYS as readonly unknown[]).includes(day)))
  return [...known, ...unknown]
}

const WEEKDAY_POSITION: ReadonlyMap<unknown, number> = new Map(WEEKDAYS.map((day, index) => [day, index]))

/** True when every entry is a known weekday, each later in the week than the one before (no repeats). */
function inWeekOrder(days: readonly unknown[]): boolean {
  let previous = -1
  for (const day of days) {
    const position = WEEKDAY_POSITION.get(day)
    if (position === undefined || position <= previous) return false
    previous = position
  }
  return true
}

/** A list whose order and repetitions carry no meaning (line types, trigger statuses). */
export function canonicalSet(value: unknown): unknown {
  return Array.isArray(value) ? uniqueSorted(value) : value
}

/** Distinct items in code-unit order (by text for strings, by JSON text for anything else). */
function uniqueSorted(values: readonly unknown[]): unknown[] {
  const byKey = new Map<string, unknown>()
  for (const item of values) byKey.set(`${typeof item}:${typeof item === 'string' ? item : JSON.stringify(item)}`, item)
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item)
}

const CLOCK_TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/
const CANONICAL_CLOCK_TIME = /^\d{2}:\d{2}:\d{2}$/

/** A wall-clock time: "9:00", "09:00" and "09:00:00" are all "09:00:00" (the API's own example form). */
export function canonicalClockTime(value: unknown): unknown {
  if (value === undefined || value === null) return null
  if (typeof value !== 'string') return value
  if (CANONICAL_CLOCK_TIME.test(value)) return value // "09:00:00" already (what the API answers).
  const match = CLOCK_TIME.exec(value.trim())
  if (!match) return value
  const [, hours, minutes, seconds] = match
  return `${hours!.padStart(2, '0')}:${minutes}:${seconds ?? '00'}`
}

/**
 * An instant: any offset becomes UTC with `Z`, and milliseconds are written only when they are not
 * zero (`2026-12-31T23:59:59Z`), the form the files' examples use.
 */
export function canonicalInstant(value: unknown): unknown {
  if (value === undefined || value === null) return null
  // Many resources share an instant (a batch expiry, a campaign's end): each text is read once.
  if (typeof value === 'string') return canonicalInstantText(value)
  return canonicalInstantOf(value instanceof Date ? value.getTime() : Number.NaN, value)
}

const MAX_INSTANTS_REMEMBERED = 10_000
const canonicalInstantText = rememberingAnswers((text) => canonicalInstantOf(Date.parse(text), text), MAX_INSTANTS_REMEMBERED)

function canonicalInstantOf(ms: number, value: unknown): unknown {
  if (Number.isNaN(ms)) return value
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z')
}

/**
 * Labels, with the deprecated single `label` folded in: a campaign without labels but with a label
 * is the same as labels [label]. No labels at all (null, [] or nothing) is null.
 */
export function canonicalLabels(labels: unknown, label: unknown): unknown {
  if (Array.isArray(labels) && labels.length > 0) return [...labels]
  if (labels !== undefined && labels !== null && !Array.isArray(labels)) return labels
  if (typeof label === 'string' && label !== '') return [label]
  return null
}

/** "Empty or omitted means no filter": null and [] are the same; otherwise a sorted set. */
export function canonicalLineTypes(value: unknown): unknown {
  if (value === undefined || value === null) return null
  if (Array.isArray(value) && value.length === 0) return null
  return canonicalSet(value)
}

/**
 * Voicemail detection: null disables it; inside, a key set to null is the same as a key left out
 * (the platform lists every declared key, null where unset), so null keys are dropped.
 */
export function canonicalVoicemailDetection(value: unknown): unknown {
  if (value === undefined || value === null) return null
  if (!isRecord(value)) return value
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) if (value[key] !== null && value[key] !== undefined) setOwn(out, key, value[key])
  return out
}

/** Target filters with the platform's defaults filled in (match all, include unknown, rule values []). */
export function canonicalTargetFilters(value: unknown): unknown {
  if (value === undefined || value === null) return null
  if (!isRecord(value)) return value
  const rules = Array.isArray(value.rules) ? value.rules.map(canonicalTargetFilterRule) : (value.rules ?? [])
  return { match: value.match ?? 'all', on_unknown: value.on_unknown ?? 'include', rules }
}

function canonicalTargetFilterRule(rule: unknown): unknown {
  if (!isRecord(rule)) return rule
  return { field: rule.field, op: rule.op, values: rule.values ?? [] }
}

/** Campaign variables are text to the platform; a number or boolean stands for its text. */
export function canonicalVariables(value: unknown): unknown {
  if (value === undefined || value === null) return {}
  if (!isRecord(value)) return value
  if (!Object.values(value).some((item) => typeof item === 'number' || typeof item === 'boolean')) return { ...value } // Text already (the usual case): a copy, as below.
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    setOwn(out, key, typeof item === 'number' || typeof item === 'boolean' ? String(item) : item)
  }
  return out
}

/** HTTP method names are case-insensitive; the file format writes them in capitals. */
export function canonicalRequestMethod(value: unknown): unknown {
  return typeof value === 'string' ? value.toUpperCase() : value
}

/** True when a desired hmac_secret is declared: a SecretValue, its saved-plan reference, or text. */
export function isDeclaredSecret(value: unknown): boolean {
  return isSecretValue(value) || isSecretReference(value) || typeof value === 'string'
}

/** The presence marker that stands for a stored write-only secret in every normalised spec. */
export function secretPresent(): Record<string, string> {
  return { [HMAC_SECRET]: SENSITIVE }
}
