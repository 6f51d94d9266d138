import { isMap, isPair, isScalar, isSeq, parse as parseYamlScalar, visit, type Scalar } from 'yaml'

import type { DataPath, EnvReference, ParsedDocument } from './yaml-source.js'

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

/**
 * Expands `${env:NAME}` and `${env:NAME:-default}` in a string. The default applies when the
 * variable is unset or empty (as in POSIX shells). `$${env:` writes a literal `${env:`. Other
 * `${…}` text is left alone, so message templates such as `${first_name}` pass through.
 */
export function interpolateString(raw: string, env: Environment): InterpolatedString {
  const references: EnvReference[] = []
  const problems: string[] = []
  let text = ''
  let i = 0
  let expressions = 0
  while (i < raw.length) {
    if (raw.startsWith('$' + OPEN, i)) {
      text += OPEN
      i += 1 + OPEN.length
      continue
    }
    if (!raw.startsWith(OPEN, i)) {
      text += raw[i]
      i += 1
      continue
    }
    const close = raw.indexOf('}', i + OPEN.length)
    if (close === -1) {
      problems.push(`unterminated ${OPEN}… expression: add the closing "}"`)
      text += raw.slice(i)
      break
    }
    const body = raw.slice(i + OPEN.length, close)
    const separator = body.indexOf(':-')
    const name = separator === -1 ? body : body.slice(0, separator)
    const defaultValue = separator === -1 ? undefined : body.slice(separator + 2)
    if (!VARIABLE_NAME.test(name)) {
      problems.push(
        `${JSON.stringify(raw.slice(i, close + 1))} is not a valid reference: write \${env:NAME} or \${env:NAME:-default}, ` +
          'where NAME is letters, digits and underscores',
      )
      text += raw.slice(i, close + 1)
      i = close + 1
      continue
    }
    expressions += 1
    const value = Object.hasOwn(env, name) ? env[name] : undefined // `${env:__proto__}` is a variable like any other
    if (value !== undefined && value !== '') {
      references.push({ name, defaultValue, resolution: 'variable' })
      text += value
    } else if (defaultValue !== undefined) {
      references.push({ name, defaultValue, resolution: 'default' })
      text += defaultValue
    } else if (value === '') {
      references.push({ name, defaultValue, resolution: 'variable' })
    } else {
      references.push({ name, defaultValue, resolution: 'unset' })
    }
    i = close + 1
  }
  const wholeExpression = expressions === 1 && problems.length === 0 && /^\$\{env:[^}]*\}$/.test(raw)
  return { text, references, problems, wholeExpression }
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
            `environment variable ${ref.name} is not set and has no default ` +
            `(set it, or write \${env:${ref.name}:-default})`,
        })
      }
      source.interpolations.set(node, { raw, references: result.references, unresolved: unset.length > 0 })
      node.value = retype(node, result)
    },
  })
  return problems
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
