import { describe, expect, it, vi } from 'vitest'

import { loadPlainDocuments } from '../../src/config/plain-yaml.js'
import * as yamlSource from '../../src/config/yaml-source.js'

/** A stream of `count` one-line documents (`{}`), the shape of a generated definitions file. */
function manyDocuments(count: number): string {
  return '---\n{}\n'.repeat(count)
}

describe('multi-document files are read in linear time', () => {
  it('parses a file of 20,000 documents once for all their positions, not once per document', () => {
    const parses = vi.spyOn(yamlSource, 'parseYamlDocuments')
    try {
      const documents = loadPlainDocuments('a.yaml', manyDocuments(20_000))!
      expect(documents).toHaveLength(20_000)
      expect(parses).not.toHaveBeenCalled() // Values need no syntax tree.
      const lines = documents.map((document) => document.position(['kind']).line)
      expect(parses).toHaveBeenCalledTimes(1)
      // Each document found its own node (by where its content starts), not the first or the last.
      expect(lines.every((line, index) => line === 2 * (index + 1))).toBe(true)
    } finally {
      parses.mockRestore()
    }
  })

  it('points each document at its own line', () => {
    const documents = loadPlainDocuments('a.yaml', manyDocuments(5))!
    expect(documents.map((document) => document.position([]).line)).toEqual([2, 4, 6, 8, 10])
  })
})
