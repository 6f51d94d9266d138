import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import fc from 'fast-check'
import { stringify } from 'yaml'
import { describe, expect, it } from 'vitest'

import type { Environment } from '../../src/config/interpolate.js'
import { loadPlainDocuments, type PlainDocument } from '../../src/config/plain-yaml.js'
import { prepareDocument } from '../../src/config/prepare-document.js'
import { materialise, parseYamlDocuments, type DataPath, type ParsedDocument } from '../../src/config/yaml-source.js'
import { Diagnostics } from '../../src/model/diagnostic.js'

/** Values as the full parser reads them (the reference the fast path must match). */
function fullParse(text: string): unknown[] {
  return parseYamlDocuments('f.yaml', text, new Diagnostics())
    .filter((doc) => !doc.isEmpty)
    .map((doc) => {
      materialise(doc, new Diagnostics())
      return doc.value
    })
}

const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value))

const EXAMPLES = fileURLToPath(new URL('../../campaigns/', import.meta.url))
const exampleFiles = readdirSync(EXAMPLES, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.yaml'))
  .map((entry) => join(entry.parentPath, entry.name))

describe('the fast path for plain files', () => {
  it.each(exampleFiles)('reads %s exactly as the full parser does (when it takes it)', (file) => {
    const text = readFileSync(file, 'utf8')
    const plain = loadPlainDocuments(file, text)
    if (plain) expect(plain.map((doc) => doc.value)).toEqual(fullParse(text))
    else expect(text).toMatch(/\$\{env:/)
    // With interpolation, every example is read by the fast path (none needs the syntax tree).
    expect(loadPlainDocuments(file, text, { env: {}, secretPathsOf: () => () => true })).toBeDefined()
  })

  it('reads generated documents exactly as the full parser does (property)', () => {
    const scalar = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom('09:00:00', '+19995551234', '2026-12-01T00:00:00Z', 'yes', 'no', 'on', '0x1F', '012', '1e3', '~', 'null', 'True'),
    )
    const tree = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
      list: fc.array(tie('value'), { maxLength: 4 }),
      map: fc.dictionary(fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/), tie('value'), { maxKeys: 5 }),
    }))
    fc.assert(
      fc.property(fc.array(tree.map, { minLength: 1, maxLength: 3 }), (documents) => {
        const text = documents.map((doc) => stringify(doc)).join('---\n')
        const plain = loadPlainDocuments('f.yaml', text)
        if (!plain) return // Needs the full parser (e.g. a tab or a `*` in a string): nothing to compare.
        // Compared as JSON, the form values are sent in: -0 and 0 are one number there.
        expect(asJson(plain.map((doc) => doc.value))).toEqual(asJson(fullParse(text)))
      }),
      { numRuns: 300 },
    )
  })

  it('points at the same lines as the full parser, parsing only when asked', () => {
    const text = '# header\nkind: SyllableBatch\nspec:\n  batch_id: b1\n---\n\n# second\nkind: SyllableBatch\nspec:\n  batch_id: b2\n  call_rate: 9\n'
    const plain = loadPlainDocuments('f.yaml', text)!
    const full = parseYamlDocuments('f.yaml', text, new Diagnostics())
    expect(plain.map((doc) => doc.start)).toEqual([
      { line: 2, column: 1 },
      { line: 8, column: 1 },
    ])
    expect(plain[1]!.position(['spec', 'call_rate'])).toEqual(full[1]!.position(['spec', 'call_rate']))
    expect(plain[1]!.position(['spec', 'call_rate'])).toEqual({ line: 11, column: 14 })
    expect(plain[0]!.position(['spec', 'missing'], { key: true })).toEqual(full[0]!.position(['spec', 'missing'], { key: true }))
  })

  it.each([
    ['env interpolation, when not asked to interpolate', 'a: ${env:X}'],
    ['an anchor', 'a: &x 1\nb: *x'],
    ['a merge key', 'a: {b: 1}\nc:\n  <<: {b: 2}'],
    ['a tag', 'a: !!str 1'],
    ['a duplicate key', 'a: 1\na: 2'],
    ['a tab', 'a:\n\tb: 1'],
    ['a syntax error', 'a: [1, 2'],
    ['content on the --- line', '--- {a: 1}'],
  ])('leaves %s to the full parser', (_name, text) => {
    expect(loadPlainDocuments('f.yaml', text)).toBeUndefined()
  })

  it('skips documents that hold only comments', () => {
    expect(loadPlainDocuments('f.yaml', '---\n# nothing\n---\na: 1\n---\n')!.map((doc) => doc.value)).toEqual([{ a: 1 }])
  })
})

