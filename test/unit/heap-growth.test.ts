import { describe, expect, it } from 'vitest'

import { heapGrowthBound, LARGE_HEAP_BYTES, LARGE_HEAP_V8_FLAGS } from '../../src/config/heap-growth.js'

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
})
