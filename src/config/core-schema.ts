/**
 * The YAML 1.2 core schema, as one set of rules for both parsers: the `yaml` library (the full
 * parser) resolves plain scalars with these rules already, and the fast path's js-yaml is given the
 * same ones here, so that a value never depends on which parser read its file (`1e400` is the
 * float Infinity in both, `-0` is -0, `0b101`, `1_000`, `yes` and timestamps are text).
 */
import { createRequire } from 'node:module'

import type * as JsYaml from 'js-yaml'

interface CoreScalarRule {
  tag: 'null' | 'bool' | 'int' | 'float'
  test: RegExp
  value: (text: string) => unknown
}

/** The rules in the order the `yaml` library tries them (its `core` schema), with its regular expressions. */
export const CORE_SCALAR_RULES: readonly CoreScalarRule[] = [
  { tag: 'null', test: /^(?:~|[Nn]ull|NULL)?$/, value: () => null },
  { tag: 'bool', test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, value: (text) => text[0] === 't' || text[0] === 'T' },
  { tag: 'int', test: /^0o[0-7]+$/, value: (text) => parseInt(text.slice(2), 8) },
  { tag: 'int', test: /^[-+]?[0-9]+$/, value: (text) => parseInt(text, 10) },
  { tag: 'int', test: /^0x[0-9a-fA-F]+$/, value: (text) => parseInt(text.slice(2), 16) },
  {
    tag: 'float',
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    value: (text) => (text.slice(-3).toLowerCase() === 'nan' ? Number.NaN : text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY),
  },
  { tag: 'float', test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, value: (text) => parseFloat(text) },
  { tag: 'float', test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, value: (text) => parseFloat(text) },
]

/** The value of a plain (unquoted) scalar under the core schema: the first rule that matches, else the text. */
export function resolveCoreScalar(text: string): unknown {
  if (!MAY_BE_TYPED.test(text)) return text
  for (const rule of CORE_SCALAR_RULES) if (rule.test.test(text)) return rule.value(text)
  return text
}

/**
 * js-yaml's failsafe schema (strings, lists, mappings) with one implicit type per core tag, each
 * resolving through the rules above: js-yaml's own core schema differs at the edges.
 */
function coreSchemaOf(jsYaml: typeof JsYaml): JsYaml.Schema {
  return jsYaml.FAILSAFE_SCHEMA.extend({
    implicit: (['null', 'bool', 'int', 'float'] as const).map(
      (tag) =>
        new jsYaml.Type(`tag:yaml.org,2002:${tag}`, {
          kind: 'scalar',
          resolve: (text: unknown) => typeof text === 'string' && matchingRule(text)?.tag === tag,
          construct: (text: string) => matchingRule(text)!.value(text),
        }),
    ),
  })
}

let jsYamlCore: { load: (text: string, file: string) => unknown; schema: JsYaml.Schema } | undefined

/**
 * js-yaml with the core schema, loaded the first time a document needs it: the block reader
 * (block-yaml.ts) reads most definition files without it.
 */
export function jsYamlWithCoreSchema(): { load: (text: string, file: string) => unknown; schema: JsYaml.Schema } {
  if (!jsYamlCore) {
    const jsYaml = createRequire(import.meta.url)('js-yaml') as typeof JsYaml
    const schema = coreSchemaOf(jsYaml)
    jsYamlCore = { schema, load: (text, file) => jsYaml.load(text, { schema, filename: file }) }
  }
  return jsYamlCore
}

/** First characters a core-schema null, bool, int or float can start with (anything else is text). */
const MAY_BE_TYPED = /^(?:$|[-+.0-9~nNtTfF])/

/** js-yaml asks each implicit type in turn about the same text, then constructs it: one lookup serves them all. */
let lastText: string | undefined
let lastRule: CoreScalarRule | undefined

function matchingRule(text: string): CoreScalarRule | undefined {
  if (text !== lastText) {
    lastText = text
    lastRule = MAY_BE_TYPED.test(text) ? CORE_SCALAR_RULES.find((rule) => rule.test.test(text)) : undefined
  }
  return lastRule
}
