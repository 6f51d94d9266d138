import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import type { ValidateFunction } from 'ajv'
import { parseAllDocuments } from 'yaml'
import { describe, expect, it } from 'vitest'

import { schemaFiles, schemasDigest, standaloneValidatorsCode } from '../../src/config/schema-compiler.js'
import {
  PRECOMPILED_VALIDATORS_FILE,
  PROJECT_SCHEMA_FILE,
  SCHEMA_DIR,
  compiledValidators,
  currentValidators,
  precompiledValidators,
} from '../../src/config/schema-validator.js'
import { KINDS } from '../../src/platforms.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** The validators `npm run build` generated (the test script builds before it runs the tests). */
const BUILT_VALIDATORS = join(ROOT, 'dist', 'config', PRECOMPILED_VALIDATORS_FILE)

/** Every document of a YAML file. */
const readYaml = (path: string): unknown[] => parseAllDocuments(readFileSync(join(ROOT, path), 'utf8')).map((document) => document.toJS() as unknown)

/** The repo's examples, each with the schema file that checks it. */
const EXAMPLES: [string, unknown][] = [
  [PROJECT_SCHEMA_FILE, readYaml('cac.yaml')[0]],
  ...['campaigns/syllable/renewals.yaml', 'campaigns/syllable/appointments.yaml', 'campaigns/sarvam/payment-reminders-hi.yaml', 'campaigns/sarvam/renewals-ta.yaml']
    .flatMap(readYaml)
    .map((document): [string, unknown] => [KINDS[(document as { kind: string }).kind]!.schemaFile, document]),
]

/** Values that break most fields: wrong types, a bad date-time, a bad uri, a bad pattern, empty, too big. */
const WRONG_VALUES: unknown[] = [42, -1.5, 'not a date :: or uri', '', true, null, [], {}, ['x', 7], 'x'.repeat(3000)]

/** Every mutation of a document: each value swapped for each wrong one, each key removed, an unknown key added. */
function* mutations(document: unknown): Generator<unknown> {
  if (document === null || typeof document !== 'object') return
  const entries = Array.isArray(document) ? [...document.entries()] : Object.entries(document)
  const rebuilt = (key: string | number, value: unknown, drop = false): unknown => {
    if (Array.isArray(document)) return drop ? document.filter((_, i) => i !== key) : document.map((item, i) => (i === key ? value : item))
    const copy: Record<string, unknown> = { ...(document as Record<string, unknown>) }
    if (drop) delete copy[key]
    else copy[key] = value
    return copy
  }
  if (!Array.isArray(document)) yield rebuilt('unexpected_field', 1)
  for (const [key, value] of entries) {
    yield rebuilt(key, undefined, true)
    for (const wrong of WRONG_VALUES) yield rebuilt(key, wrong)
    for (const inner of mutations(value)) yield rebuilt(key, inner)
  }
}

/** What a validator reports for a value: validity and the full error objects (verbose: data, schema, parentSchema). */
function verdict(validate: ValidateFunction, value: unknown): { valid: boolean; errors: unknown } {
  const valid = validate(value) as boolean
  return { valid, errors: structuredClone(validate.errors ?? null) }
}

