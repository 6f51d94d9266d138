import type { Diagnostics } from '../model/diagnostic.js'
import { formatDataPath, pointerToDataPath } from './data-path.js'
import type { SchemaError } from './schema-validator.js'
import { didYouMean } from './suggest.js'
import type { DataPath, SourceDocument } from './yaml-source.js'

export interface SchemaReportOptions {
  /** Path prefix the validated value sits at inside the document (e.g. [] for a whole document). */
  basePath?: DataPath
  /** Values that must never be echoed in a message (secrets, and anything from `${env:…}`). */
  isSensitive: (path: DataPath) => boolean
  /** Paths whose errors are already explained (e.g. an unset variable): skip them. */
  isExplained: (path: DataPath) => boolean
}

type SchemaNode = Record<string, unknown>

/**
 * Turns ajv errors into diagnostics a person can act on: the field path, a plain sentence, the
 * offending value (unless sensitive), a "did you mean" for near misses, and the line and column.
 */
export function reportSchemaErrors(
  errors: readonly SchemaError[],
  value: unknown,
  source: SourceDocument,
  diagnostics: Diagnostics,
  options: SchemaReportOptions,
): void {
  const base = options.basePath ?? []
  // A value of the wrong type makes its other errors noise (paths compared as ajv writes them).
  const wrongType = new Set(errors.filter((error) => error.keyword === 'type').map((error) => error.instancePath))
  for (const error of errors) {
    if (error.keyword === 'if' || error.keyword === 'propertyNames') continue
    if (error.keyword !== 'type' && wrongType.has(error.instancePath) && !isAboutChild(error)) continue
    const path = [...base, ...pointerToDataPath(error.instancePath, value)]
    if (options.isExplained(path)) continue
    if (diagnostics.isFull(source.file)) {
      // Past the per-file limit a problem is only counted: no message, no position to look up.
      diagnostics.tally('error', source.file)
      continue
    }
    const described = describe(error, path, source, options)
    if (!described) continue
    if (options.isExplained(described.path)) continue
    diagnostics.error(formatDataPath(described.path), described.message, {
      file: source.file,
      position: source.position(described.path, { key: described.atKey }),
    })
  }
}

function isAboutChild(error: SchemaError): boolean {
  return error.keyword === 'required' || error.keyword === 'additionalProperties'
}

interface Described {
  path: DataPath
  message: string
  atKey: boolean
}