/** Secrets, for these tests: anything under a key named `secret`. */
const isSecret = (path: DataPath) => path.includes('secret')
const interpolating = (env: Environment) => ({ env, secretPathsOf: () => isSecret })

/** The full parser's path for a file with `${env:…}`: parse, interpolate, materialise. */
function fullInterpolated(text: string, env: Environment): { docs: ParsedDocument[]; diagnostics: Diagnostics } {
  const diagnostics = new Diagnostics()
  const docs = parseYamlDocuments('f.yaml', text, diagnostics).filter((doc) => !doc.isEmpty)
  for (const doc of docs) prepareDocument(doc, { env, isSecret, diagnostics })
  return { docs, diagnostics }
}

/** Everything later stages ask of a document about interpolation, at the given paths. */
function interpolationView(doc: PlainDocument | ParsedDocument, paths: readonly DataPath[]) {
  return {
    value: asJson(doc.value),
    unsetSecrets: doc.unsetSecrets,
    records: paths.map((path) => doc.interpolationAt(path) ?? null),
    fromEnvironment: paths.map((path) => doc.isFromEnvironment(path)),
  }
}

/** Every path of a value, the root included. */
function pathsOf(value: unknown, path: DataPath = []): DataPath[] {
  if (value === null || typeof value !== 'object') return [path]
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value)
  return [path, ...entries.flatMap(([key, item]) => pathsOf(item, [...path, key]))]
}

