import { describe, expect, it } from 'vitest'

import { loadPlainDocuments } from '../../src/config/plain-yaml.js'

/** A stream of `count` one-line documents (`{}`), the shape of a generated definitions file. */
function manyDocuments(count: number): string {
  return '---\n{}\n'.repeat(count)
}

/** The fastest of `runs` timings of `work`, in milliseconds (the least disturbed by a busy machine). */
function fastestOf(runs: number, work: () => void): number {
  let best = Number.POSITIVE_INFINITY
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now()
    work()
    best = Math.min(best, performance.now() - started)
  }
  return best
}

/**
 * Asks every document of the file for its position, as validate does when each document has a
 * problem; the file's full parse is made before the clock starts, so only the lookups are timed.
 */
function positionLookupTime(count: number): number {
  const documents = loadPlainDocuments('a.yaml', manyDocuments(count))!
  expect(documents).toHaveLength(count)
  expect(documents[count - 1]!.position([])).toEqual({ line: 2 * count, column: 1 })
  return fastestOf(3, () => {
    for (const document of documents) document.position(['kind'])
  })
}

describe('multi-document files are read in linear time', () => {
  it('finds the position of each of 50,000 documents in about 5× the time of 10,000 (not 25×)', { timeout: 120_000 }, () => {
    const small = positionLookupTime(10_000)
    const large = positionLookupTime(50_000)
    // Linear work gives a ratio near 5, quadratic near 25; the bound leaves room for a busy machine.
    expect(large / Math.max(small, 1)).toBeLessThan(12)
  })

  it('points each document at its own line', () => {
    const documents = loadPlainDocuments('a.yaml', manyDocuments(5))!
    expect(documents.map((document) => document.position([]).line)).toEqual([2, 4, 6, 8, 10])
  })
})