function describe(
  error: SchemaError,
  path: DataPath,
  source: SourceDocument,
  options: SchemaReportOptions,
): Described | undefined {
  const schema = (error.parentSchema ?? {}) as SchemaNode
  const params = error.params as Record<string, unknown>
  const got = (): string => describeValue(error.data, path, source, options)
  switch (error.keyword) {
    case 'required': {
      const missing = String(params.missingProperty)
      return { path: [...path, missing], message: `missing required field ${JSON.stringify(missing)}`, atKey: true }
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const extra = String(params.additionalProperty ?? params.unevaluatedProperty)
      const known = Object.keys((schema.properties as SchemaNode | undefined) ?? {})
      const hint = didYouMean(extra, known)
      const allowed = hint === '' && known.length > 0 && known.length <= 12 ? `; allowed fields: ${known.join(', ')}` : ''
      return { path: [...path, extra], message: `unknown field ${JSON.stringify(extra)}${hint}${allowed}`, atKey: true }
    }
    case 'type': {
      const expected = String(params.type).split(',')
      let message = `must be ${joinAlternatives(expected.map(typeName))}, got ${got()}`
      if (expected.includes('string') && (typeof error.data === 'number' || typeof error.data === 'boolean')) {
        const text = source.sourceTextAt(path)
        if (text !== undefined && !options.isSensitive(path)) message += ` (quote it to keep it text: "${text}")`
      }
      return { path, message, atKey: false }
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String)
      const hint = typeof error.data === 'string' ? didYouMean(error.data, allowed) : ''
      const choices =
        allowed.length <= 12 ? `must be one of ${allowed.join(', ')}` : `must be one of the ${allowed.length} values the schema lists`
      return { path, message: `${choices}; got ${got()}${hint}`, atKey: false }
    }
    case 'const':
      return { path, message: `must be ${JSON.stringify(params.allowedValue)}, got ${got()}`, atKey: false }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, message: `${rangeText(schema)}, got ${got()}`, atKey: false }
    case 'minLength':
      return {
        path,
        message: Number(params.limit) === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters long`,
        atKey: false,
      }
    case 'maxLength':
      return {
        path,
        message: `must be at most ${String(params.limit)} characters long (it has ${[...String(error.data)].length})`,
        atKey: false,
      }
    case 'pattern': {
      const custom = typeof schema.patternErrorMessage === 'string' ? schema.patternErrorMessage : undefined
      if (error.propertyName !== undefined) {
        // A mapping key failed `propertyNames`: point at the key itself.
        const name = error.propertyName
        return {
          path: [...path, name],
          message: `the name ${JSON.stringify(name)} ${custom ?? `must match the pattern ${String(params.pattern)}`}`,
          atKey: true,
        }
      }
      return { path, message: `${custom ?? `must match the pattern ${String(params.pattern)}`}; got ${got()}`, atKey: false }
    }
    case 'format':
      return { path, message: `${formatText(String(params.format))}; got ${got()}`, atKey: false }
    case 'minItems':
      return {
        path,
        message: Number(params.limit) === 1 ? 'must list at least one item' : `must list at least ${String(params.limit)} items`,
        atKey: false,
      }
    case 'maxItems':
      return { path, message: `must list at most ${String(params.limit)} items`, atKey: false }
    case 'uniqueItems': {
      const first = Number(params.j)
      const second = Number(params.i)
      const itemPath = [...path, second]
      return {
        path: itemPath,
        message: `duplicate item: it repeats item ${first} of ${formatDataPath(path)} (${describeValue(
          Array.isArray(error.data) ? error.data[second] : undefined,
          itemPath,
          source,
          options,
        )})`,
        atKey: false,
      }
    }
    case 'minProperties':
      return { path, message: `must have at least ${String(params.limit)} entr${Number(params.limit) === 1 ? 'y' : 'ies'}`, atKey: false }
    case 'propertyNames':
      return undefined // Its cause (e.g. the pattern) is reported on its own, at the key.
    case 'false schema':
      return { path, message: 'is not allowed here', atKey: true }
    default:
      return { path, message: error.message ?? `fails the ${error.keyword} check`, atKey: false }
  }
}

function typeName(type: string): string {
  switch (type) {
    case 'integer':
      return 'an integer'
    case 'number':
      return 'a number'
    case 'string':
      return 'a string'
    case 'boolean':
      return 'true or false'
    case 'array':
      return 'a list'
    case 'object':
      return 'a mapping'
    case 'null':
      return 'null'
    default:
      return type
  }
}

function joinAlternatives(items: string[]): string {
  if (items.length <= 1) return items[0] ?? ''
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`
}

function rangeText(schema: SchemaNode): string {
  const min = schema.minimum ?? schema.exclusiveMinimum
  const max = schema.maximum ?? schema.exclusiveMaximum
  const minWord = schema.exclusiveMinimum !== undefined ? 'more than' : 'at least'
  const maxWord = schema.exclusiveMaximum !== undefined ? 'less than' : 'at most'
  if (min !== undefined && max !== undefined && schema.exclusiveMinimum === undefined && schema.exclusiveMaximum === undefined) {
    return `must be between ${String(min)} and ${String(max)}`
  }
  if (min !== undefined && max !== undefined) return `must be ${minWord} ${String(min)} and ${maxWord} ${String(max)}`
  if (min !== undefined) return `must be ${minWord} ${String(min)}`
  return `must be ${maxWord} ${String(max)}`
}

function formatText(format: string): string {
  switch (format) {
    case 'date-time':
      return 'must be a date-time with a UTC offset, such as 2026-12-01T09:30:00Z or 2026-12-01T15:00:00+05:30'
    case 'uri':
      return 'must be an absolute URL, such as https://hooks.example.com/campaigns'
    case 'email':
      return 'must be an email address'
    default:
      return `must be a valid ${format}`
  }
}

/** A short description of a value for messages; never the value itself when it is sensitive. */
export function describeValue(
  value: unknown,
  path: DataPath,
  source: SourceDocument,
  options: Pick<SchemaReportOptions, 'isSensitive'>,
): string {
  if (options.isSensitive(path) || source.isFromEnvironment(path)) {
    const record = source.interpolationAt(path)
    const names = record?.references.map((ref) => ref.name) ?? []
    const from = names.length > 0 ? ` from ${names.map((n) => `\${env:${n}}`).join(', ')}` : ''
    return `${valueKind(value)}${from} (value not shown)`
  }
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value
    return JSON.stringify(shown)
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value === null || value === undefined) return 'null'
  return valueKind(value)
}

function valueKind(value: unknown): string {
  if (Array.isArray(value)) return 'a list'
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'object') return 'a mapping'
  if (typeof value === 'string') return 'a string'
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number'
  return typeof value
}
