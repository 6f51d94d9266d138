import { isMap, isPair, isScalar, isSeq, parse as parseYamlScalar, visit, type Scalar } from './yaml-library.js'

import type { DataPath, EnvReference, InterpolationRecord, ParsedDocument } from './yaml-source.js'

/** The environment interpolation reads from (injected: process.env in the CLI, plain objects in tests). */
export type Environment = Readonly<Record<string, string | undefined>>

export interface InterpolatedString {
  text: string
  references: EnvReference[]
  /** Syntax problems in `${env:…}` expressions (the text is left as written where they occur). */
  problems: string[]
  /** True when the whole string was exactly one `${env:…}` expression. */
  wholeExpression: boolean
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const OPEN = '${env:'
const ESCAPED_OPEN = '$' + OPEN

/** Defaults may hold references (`${env:A:-${env:B:-b}}`) this many levels deep; deeper is an error. */
export const MAX_DEFAULT_NESTING = 5

/** A parsed string: literal text and references, a default being itself a parsed string. */
type Part = { text: string } | { name: string; defaultParts: Part[] | undefined; defaultSource: string | undefined; source: string }

interface Parsed {
  parts: Part[]
  /** Index after the closing `}` of a default (when parsing one), or the end of the input. */
  end: number
  /** False when the input ended first (or nesting went too deep): the text from there on stays as written. */
  closed: boolean
  /** True when a problem saying why it is not closed has been recorded already. */
  explained?: boolean
}

/**
 * Expands `${env:NAME}` and `${env:NAME:-default}` in a string. The default applies when the
 * variable is unset or empty (as in POSIX shells) and may itself hold references, up to
 * MAX_DEFAULT_NESTING levels (`${env:A:-${env:B:-b}}`: A, else B, else b); a reference in a default
 * is only read when the default is used. Without a default an empty variable counts as unset. `$${env:` writes a literal `${env:`. Other `${…}` text is
 * left alone, so message templates such as `${first_name}` pass through, in defaults too.
 */
export function interpolateString(raw: string, env: Environment): InterpolatedString {
  const problems: string[] = []
  const parsed = parseText(raw, 0, 0, problems)
  const references: EnvReference[] = []
  const text = expand(parsed.parts, env, references)
  const only = parsed.parts.length === 1 ? parsed.parts[0]! : undefined
  const wholeExpression = problems.length === 0 && only !== undefined && 'name' in only && only.source === raw
  return { text, references, problems, wholeExpression }
}

/**
 * Parses text from `start`: to the end of the input at depth 0, or to the `}` that closes a
 * default (`depth` > 0). Recursion is bounded by MAX_DEFAULT_NESTING.
 */
function parseText(raw: string, start: number, depth: number, problems: string[]): Parsed {
  const parts: Part[] = []
  let literal = ''
  let templateBraces = 0 // `${…}` groups of a message template inside a default: their `}` is text.
  let i = start
  const flush = () => {
    if (literal !== '') parts.push({ text: literal })
    literal = ''
  }
  while (i < raw.length) {
    if (raw.startsWith(ESCAPED_OPEN, i)) {
      literal += OPEN
      i += ESCAPED_OPEN.length
    } else if (raw.startsWith(OPEN, i)) {
      flush()
      const reference = parseReference(raw, i, depth, problems)
      parts.push(...reference.parts)
      i = reference.end
      if (!reference.closed) return { parts, end: raw.length, closed: false, explained: true }
    } else if (depth > 0 && raw[i] === '}' && templateBraces === 0) {
      flush()
      return { parts, end: i + 1, closed: true }
    } else {
      if (depth > 0 && raw.startsWith('${', i)) templateBraces += 1
      else if (depth > 0 && raw[i] === '}') templateBraces -= 1
      literal += raw[i]
      i += 1
    }
  }
  flush()
  return { parts, end: raw.length, closed: depth === 0 }
}

/** Parses the reference that starts at `start` (at `${env:`); a malformed one stays as written, with a problem. */
function parseReference(raw: string, start: number, depth: number, problems: string[]): Parsed {
  const nameStart = start + OPEN.length
  let nameEnd = nameStart
  while (nameEnd < raw.length && raw[nameEnd] !== '}' && !raw.startsWith(':-', nameEnd)) nameEnd += 1
  const name = raw.slice(nameStart, nameEnd)
  // Whatever goes wrong, the rest of the text is kept as written (and explained once).
  const asWritten = (problem?: string): Parsed => {
    if (problem !== undefined) problems.push(problem)
    return { parts: [{ text: raw.slice(start) }], end: raw.length, closed: false, explained: true }
  }
  const unterminated = `unterminated ${OPEN}… expression: add the closing "}"`
  if (nameEnd >= raw.length) return asWritten(unterminated)
  let end = nameEnd + 1
  let defaultParts: Part[] | undefined
  let defaultSource: string | undefined
  if (raw[nameEnd] !== '}') {
    if (depth >= MAX_DEFAULT_NESTING) {
      return asWritten(`defaults nest more than ${MAX_DEFAULT_NESTING} levels deep (\${env:A:-\${env:B:-…}}); write fewer levels`)
    }
    const inner = parseText(raw, nameEnd + 2, depth + 1, problems)
    if (!inner.closed) return asWritten(inner.explained ? undefined : unterminated)
    defaultParts = inner.parts
    defaultSource = raw.slice(nameEnd + 2, inner.end - 1)
    end = inner.end
  }
  const source = raw.slice(start, end)
  if (!VARIABLE_NAME.test(name)) {
    problems.push(
      `${JSON.stringify(source)} is not a valid reference: write \${env:NAME} or \${env:NAME:-default}, ` +
        'where NAME is letters, digits and underscores',
    )
    return { parts: [{ text: source }], end, closed: true }
  }
  return { parts: [{ name, defaultParts, defaultSource, source }], end, closed: true }
}

/** The text of parsed parts, reading each variable (and a default only when it is used). */
function expand(parts: readonly Part[], env: Environment, references: EnvReference[]): string {
  let text = ''
  for (const part of parts) {
    if (!('name' in part)) {
      text += part.text
      continue
    }
    const { name, defaultSource: defaultValue } = part
    const value = Object.hasOwn(env, name) ? env[name] : undefined // `${env:__proto__}` is a variable like any other
    if (value !== undefined && value !== '') {
      references.push({ name, defaultValue, resolution: 'variable' })
      text += value
    } else if (part.defaultParts !== undefined) {
      references.push({ name, defaultValue, resolution: 'default' })
      text += expand(part.defaultParts, env, references)
    } else {
      // An empty variable counts as unset: CI systems pass an unconfigured secret as "" (write
      // `${env:NAME:-}` where empty is meant).
      references.push({ name, defaultValue, resolution: 'unset' })
    }
  }
  return text
}

export interface InterpolationProblem {
  path: DataPath
  kind: 'syntax' | 'unset'
  message: string
  variable?: string
}

/**
 * Interpolates every string scalar of a document in place (before it is turned into plain values),
 * recording what each one referenced so later stages can tell literals from `${env:…}` values.
 * A plain (unquoted) scalar that is exactly one expression takes the YAML type of its result, so
 * `hourly_rate: ${env:RATE:-25}` is the number 25, while `"${env:RATE}"` stays a string.
 */
export function interpolateDocument(source: ParsedDocument, env: Environment): InterpolationProblem[] {
  const problems: InterpolationProblem[] = []
  if (!source.text.includes(OPEN)) return problems
  visit(source.doc, {
    Scalar: (key, node, ancestors) => {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${env:')) return
      const raw = node.value
      const result = interpolateString(raw, env)
      if (result.references.length === 0 && result.problems.length === 0 && result.text === raw) return
      const path = dataPathOf(ancestors, node)
      for (const message of result.problems) problems.push({ path, kind: 'syntax', message })
      const unset = result.references.filter((ref) => ref.resolution === 'unset')
      for (const ref of unset) {
        problems.push({
          path,
          kind: 'unset',
          variable: ref.name,
          message:
            `environment variable ${ref.name} is not set (or empty) and has no default ` +
            `(set it, or write \${env:${ref.name}:-default})`,
        })
      }
      source.interpolations.set(node, { raw, references: result.references, unresolved: unset.length > 0 })
      node.value = retype(node, result)
    },
  })
  return problems
}

/** One interpolated string of a document read as plain values, and where it is. */
export interface PlainInterpolation {
  path: DataPath
  record: InterpolationRecord
}

/**
 * A result that is text whichever way its scalar was written: empty, or starting with a letter
 * that no YAML null, boolean or number starts with (anything else could be typed: see retype).
 */
const TEXT_EITHER_WAY = /^\s*(?:$|[A-Za-eg-mo-su-zA-EG-MO-SU-Z])/

/**
 * interpolateDocument for a document the fast path read as plain values (plain-yaml.ts): every
 * string value (not key) is interpolated in place, and its record returned with its path; an unset
 * secret is recorded in `unsetSecrets`. Gives up (undefined, the values untouched) where only the
 * syntax tree can answer as interpolateDocument would: a problem to report at its line (a malformed
 * expression, an unset variable that is not a secret), or an expression whose result could take a
 * YAML type, which depends on whether its scalar was quoted.
 */
export function interpolateValues(
  document: { value: unknown; unsetSecrets: { path: DataPath; variable: string }[] },
  env: Environment,
  isSecret: (path: DataPath) => boolean,
): PlainInterpolation[] | undefined {
  const found: FoundExpression[] = []
  if (!findExpressions(document.value, [], env, isSecret, found)) return undefined
  return found.map(({ holder, key, path, raw, result }) => {
    const unset = result.references.filter((ref) => ref.resolution === 'unset')
    for (const ref of unset) document.unsetSecrets.push({ path, variable: ref.name })
    holder[key] = result.text
    return { path, record: { raw, references: result.references, unresolved: unset.length > 0 } }
  })
}

interface FoundExpression {
  holder: Record<string | number, unknown>
  key: string | number
  path: DataPath
  raw: string
  result: InterpolatedString
}

/** Deepest value interpolateValues walks to; a deeper document is left to the syntax tree. */
const MAX_VALUE_DEPTH = 64

/** Collects, in document order, the strings under `value` that hold expressions; false where interpolateValues gives up. */
function findExpressions(value: unknown, path: DataPath, env: Environment, isSecret: (path: DataPath) => boolean, found: FoundExpression[]): boolean {
  if (value === null || typeof value !== 'object') return true
  if (path.length >= MAX_VALUE_DEPTH) return false
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value)
  for (const [key, item] of entries) {
    const itemPath = [...path, key]
    if (typeof item !== 'string') {
      if (!findExpressions(item, itemPath, env, isSecret, found)) return false
      continue
    }
    if (!item.includes(OPEN)) continue
    const result = interpolateString(item, env)
    if (result.references.length === 0 && result.problems.length === 0 && result.text === item) continue
    if (result.problems.length > 0) return false
    if (result.wholeExpression && !TEXT_EITHER_WAY.test(result.text)) return false
    if (result.references.some((ref) => ref.resolution === 'unset') && !isSecret(itemPath)) return false
    found.push({ holder: value as Record<string | number, unknown>, key, path: itemPath, raw: item, result })
  }
  return true
}

function retype(node: Scalar, result: InterpolatedString): unknown {
  if (node.type !== 'PLAIN' || !result.wholeExpression) return result.text
  if (result.text.trim() === '') return result.text
  try {
    const typed: unknown = parseYamlScalar(result.text, { version: '1.2', logLevel: 'silent' })
    if (typeof typed === 'number' || typeof typed === 'boolean' || typed === null) return typed
  } catch {
    // Not a scalar YAML value: keep the text.
  }
  return result.text
}

/** Converts the ancestor chain that `visit` gives into a data path of keys and indexes. */
function dataPathOf(ancestors: readonly unknown[], node: unknown): DataPath {
  const path: (string | number)[] = []
  const chain = [...ancestors, node]
  for (let i = 0; i < chain.length - 1; i += 1) {
    const parent = chain[i]
    const child = chain[i + 1]
    if (isPair(parent)) {
      if (child === parent.value) path.push(isScalar(parent.key) ? String(parent.key.value) : '?')
    } else if (isSeq(parent)) {
      path.push(parent.items.indexOf(child as never))
    } else if (isMap(parent)) {
      // The pair that follows carries the key.
    }
  }
  return path
}
