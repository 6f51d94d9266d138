import { createRequire } from 'node:module'

import type Ajv2020Module from 'ajv/dist/2020.js'
import type addFormatsModule from 'ajv-formats'
import type { ErrorObject, ValidateFunction } from 'ajv'

import { ApiError, type ApiRequest } from './http-kit.js'

export type Loc = (string | number)[]

/** One entry of a FastAPI/pydantic 422 body. */
export interface ValidationEntry {
  type: string
  loc: Loc
  msg: string
  input?: unknown
  ctx?: Record<string, unknown>
}

/** 422 `{"detail": [{type, loc, msg, input}]}`, as FastAPI answers a request that fails validation. */
export class RequestValidationError extends ApiError {
  constructor(readonly entries: ValidationEntry[]) {
    super(422, entries)
  }
}

let sharedAjv: InstanceType<typeof Ajv2020Module.default> | undefined

/**
 * The one ajv of the request validators, made (and each schema compiled) the first time a request
 * needs it: a sandbox that only serves lists (every plan) never pays for compiling the write bodies.
 */
function requestAjv(): InstanceType<typeof Ajv2020Module.default> {
  if (!sharedAjv) {
    // Both packages are CommonJS whose export is the class (or plugin) itself.
    const require = createRequire(import.meta.url)
    const Ajv2020 = require('ajv/dist/2020.js') as typeof Ajv2020Module.default
    const addFormats = require('ajv-formats') as typeof addFormatsModule.default
    sharedAjv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true, verbose: true })
    addFormats(sharedAjv)
  }
  return sharedAjv
}

export interface BodyValidatorOptions {
  /** Paths (below the body) whose values are never echoed back as `input` (`*` matches any segment). */
  secretPaths?: Loc[]
}

/**
 * Compiles a JSON Schema for a request body into a validator that throws FastAPI-style 422s with
 * pydantic's wording. Unknown fields are ignored, as pydantic models do by default.
 */
export function bodyValidator<T>(schema: object, options: BodyValidatorOptions = {}): (body: unknown, loc?: Loc) => T {
  let validate: ValidateFunction | undefined
  return (body, loc = ['body']) => {
    if (body === undefined) throw new RequestValidationError([{ type: 'missing', loc, msg: 'Field required', input: null }])
    validate ??= requestAjv().compile(schema)
    if (validate(body)) return body as T
    const entries = (validate.errors ?? [])
      .map((error) => toEntry(error, body, loc, options))
      .filter((entry): entry is ValidationEntry => entry !== undefined)
    throw new RequestValidationError(dedupe(entries))
  }
}