describe('the fast path with ${env:…} interpolation', () => {
  const text = [
    'url: ${env:URL:-sandbox}',
    'key: ${env:KEY:-}',
    'nested:',
    '  - name: "region-${env:REGION}"',
    '    secret: {token: "${env:TOKEN}"}',
    '  - plain text',
    'template: "Hello ${first_name}"',
    'escaped: "$${env:LITERAL}"',
  ].join('\n')
  const env = { REGION: 'us-east' }

  it('gives the values, records and unset secrets the full parser gives', () => {
    const plain = loadPlainDocuments('f.yaml', text, interpolating(env))!
    expect(plain).toHaveLength(1)
    const { docs, diagnostics } = fullInterpolated(text, env)
    expect(diagnostics.sorted()).toEqual([])
    const paths = pathsOf(docs[0]!.value)
    expect(interpolationView(plain[0]!, paths)).toEqual(interpolationView(docs[0]!, paths))
    expect(plain[0]!.value).toMatchObject({ url: 'sandbox', key: '', nested: [{ name: 'region-us-east', secret: { token: '' } }, 'plain text'], escaped: '${env:LITERAL}' })
    expect(plain[0]!.unsetSecrets).toEqual([{ path: ['nested', 0, 'secret', 'token'], variable: 'TOKEN' }])
    expect(plain[0]!.isExplained(['nested', 0, 'secret', 'token'])).toBe(true)
    expect(plain[0]!.isExplained(['nested', 0, 'name'])).toBe(false)
    // Positions come from the syntax tree, built only now, as for any plain document.
    expect(plain[0]!.position(['nested', 0, 'secret', 'token'])).toEqual(docs[0]!.position(['nested', 0, 'secret', 'token']))
  })

  it.each([
    ['an unset variable that is not a secret (reported at its line)', 'a: ${env:MISSING}'],
    ['a malformed expression', 'a: "${env:OPEN"'],
    ['an invalid variable name', 'a: "${env:1X}"'],
    ['a whole expression whose result could be a number', 'rate: ${env:RATE:-25}'],
    ['a whole expression whose result could be a boolean', 'paused: "${env:PAUSED:-true}"'],
    ['a whole expression whose result could be null', 'x: ${env:X:-~}'],
    ['a document nested deeper than the walk goes', `${Array.from({ length: 70 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n')} "\${env:V:-v}"`],
  ])('leaves %s to the full parser', (_name, source) => {
    expect(loadPlainDocuments('f.yaml', source, interpolating({}))).toBeUndefined()
  })

  it('takes a whole expression whose result is text whichever way it was written', () => {
    for (const source of ['a: ${env:A:-sandbox}', 'a: "${env:A:-}"', 'a: ${env:A:-https://example.com}', 'a: ${env:A:- padded}']) {
      const plain = loadPlainDocuments('f.yaml', source, interpolating({}))
      expect(plain, source).toBeDefined()
      expect(plain![0]!.value).toEqual(fullInterpolated(source, {}).docs[0]!.value)
    }
  })

  it('agrees with the full parser on generated documents (property)', () => {
    const variable = fc.constantFrom('A', 'B', 'EMPTY')
    const expression = fc.oneof(
      variable.map((name) => `\${env:${name}}`),
      fc.tuple(variable, fc.constantFrom('', 'x', '25', 'true', 'null', 'a b', 'https://h:1')).map(([name, fallback]) => `\${env:${name}:-${fallback}}`),
    )
    const stringWith = fc.tuple(fc.constantFrom('', 'pre-', 'x '), expression, fc.constantFrom('', '-post', ' y')).map((parts) => parts.join(''))
    const scalar = fc.oneof(stringWith, fc.string({ maxLength: 6 }), fc.integer())
    const tree = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
      list: fc.array(tie('value'), { maxLength: 3 }),
      map: fc.dictionary(fc.constantFrom('a', 'b', 'secret', 'c'), tie('value'), { maxKeys: 4 }),
    }))
    const envs = fc.record({ A: fc.constantFrom('1', 'one', 'true', 'x y'), EMPTY: fc.constant('') }, { requiredKeys: ['EMPTY'] })
    fc.assert(
      fc.property(tree.map, envs, fc.boolean(), (document, environment, quoted) => {
        // Strings written plain where YAML allows it, or all quoted: the two ways a scalar types differently.
        const source = stringify(document, { defaultStringType: quoted ? 'QUOTE_DOUBLE' : 'PLAIN' })
        const plain = loadPlainDocuments('f.yaml', source, interpolating(environment))
        if (!plain) return // Left to the full parser.
        const { docs, diagnostics } = fullInterpolated(source, environment)
        expect(diagnostics.sorted().filter((d) => d.severity === 'error')).toEqual([])
        const paths = pathsOf(docs[0]!.value)
        expect(interpolationView(plain[0]!, paths)).toEqual(interpolationView(docs[0]!, paths))
      }),
      { numRuns: 300 },
    )
  })
})

describe('comments the fast path looks past', () => {
  it('takes a file whose comments mention what would need the full parser', () => {
    const text = 'definitions: campaigns   # folder scanned for *.yaml / *.yml\n# &notes !important %x\nkey: value # see ? and ...\n'
    expect(loadPlainDocuments('f.yaml', text)!.map((doc) => doc.value)).toEqual(fullParse(text))
  })

  it.each([
    ['an anchor after a comment-free line', 'a: &x 1 # note\nb: *x'],
    ['a line with a quote, whose # may be inside a string', 'a: "text" # *alias'],
    ['a # glued to a word (not a comment)', 'a: b#c *d'],
  ])('still leaves %s to the full parser', (_name, text) => {
    expect(loadPlainDocuments('f.yaml', text)).toBeUndefined()
  })
})
