import { describe, expect, it } from 'vitest'

import { holdYoungGeneration } from '../../src/cli/young-generation.js'

describe('holding the young generation at its starting size', () => {
  it('sets the flag on the V8 versions that define it (Node 20 and 22)', () => {
    expect(holdYoungGeneration('11.3.244.8-node.38')).toBe(true)
    expect(holdYoungGeneration('12.4.254.21-node.33')).toBe(true)
  })

  it('leaves V8 alone elsewhere, where the flag may not exist', () => {
    expect(holdYoungGeneration('10.2.154.26-node.26')).toBe(false)
    expect(holdYoungGeneration('13.6.233.10-node.18')).toBe(false)
    expect(holdYoungGeneration('')).toBe(false)
  })
})
