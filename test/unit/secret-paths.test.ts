import { describe, expect, it } from 'vitest'

import { expandPathPattern } from '../../src/config/secret-paths.js'

describe('expandPathPattern', () => {
  const value = {
    spec: {
      webhooks: [{ auth_values: { hmac_secret: 'a' } }, { url: 'x' }, { auth_values: { hmac_secret: '' } }],
      providers: { b: { api_key: 1 }, a: { api_key: null }, c: 'text' },
    },
  }

  it('expands * over list indexes and mapping keys, in document order', () => {
    expect(expandPathPattern(value, ['spec', 'webhooks', '*', 'auth_values', 'hmac_secret'])).toEqual([
      ['spec', 'webhooks', 0, 'auth_values', 'hmac_secret'],
      ['spec', 'webhooks', 2, 'auth_values', 'hmac_secret'],
    ])
    expect(expandPathPattern(value, ['spec', 'providers', '*', 'api_key'])).toEqual([
      ['spec', 'providers', 'b', 'api_key'],
      ['spec', 'providers', 'a', 'api_key'],
    ])
    expect(expandPathPattern(value, ['spec', '*', '*'])).toHaveLength(6)
  })

  it('finds nothing where the path is missing or runs into a plain value', () => {
    expect(expandPathPattern(value, ['spec', 'missing', '*'])).toEqual([])
    expect(expandPathPattern(value, ['spec', 'providers', 'c', 'api_key'])).toEqual([])
    expect(expandPathPattern('text', ['spec'])).toEqual([])
    expect(expandPathPattern(null, ['*'])).toEqual([])
  })

  it('gives each match its own path (a caller may keep or change one)', () => {
    const [first, second] = expandPathPattern(value, ['spec', 'webhooks', '*'])
    expect(first).toEqual(['spec', 'webhooks', 0])
    expect(second).toEqual(['spec', 'webhooks', 1])
    expect(first).not.toBe(second)
    expect(expandPathPattern(value, [])).toEqual([[]])
  })
})
