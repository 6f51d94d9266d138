import { ParameterReader, RequestValidationError, type ValidationEntry } from '../request-validation.js'

/**
 * Runs a body validation next to the path and query checks of `reader`, so that one 422 lists every
 * problem of the request, as FastAPI does. Returns undefined when the body is invalid; the caller's
 * `reader.done()` then throws.
 */
export function validateInto<T>(reader: ParameterReader, validate: () => T): T | undefined {
  try {
    return validate()
  } catch (error) {
    if (!(error instanceof RequestValidationError)) throw error
    for (const entry of error.entries) reader.add(entry)
    return undefined
  }
}

/** Throws a 422 listing `problems`, if there are any. */
export function rejectIf(problems: ValidationEntry[]): void {
  if (problems.length > 0) throw new RequestValidationError(problems)
}

/**
 * An instant as the sandbox stores and returns it: UTC, ISO 8601 with `Z`. Undefined when the text
 * passed the date-time format check but is no real instant (e.g. a leap second).
 */
export function normaliseInstant(text: string): string | undefined {
  const ms = Date.parse(text)
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString()
}

export const invalidDateTime = (loc: (string | number)[], input: unknown): ValidationEntry => ({
  type: 'datetime_from_date_parsing',
  loc,
  msg: 'Input should be a valid datetime or date',
  input,
})
