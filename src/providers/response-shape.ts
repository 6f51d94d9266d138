/**
 * Small readers for the shape of a platform's answer. Nothing a server sends is believed until it
 * has been read through these: an HTML page, `[]`, `{"items": null}` or an item without its id is
 * an error that names the request, never "nothing exists". Each provider's api.ts describes its
 * contract with them; a problem becomes an UnexpectedResponseError (method, path, status, what).
 */
import type { HttpResponse } from '../http/client.js'
import { UnexpectedResponseError } from '../http/errors.js'

/** A part of an answer that is not what the contract says; `readAnswer` names the request. */
export class ShapeProblem extends Error {}

/** The body of `response`, read by `read`; a ShapeProblem becomes an UnexpectedResponseError. */
export function readAnswer<T>(response: HttpResponse, read: (body: unknown) => T): T {
  try {
    return read(response.body)
  } catch (error) {
    if (error instanceof ShapeProblem) throw unexpected(response, error.message)
    throw error
  }
}

/** An UnexpectedResponseError about `response` (for problems found across several answers, e.g. pages). */
export function unexpected(response: HttpResponse, problem: string): UnexpectedResponseError {
  return new UnexpectedResponseError(response.method, response.path, response.status, `unexpected answer: ${problem}`)
}

/** What a value is, for a message; never the value itself (it may be large, or a secret), but numbers. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'number') return Number.isFinite(value) ? `${value}` : 'not a finite number'
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string'
  if (typeof value === 'object') return 'an object'
  return `a ${typeof value}`
}

function problem(where: string, value: unknown, expected: string): ShapeProblem {
  return new ShapeProblem(`${where} is ${describeValue(value)}, expected ${expected}`)
}

export function record(value: unknown, where: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw problem(where, value, 'an object')
  return value as Record<string, unknown>
}

export function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw problem(where, value, 'an array')
  return value
}

export interface IntegerBounds {
  min?: number
  max?: number
}

/** A safe integer within bounds. */
export function integer(value: unknown, where: string, bounds: IntegerBounds = {}): number {
  const { min, max } = bounds
  if (typeof value === 'number' && Number.isSafeInteger(value) && !(min !== undefined && value < min) && !(max !== undefined && value > max)) return value
  // The expectation is written out only for the message (this runs for every item of every list).
  const range = min !== undefined && max !== undefined ? ` from ${min} to ${max}` : min !== undefined ? ` ≥ ${min}` : max !== undefined ? ` ≤ ${max}` : ''
  throw problem(where, value, `an integer${range}`)
}

/** An integer within bounds, or undefined when the field is null or absent. */
export function optionalInteger(value: unknown, where: string, bounds: IntegerBounds = {}): number | undefined {
  return value === null || value === undefined ? undefined : integer(value, where, bounds)
}

/** A string; `nonEmpty` also refuses '' (an identity or an id). */
export function text(value: unknown, where: string, options: { nonEmpty?: boolean } = {}): string {
  if (typeof value !== 'string') throw problem(where, value, options.nonEmpty ? 'a non-empty string' : 'a string')
  if (options.nonEmpty && value.trim() === '') throw problem(where, value, 'a non-empty string')
  return value
}

/** A string, or undefined when null or absent. */
export function optionalText(value: unknown, where: string): string | undefined {
  return value === null || value === undefined ? undefined : text(value, where)
}

/** The answer is about the object asked for or sent (a server answering for another is refused). */
export function same(actual: string | number, expected: string | number, where: string, which = 'the one asked for'): void {
  if (String(actual) !== String(expected)) throw new ShapeProblem(`${where} does not match ${which}`)
}