describe('the precompiled schema validators', () => {
  const compiled = compiledValidators(SCHEMA_DIR)
  const precompiled = precompiledValidators(BUILT_VALIDATORS)

  it('exist for every published schema', () => {
    for (const file of schemaFiles(SCHEMA_DIR)) expect(typeof precompiled(file), file).toBe('function')
  })

  it('accept the repo\'s examples, as the compiled ones do', () => {
    expect(EXAMPLES).toHaveLength(7)
    for (const [file, document] of EXAMPLES) {
      expect(verdict(precompiled(file), document), file).toEqual({ valid: true, errors: null })
      expect(verdict(compiled(file), document), file).toEqual({ valid: true, errors: null })
    }
  })

  it('report exactly the errors the compiled ones report, on thousands of broken documents', () => {
    const keywords = new Set<string>()
    let invalid = 0
    for (const [file, example] of EXAMPLES) {
      for (const document of mutations(example)) {
        const expected = verdict(compiled(file), document)
        expect(verdict(precompiled(file), document)).toEqual(expected)
        if (!expected.valid) invalid += 1
        for (const error of (expected.errors as { keyword: string }[] | null) ?? []) keywords.add(error.keyword)
      }
    }
    expect(invalid).toBeGreaterThan(2000)
    // The broken documents reach formats (ajv-formats in the generated code), patterns, enums and strictness.
    expect([...keywords]).toEqual(expect.arrayContaining(['format', 'pattern', 'enum', 'type', 'required', 'additionalProperties', 'const']))
  })

  it('dispatch through definition.schema.json like the compiled ones', () => {
    for (const [, document] of EXAMPLES.slice(1)) {
      for (const broken of [document, ...[...mutations(document)].slice(0, 200)]) {
        expect(verdict(precompiled('definition.schema.json'), broken)).toEqual(verdict(compiled('definition.schema.json'), broken))
      }
    }
  })
})

describe('precompiled validators older than schemas/', () => {
  const precompiled = precompiledValidators(BUILT_VALIDATORS)

  it('record the schemas they were built from', () => {
    const built = createRequire(import.meta.url)(BUILT_VALIDATORS) as { schemasDigest?: unknown }
    expect(built.schemasDigest).toBe(schemasDigest(SCHEMA_DIR))
  })

  it('are used while the schemas are unchanged, and replaced by compiled ones once a schema changes', () => {
    const copy = mkdtempSync(join(tmpdir(), 'cac-schemas-')) + '/'
    cpSync(SCHEMA_DIR, copy, { recursive: true })
    expect(currentValidators(BUILT_VALIDATORS, copy)('syllable-campaign.schema.json')).toBe(precompiled('syllable-campaign.schema.json'))

    const file = join(copy, 'syllable-batch.schema.json')
    writeFileSync(file, JSON.stringify({ ...(JSON.parse(readFileSync(file, 'utf8')) as object), maxProperties: 1 }))
    const validate = currentValidators(BUILT_VALIDATORS, copy)('syllable-batch.schema.json')
    expect(validate).not.toBe(precompiled('syllable-batch.schema.json'))
    const batch = EXAMPLES.find(([schema]) => schema === 'syllable-batch.schema.json')![1]
    expect(validate(batch)).toBe(false)
    expect(validate.errors?.map((error) => error.keyword)).toEqual(['maxProperties'])
  })
})

describe('generating the validators', () => {
  it('fails on a schema ajv rejects, so the build stops', () => {
    const folder = mkdtempSync(join(tmpdir(), 'cac-schemas-')) + '/'
    writeFileSync(join(folder, 'broken.schema.json'), JSON.stringify({ $id: 'https://example.com/broken.schema.json', type: 'object', unknownKeyword: 1 }))
    expect(() => standaloneValidatorsCode(folder)).toThrow(/unknown keyword/)
  })

  it('makes the build step exit 1 with the reason, leaving no validators behind', () => {
    const folder = mkdtempSync(join(tmpdir(), 'cac-schemas-')) + '/'
    writeFileSync(join(folder, 'broken.schema.json'), JSON.stringify({ $id: 'https://example.com/broken.schema.json', minLength: 'two' }))
    const output = join(folder, 'validators.cjs')
    const step = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'build-validators.js'), folder, output], { encoding: 'utf8' })
    expect(step.status).toBe(1)
    expect(step.stderr).toContain(`build: cannot generate the schema validators from ${folder}:`)
    expect(step.stderr).toContain('minLength')
    expect(existsSync(output)).toBe(false)
  })

  it('refuses a build without them, naming the fix', () => {
    expect(() => precompiledValidators(join(tmpdir(), 'no-such-validators.cjs'))).toThrow(/run npm run build/)
  })
})