function toEntry(error: ErrorObject, body: unknown, base: Loc, options: BodyValidatorOptions): ValidationEntry | undefined {
  const path = pointerToLoc(error.instancePath, body)
  const loc = [...base, ...path]
  const params = error.params as Record<string, unknown>
  const input = isSecret(path, options) ? '**********' : error.data
  switch (error.keyword) {
    case 'required': {
      const field = String(params.missingProperty)
      return { type: 'missing', loc: [...loc, field], msg: 'Field required', input: redact(error.data, path, options) }
    }
    case 'type': {
      const types = String(params.type).split(',').filter((t) => t !== 'null')
      return { ...typeEntry(types[0] ?? 'null'), loc, input }
    }
    case 'enum': {
      const expected = describeChoices((params.allowedValues as unknown[]).filter((v) => v !== null))
      return { type: 'enum', loc, msg: `Input should be ${expected}`, input, ctx: { expected } }
    }
    case 'const':
      return { type: 'literal_error', loc, msg: `Input should be ${describeChoices([params.allowedValue])}`, input }
    case 'minimum':
      return { type: 'greater_than_equal', loc, msg: `Input should be greater than or equal to ${String(params.limit)}`, input, ctx: { ge: params.limit } }
    case 'exclusiveMinimum':
      return { type: 'greater_than', loc, msg: `Input should be greater than ${String(params.limit)}`, input, ctx: { gt: params.limit } }
    case 'maximum':
      return { type: 'less_than_equal', loc, msg: `Input should be less than or equal to ${String(params.limit)}`, input, ctx: { le: params.limit } }
    case 'exclusiveMaximum':
      return { type: 'less_than', loc, msg: `Input should be less than ${String(params.limit)}`, input, ctx: { lt: params.limit } }
    case 'minLength': {
      const n = Number(params.limit)
      return { type: 'string_too_short', loc, msg: `String should have at least ${n} character${n === 1 ? '' : 's'}`, input, ctx: { min_length: n } }
    }
    case 'maxLength': {
      const n = Number(params.limit)
      return { type: 'string_too_long', loc, msg: `String should have at most ${n} character${n === 1 ? '' : 's'}`, input, ctx: { max_length: n } }
    }
    case 'pattern':
      return { type: 'string_pattern_mismatch', loc, msg: `String should match pattern '${String(params.pattern)}'`, input, ctx: { pattern: params.pattern } }
    case 'minItems': {
      const n = Number(params.limit)
      const actual = Array.isArray(error.data) ? error.data.length : 0
      return { type: 'too_short', loc, msg: `List should have at least ${n} item${n === 1 ? '' : 's'} after validation, not ${actual}`, input, ctx: { field_type: 'List', min_length: n, actual_length: actual } }
    }
    case 'maxItems': {
      const n = Number(params.limit)
      const actual = Array.isArray(error.data) ? error.data.length : 0
      return { type: 'too_long', loc, msg: `List should have at most ${n} item${n === 1 ? '' : 's'} after validation, not ${actual}`, input, ctx: { field_type: 'List', max_length: n, actual_length: actual } }
    }
    case 'format': {
      if (params.format === 'date-time' && typeof error.data === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(error.data)) {
        return { type: 'timezone_aware', loc, msg: 'Input should have timezone info', input }
      }
      return { type: 'datetime_from_date_parsing', loc, msg: 'Input should be a valid datetime or date', input }
    }
    case 'uniqueItems':
      return { type: 'value_error', loc, msg: 'Value error, items must be unique', input }
    case 'additionalProperties':
      return undefined // Unknown fields are ignored, as pydantic does by default.
    default:
      return { type: 'value_error', loc, msg: `Value error, ${error.message ?? 'invalid value'}`, input }
  }
}

function typeEntry(type: string): { type: string; msg: string } {
  switch (type) {
    case 'integer':
      return { type: 'int_type', msg: 'Input should be a valid integer' }
    case 'number':
      return { type: 'float_type', msg: 'Input should be a valid number' }
    case 'string':
      return { type: 'string_type', msg: 'Input should be a valid string' }
    case 'boolean':
      return { type: 'bool_type', msg: 'Input should be a valid boolean' }
    case 'array':
      return { type: 'list_type', msg: 'Input should be a valid list' }
    case 'object':
      return { type: 'model_type', msg: 'Input should be a valid dictionary or object to extract fields from' }
    default:
      return { type: `${type}_type`, msg: `Input should be ${type}` }
  }
}

