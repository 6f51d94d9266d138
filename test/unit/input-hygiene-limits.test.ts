import { describe, expect, it } from 'vitest'

import fc from 'fast-check'

import { countValues, measureDocument } from '../../src/config/document-size.js'
import { loadPlainDocuments, MAX_POSITIONED_VALUES } from '../../src/config/plain-yaml.js'
import { Diagnostics } from '../../src/model/diagnostic.js'

describe('Diagnostics keeps a bounded number per file', () => {
  it('keeps the first ones of a file, counts the rest by severity, and the totals include them', () => {
    const diagnostics = new Diagnostics(3)
    for (let i = 0; i < 5; i += 1) diagnostics.error('x', `problem ${i}`, { file: 'a.yaml', position: { line: i + 1, column: 1 } })
    diagnostics.warning('w', 'later warning', { file: 'a.yaml' })
    diagnostics.error('x', 'other file', { file: 'b.yaml' })
    diagnostics.error('x', 'no file')

    expect(diagnostics.sorted().map((d) => d.message)).toEqual(['no file', 'problem 0', 'problem 1', 'problem 2', 'other file'])
    expect(diagnostics.omitted()).toEqual([{ file: 'a.yaml', errors: 2, warnings: 1 }])
    expect(diagnostics.errorCount).toBe(7)
    expect(diagnostics.warningCount).toBe(1)
    expect(diagnostics.isFull('a.yaml')).toBe(true)
    expect(diagnostics.isFull('b.yaml')).toBe(false)
  })

  it('tells which files have errors, warnings aside', () => {
    const diagnostics = new Diagnostics()
    diagnostics.warning('w', 'only a warning', { file: 'a.yaml' })
    diagnostics.error('x', 'an error', { file: 'b.yaml' })
    expect(diagnostics.hasErrorsIn('a.yaml')).toBe(false)
    expect(diagnostics.hasErrorsIn('b.yaml')).toBe(true)
    expect(diagnostics.hasErrors).toBe(true)
  })

  it('still de-duplicates identical reports below the limit', () => {
    const diagnostics = new Diagnostics()
    diagnostics.error('x', 'same', { file: 'a.yaml', position: { line: 1, column: 1 } })
    diagnostics.error('x', 'same', { file: 'a.yaml', position: { line: 1, column: 1 } })
    expect(diagnostics.errorCount).toBe(1)
  })
})

describe('document size', () => {
  it('counts every value and names the largest collection', () => {
    expect(measureDocument({ spec: { labels: ['a', 'b', 'c'], vars: { x: 1 } } })).toEqual({
      values: 8,
      largest: { path: ['spec', 'labels'], entries: 3 },
    })
    expect(measureDocument('text')).toEqual({ values: 1, largest: undefined })
  })

  it('measures a deep tree without recursion', () => {
    let deep: unknown = 'leaf'
    for (let i = 0; i < 50_000; i += 1) deep = [deep]
    expect(measureDocument(deep)).toEqual({ values: 50_001, largest: { path: [], entries: 1 } })
    expect(countValues(deep)).toBe(50_001)
  })

  it('counts as many values with the quick count as the full measure does', () => {
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.jsonValue(), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 })),
    })).node
    fc.assert(fc.property(tree, (value) => countValues(value) === measureDocument(value).values), { numRuns: 500 })
    expect(countValues(JSON.parse('{"__proto__": {"a": 1}, "b": [1, 2]}'))).toBe(6)
  })

  it('stops counting once past a limit, and counts exactly up to it', () => {
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.jsonValue(), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 })),
    })).node
    fc.assert(
      fc.property(tree, fc.nat(40), (value, limit) => {
        const all = countValues(value)
        const counted = countValues(value, limit)
        return all <= limit ? counted === all : counted > limit && counted <= all
      }),
      { numRuns: 500 },
    )
    let deep: unknown = 'leaf'
    for (let i = 0; i < 50_000; i += 1) deep = [deep]
    expect(countValues(deep, 10)).toBe(11)
  })
})

describe('positions of very large plain files', () => {
  it('falls back to the first line of the document past the value budget, instead of a full parse', () => {
    const count = MAX_POSITIONED_VALUES + 10
    const text = `# big\nkind: SyllableCampaign\nspec:\n  labels: [${Array.from({ length: count }, () => '1').join(',')}]\n`
    const [document] = loadPlainDocuments('a.yaml', text)!
    expect(document!.position(['spec', 'labels', 5])).toEqual({ line: 2, column: 1 })
    expect(document!.sourceTextAt(['spec', 'labels', 5])).toBeUndefined()
  })

  it('gives exact positions below the budget', () => {
    const text = '# small\nkind: SyllableCampaign\nspec:\n  labels: [1, 2, 3]\n'
    const [document] = loadPlainDocuments('a.yaml', text)!
    expect(document!.position(['spec', 'labels', 2])).toEqual({ line: 4, column: 18 })
  })
})
