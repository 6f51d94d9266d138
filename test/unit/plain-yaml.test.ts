import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import fc from 'fast-check'
import { stringify } from 'yaml'
import { describe, expect, it } from 'vitest'

import { loadPlainDocuments } from '../../src/config/plain-yaml.js'
import { materialise, parseYamlDocuments } from '../../src/config/yaml-source.js'
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
    ['env interpolation', 'a: ${env:X}'],
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