/** pydantic lists choices as `'a', 'b' or 'c'`. */
export function describeChoices(values: unknown[]): string {
  const quoted = values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v)))
  if (quoted.length <= 1) return quoted[0] ?? ''
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`
}

function pointerToLoc(pointer: string, root: unknown): Loc {
  if (pointer === '') return []
  const loc: Loc = []
  let current: unknown = root
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (Array.isArray(current)) {
      loc.push(Number(key))
      current = current[Number(key)]
    } else {
      loc.push(key)
      current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined
    }
  }
  return loc
}

function isSecret(path: Loc, options: BodyValidatorOptions): boolean {
  return (options.secretPaths ?? []).some(
    (pattern) => pattern.length <= path.length && pattern.every((part, i) => part === '*' || part === path[i]),
  )
}

/** A copy of an object with secret values replaced, for `input` echoes. */
function redact(value: unknown, path: Loc, options: BodyValidatorOptions): unknown {
  if (value === null || typeof value !== 'object') return value
  if (isSecret(path, options)) return '**********'
  if (Array.isArray(value)) return value.map((item, i) => redact(item, [...path, i], options))
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, [...path, k], options)]))
}

function dedupe(entries: ValidationEntry[]): ValidationEntry[] {
  const seen = new Set<string>()
  return entries.filter((entry) => {
    const key = JSON.stringify([entry.type, entry.loc])
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * Reads and validates path and query parameters, collecting every problem before answering, as
 * FastAPI does. Call `done()` after the last read.
 */
export class ParameterReader {
  private readonly entries: ValidationEntry[] = []

  constructor(private readonly request: ApiRequest) {}

  pathInt(name: string): number {
    const raw = this.request.params[name] ?? ''
    const value = parseInteger(raw)
    if (value === undefined) {
      this.entries.push({
        type: 'int_parsing',
        loc: ['path', name],
        msg: 'Input should be a valid integer, unable to parse string as an integer',
        input: raw,
      })
      return -1
    }
    return value
  }

  pathString(name: string): string {
    return this.request.params[name] ?? ''
  }

  queryInt(name: string, options: { default: number; minimum?: number; maximum?: number }): number {
    const raw = this.request.query.get(name)
    if (raw === null || raw === '') return options.default
    const value = parseInteger(raw)
    if (value === undefined) {
      this.entries.push({ type: 'int_parsing', loc: ['query', name], msg: 'Input should be a valid integer, unable to parse string as an integer', input: raw })
      return options.default
    }
    if (options.minimum !== undefined && value < options.minimum) {
      this.entries.push({ type: 'greater_than_equal', loc: ['query', name], msg: `Input should be greater than or equal to ${options.minimum}`, input: raw, ctx: { ge: options.minimum } })
      return options.default
    }
    if (options.maximum !== undefined && value > options.maximum) {
      this.entries.push({ type: 'less_than_equal', loc: ['query', name], msg: `Input should be less than or equal to ${options.maximum}`, input: raw, ctx: { le: options.maximum } })
      return options.default
    }
    return value
  }

  queryString(name: string): string | undefined {
    const raw = this.request.query.get(name)
    return raw === null ? undefined : raw
  }

  queryEnum<T extends string>(name: string, values: readonly T[]): T | undefined {
    const raw = this.request.query.get(name)
    if (raw === null || raw === '') return undefined
    if ((values as readonly string[]).includes(raw)) return raw as T
    this.pushEnumError(['query', name], values, raw)
    return undefined
  }

  /** A repeated query key (`?a=x&a=y`), each value checked against `values` when given. */
  queryList<T extends string = string>(name: string, values?: readonly T[]): T[] {
    const raw = this.request.query.getAll(name)
    if (!values) return raw as T[]
    const out: T[] = []
    raw.forEach((item, i) => {
      if ((values as readonly string[]).includes(item)) out.push(item as T)
      else this.pushEnumError(['query', name, i], values, item)
    })
    return out
  }

  queryDateTime(name: string): number | undefined {
    const raw = this.request.query.get(name)
    if (raw === null || raw === '') return undefined
    const ms = Date.parse(raw)
    if (Number.isNaN(ms)) {
      this.entries.push({ type: 'datetime_from_date_parsing', loc: ['query', name], msg: 'Input should be a valid datetime or date', input: raw })
      return undefined
    }
    return ms
  }

  /** Adds a problem found by the caller (e.g. a cross-field check). */
  add(entry: ValidationEntry): void {
    this.entries.push(entry)
  }

  done(): void {
    if (this.entries.length > 0) throw new RequestValidationError(this.entries)
  }

  private pushEnumError(loc: Loc, values: readonly string[], input: string): void {
    const expected = describeChoices([...values])
    this.entries.push({ type: 'enum', loc, msg: `Input should be ${expected}`, input, ctx: { expected } })
  }
}

function parseInteger(raw: string): number | undefined {
  if (!/^[+-]?\d+$/.test(raw.trim())) return undefined
  const value = Number(raw)
  return Number.isSafeInteger(value) ? value : undefined
}
