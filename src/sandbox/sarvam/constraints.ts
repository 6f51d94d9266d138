/**
 * The validation rules of the Sarvam bodies that a JSON Schema cannot say: time formats, IANA zone
 * names, the timestamp windows and cross-field rules. Each returns pydantic-style entries
 * (`type: value_error`, `msg: "Value error, …"`), so that a request gets every problem in one 422,
 * as FastAPI answers.
 */
import { RequestValidationError, type Loc, type ValidationEntry } from '../request-validation.js'

const SECOND = 1000
const DAY = 24 * 60 * 60 * SECOND

/** Documented windows (sarvam.md §2.1). */
export const MIN_START_LEAD_MS = 120 * SECOND
export const MAX_START_LEAD_MS = 7 * DAY
export const MIN_DURATION_MS = 120 * SECOND
export const MAX_DURATION_MS = 30 * DAY

const HH_MM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/

/** A pydantic `ValueError` raised in a validator, as FastAPI serialises it. */
export function valueError(loc: Loc, message: string, input: unknown): ValidationEntry {
  return { type: 'value_error', loc, msg: `Value error, ${message}`, input, ctx: { error: {} } }
}

/** Runs a compiled body validator and returns its problems instead of throwing them. */
export function schemaProblems(validate: (body: unknown) => unknown, body: unknown): ValidationEntry[] {
  try {
    validate(body)
    return []
  } catch (error) {
    if (error instanceof RequestValidationError) return [...error.entries]
    throw error
  }
}

