import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { resolveCoreScalar } from '../../src/config/core-schema.js'
import { loadPlainDocuments } from '../../src/config/plain-yaml.js'
import { materialise, parseYamlDocuments } from '../../src/config/yaml-source.js'
import { Diagnostics } from '../../src/model/diagnostic.js'

/** Scalars where YAML parsers are known to differ: overflow, signed zero, radix prefixes, YAML 1.1 words, dates. */
const EDGE_CASES = [
  '1e400', '-1e400', '1e+400', '0.1e400', '1e-400', '5e-324', '2e-324', '-0', '+0', '-0.0', '00', '-00', '010', '08', '007',
  '0x1F', '0x1f', '0X1F', '0x', '0xG', '0o17', '0O17', '0o', '0b101', '1_000', '1__0', '_1', '0x_1', '1,000',
  '.inf', '-.Inf', '+.inf', '.INF', '.nan', '.NaN', '.NAN', '-.nan', 'nan', 'inf',
  '12345678901234567890', '9007199254740993', '-9007199254740993', '0x8000000000000000',
  '+1', '+12', '1.0', '1.', '.5', '-.5', '+.5', '1e3', '1E3', '1.5e+3', '12e', '1e', '.', '+', '0.0e0',
  'yes', 'no', 'on', 'off', 'Yes', 'NO', 'y', 'n', 'true', 'True', 'TRUE', 'tRUE', 'False', 'FALSE',
  'null', 'Null', 'NULL', 'nULL', '~',
  '2026-01-01', '2026-01-01T00:00:00Z', '2026-01-01 10:00:00', '1:30', '09:00:00', '+19995551234',
]

/** The value of `v` in `v: TEXT` by the fast path (js-yaml), or undefined when it hands the file to the full parser. */
function fastValue(text: string): { value: unknown } | undefined {
  const documents = loadPlainDocuments('f.yaml', `v: ${text}\n`)
  return documents ? { value: (documents[0]!.value as { v: unknown }).v } : undefined
}

/** The value of `v` in `v: TEXT` by the full parser (`yaml`), or undefined when the text is not valid YAML there. */
function fullValue(text: string): { value: unknown } | undefined {
  const diagnostics = new Diagnostics()
  const [document] = parseYamlDocuments('f.yaml', `v: ${text}\n`, diagnostics)
  if (!document || diagnostics.hasErrors || !materialise(document, diagnostics)) return undefined
  return { value: (document.value as { v: unknown }).v }
}

/** Object.is tells -0 from 0 and sees NaN as itself: both parsers must agree that closely. */
function expectSameValue(text: string): void {
  const fast = fastValue(text)
  const full = fullValue(text)
  expect(fast, `the fast path reads ${JSON.stringify(text)}`).toBeDefined()
  expect(full, `the full parser reads ${JSON.stringify(text)}`).toBeDefined()
  expect(Object.is(fast!.value, full!.value), `${JSON.stringify(text)}: fast ${String(fast!.value)}, full ${String(full!.value)}`).toBe(true)
}

/** Plain scalars shaped like numbers: sign, radix prefix, digits, underscores, a point, an exponent. */
const numberLike = fc
  .tuple(
    fc.constantFrom('', '-', '+'),
    fc.constantFrom('', '', '0x', '0o', '0b', '0X', '0O', '.'),
    fc.stringMatching(/^[0-9a-fA-F_]{1,22}$/),
    fc.constantFrom('', '.', '.0', '.5', '.25', '_'),
    fc.constantFrom('', 'e', 'E', 'e+', 'e-', 'e4', 'e400', 'e-400', 'E+308', 'e309', 'inf', 'nan'),
  )
  .map((parts) => parts.join(''))

describe('the fast path and the full parser read every scalar alike (YAML 1.2 core schema)', () => {
  it.each(EDGE_CASES)('%s', (text) => expectSameValue(text))

  it('agrees on generated number-like scalars (property)', () => {
    fc.assert(
      fc.property(fc.oneof(numberLike, fc.constantFrom(...EDGE_CASES)), (text) => {
        // Texts YAML cannot take as a plain value here (e.g. `-` alone) are out of scope.
        if (fullValue(text) === undefined) return
        expectSameValue(text)
      }),
      { numRuns: 2000 },
    )
  })

  it('agrees inside lists and flow mappings too', () => {
    for (const text of EDGE_CASES.filter((edge) => !/[:]/.test(edge))) {
      const source = `list: [${text}]\nblock:\n  - ${text}\nmap: {k: ${text}}\n`
      const fast = loadPlainDocuments('f.yaml', source)![0]!.value as Record<string, unknown>
      const diagnostics = new Diagnostics()
      const [full] = parseYamlDocuments('f.yaml', source, diagnostics)
      materialise(full!, diagnostics)
      const reference = full!.value as Record<string, unknown>
      const pick = (tree: Record<string, unknown>) => [(tree.list as unknown[])[0], (tree.block as unknown[])[0], (tree.map as { k: unknown }).k]
      pick(fast).forEach((value, i) => expect(Object.is(value, pick(reference)[i]), `${text} (${i})`).toBe(true))
    }
  })

  it('settles the edge cases the core-schema way', () => {
    expect(resolveCoreScalar('1e400')).toBe(Number.POSITIVE_INFINITY)
    expect(Object.is(resolveCoreScalar('-0'), -0)).toBe(true)
    expect(resolveCoreScalar('0x1F')).toBe(31)
    expect(resolveCoreScalar('0o17')).toBe(15)
    expect(resolveCoreScalar('010')).toBe(10)
    expect(resolveCoreScalar('-.5')).toBe(-0.5)
    expect(resolveCoreScalar('.nan')).toBeNaN()
    for (const text of ['1_000', '0b101', 'yes', 'off', '2026-01-01', '0O17']) expect(resolveCoreScalar(text)).toBe(text)
    expect(resolveCoreScalar('+19995551234')).toBe(19995551234)
    expect(resolveCoreScalar('~')).toBeNull()
    expect(resolveCoreScalar('')).toBeNull()
  })
})
