import { spawnSync } from 'node:child_process'

import { describe, expect, it } from 'vitest'

import {
  heapGrowthBound,
  LARGE_HEAP_BYTES,
  LARGE_HEAP_V8_FLAGS,
  LARGE_PROJECT_FILES,
  LARGE_PROJECT_V8_FLAGS,
  youngGenerationBound,
} from '../../src/config/heap-growth.js'

describe('the heap growth bound', () => {
  it('leaves a small heap to V8, and bounds a large one once', () => {
    let used = 40 * 2 ** 20
    const flags: string[] = []
    const check = heapGrowthBound(
      () => used,
      (value) => void flags.push(value),
    )
    check()
    used = LARGE_HEAP_BYTES - 1
    check()
    expect(flags).toEqual([])
    used = LARGE_HEAP_BYTES
    check()
    used = 2 * LARGE_HEAP_BYTES
    check()
    expect(flags).toEqual([LARGE_HEAP_V8_FLAGS])
  })

  it('gives the young generation back its growth once the heap is large', () => {
    expect(LARGE_HEAP_V8_FLAGS.split(' ')).toContain('--semi-space-growth-factor=2')
  })
})

// V8 ignores a flag it does not know when it is set at run time; node refuses one on its command line.
describe('the V8 flags the bounds set', () => {
  it('are flags this node knows', () => {
    const flags = [...LARGE_PROJECT_V8_FLAGS.split(' '), ...LARGE_HEAP_V8_FLAGS.split(' ')]
    const run = spawnSync(process.execPath, [...flags, '-e', '0'], { encoding: 'utf8' })
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
  })
})

describe('the young generation bound', () => {
  it('leaves a small project to V8, and holds the young generation of a large one once', () => {
    const flags: string[] = []
    const bound = youngGenerationBound((value) => void flags.push(value))
    bound(0)
    bound(LARGE_PROJECT_FILES - 1)
    expect(flags).toEqual([])
    bound(LARGE_PROJECT_FILES)
    bound(10 * LARGE_PROJECT_FILES)
    expect(flags).toEqual([LARGE_PROJECT_V8_FLAGS])
  })
})