/** Throws one 422 with the entries, keeping the first one per location as pydantic reports one error per field. */
export function throwIfAny(entries: ValidationEntry[]): void {
  if (entries.length === 0) return
  const seen = new Set<string>()
  const firstPerLocation = entries.filter((entry) => {
    const key = JSON.stringify(entry.loc)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  throw new RequestValidationError(firstPerLocation)
}

/**
 * True when some entry already concerns `loc` or something below it. A model's own validator
 * (e.g. "start before end") only runs in pydantic once its fields are valid, so rules skip such values.
 */
export function alreadyFlagged(entries: ValidationEntry[], loc: Loc): boolean {
  return entries.some((entry) => loc.length <= entry.loc.length && loc.every((part, i) => entry.loc[i] === part))
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** AgentConfig: an experiment campaign names experiment_id instead of app_id/app_version; any other needs app_id. */
export function agentConfigProblems(appConfig: unknown, loc: Loc, known: ValidationEntry[]): ValidationEntry[] {
  if (!isObject(appConfig) || alreadyFlagged(known, loc)) return []
  if (appConfig.app_id === undefined && appConfig.experiment_id === undefined) {
    return [valueError(loc, 'app_id is required unless experiment_id is given', appConfig)]
  }
  return []
}

/** AllowedSchedule: "HH:MM" times, start before end (no overnight windows, an inference), a real IANA zone. */
export function allowedScheduleProblems(schedule: unknown, loc: Loc, known: ValidationEntry[]): ValidationEntry[] {
  if (!isObject(schedule)) return []
  const problems: ValidationEntry[] = []
  for (const field of ['allowed_start_time', 'allowed_end_time'] as const) {
    const value = schedule[field]
    if (typeof value === 'string' && !HH_MM.test(value)) {
      problems.push(valueError([...loc, field], `${field} must be a 24-hour time as HH:MM, e.g. "09:30"`, value))
    }
  }
  const timezone = schedule.timezone
  if (typeof timezone === 'string' && !isIanaTimeZone(timezone)) {
    problems.push(valueError([...loc, 'timezone'], `'${timezone}' is not a valid IANA time zone name`, timezone))
  }
  const start = schedule.allowed_start_time
  const end = schedule.allowed_end_time
  if (problems.length === 0 && !alreadyFlagged(known, loc) && typeof start === 'string' && typeof end === 'string' && start >= end) {
    // Both are zero-padded HH:MM here, so string order is time order.
    problems.push(valueError(loc, 'allowed_start_time must be earlier than allowed_end_time', schedule))
  }
  return problems
}

/** Parses a date-time that passed the schema's format check; a few (e.g. leap seconds) still fail here. */
export function parseInstant(value: unknown, loc: Loc, problems: ValidationEntry[]): number | undefined {
  if (typeof value !== 'string') return undefined
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) {
    problems.push({ type: 'datetime_from_date_parsing', loc, msg: 'Input should be a valid datetime or date', input: value })
    return undefined
  }
  return ms
}

/** Create: start within [now+120 s, now+7 d], end within [start+120 s, start+30 d]. */
export function createWindowProblems(body: Record<string, unknown>, now: number, known: ValidationEntry[]): ValidationEntry[] {
  const problems: ValidationEntry[] = []
  const startLoc: Loc = ['body', 'start_timestamp']
  const endLoc: Loc = ['body', 'end_timestamp']
  const start = alreadyFlagged(known, startLoc) ? undefined : parseInstant(body.start_timestamp, startLoc, problems)
  const end = alreadyFlagged(known, endLoc) ? undefined : parseInstant(body.end_timestamp, endLoc, problems)
  if (start !== undefined) {
    if (start < now + MIN_START_LEAD_MS) {
      problems.push(valueError(startLoc, 'start_timestamp must be at least 120 seconds from now', body.start_timestamp))
    } else if (start > now + MAX_START_LEAD_MS) {
      problems.push(valueError(startLoc, 'start_timestamp must be no more than 7 days from now', body.start_timestamp))
    }
  }
  if (start !== undefined && end !== undefined) problems.push(...durationProblems(start, end, body.end_timestamp))
  return problems
}

/** Update: the new end follows the same rule against the stored start, and must still lie ahead. */
export function updateEndProblems(rawEnd: unknown, start: number, now: number): ValidationEntry[] {
  const problems: ValidationEntry[] = []
  const end = parseInstant(rawEnd, ['body', 'end_timestamp'], problems)
  if (end === undefined) return problems
  if (end <= now) problems.push(valueError(['body', 'end_timestamp'], 'end_timestamp must be in the future', rawEnd))
  else problems.push(...durationProblems(start, end, rawEnd))
  return problems
}

function durationProblems(start: number, end: number, rawEnd: unknown): ValidationEntry[] {
  const loc: Loc = ['body', 'end_timestamp']
  if (end < start + MIN_DURATION_MS) return [valueError(loc, 'end_timestamp must be at least 120 seconds after start_timestamp', rawEnd)]
  if (end > start + MAX_DURATION_MS) return [valueError(loc, 'end_timestamp must be no more than 30 days after start_timestamp', rawEnd)]
  return []
}

const CANONICAL_ZONES = new Set(Intl.supportedValuesOf('timeZone'))

/** Every spelling of every word of the canonical zone names, by lower case ("buenos" → {"Buenos"}). */
const ZONE_WORDS = (() => {
  const words = new Map<string, Set<string>>()
  for (const zone of CANONICAL_ZONES) {
    for (const word of zone.split(/[/_-]/)) {
      const spellings = words.get(word.toLowerCase()) ?? new Set<string>()
      spellings.add(word)
      words.set(word.toLowerCase(), spellings)
    }
  }
  return words
})()

/**
 * Whether a name is an IANA zone as the service (Python's zoneinfo, reading tz files) sees it. Intl
 * knows the names but matches them case-insensitively, and the tz database does not. So besides
 * Intl accepting it: the name must not be a mere re-casing of what Intl resolves it to, every
 * segment starts with a capital letter, and every word that Intl's canonical names also use is
 * spelled as they spell it ("asia/kolkata", "Asia/kolkata", "America/Buenos_aires" fail). Aliases
 * Intl does not list (Asia/Kolkata on older ICU, UTC, US/Pacific) pass the same spelling checks.
 */
export function isIanaTimeZone(name: string): boolean {
  if (CANONICAL_ZONES.has(name)) return true
  let resolved: string
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone
  } catch {
    return false
  }
  if (resolved !== name && resolved.toLowerCase() === name.toLowerCase()) return false
  if (!name.split('/').every((segment) => /^[A-Z]/.test(segment))) return false
  return name.split(/[/_-]/).every((word) => {
    const spellings = ZONE_WORDS.get(word.toLowerCase())
    return spellings === undefined || spellings.has(word)
  })
}
