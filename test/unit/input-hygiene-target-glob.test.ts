import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { closestMatch } from '../../src/config/suggest.js'
import { addressMatcher } from '../../src/workflow/target-filter.js'

/** The reference semantics, for short inputs only: the regular expression the matcher replaced. */
function regexMatches(glob: string, address: string): boolean {
  let source = ''
  for (const char of glob) {
    if (char === '*') source += '[\\s\\S]*'
    else if (char === '?') source += '[\\s\\S]'
    else source += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${source}$`, 'u').test(address)
}

const matches = (glob: string, address: string) => addressMatcher([glob])(address)

describe('--target globs', () => {
  it.each([
    ['syllable/campaign/*', 'syllable/campaign/Spring Renewals', true],
    ['syllable/campaign/*', 'syllable/batch/b1', false],
    ['*/Alpha', 'syllable/campaign/Alpha', true],
    ['syllable/campaign/?lpha', 'syllable/campaign/Alpha', true],
    ['syllable/campaign/?lpha', 'syllable/campaign/lpha', false],
    ['*', '', true],
    ['', '', true],
    ['', 'x', false],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXbYcZ', false],
    ['*.yaml', 'x.yaml', true],
    ['a.c', 'abc', false],
    ['syllable/campaign/alpha', 'syllable/campaign/Alpha', false],
    ['sarvam/campaign/?', 'sarvam/campaign/é', true],
    ['sarvam/campaign/??', 'sarvam/campaign/😀x', true],
  ])('%s against %s: %s', (glob, address, expected) => {
    expect(matches(glob, address)).toBe(expected)
  })

  it('matches as the regular expression did (property)', () => {
    const alphabet = fc.constantFrom('a', 'b', '/', '*', '?', '.', 'é')
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 10 }), fc.array(fc.constantFrom('a', 'b', '/', '.', 'é'), { maxLength: 12 }), (glob, address) => {
        const pattern = glob.join('')
        const text = address.join('')
        expect(matches(pattern, text)).toBe(regexMatches(pattern, text))
      }),
      { numRuns: 3000 },
    )
  })

  it('settles hostile globs at once: 10,000 stars and an X, against long addresses', () => {
    const started = performance.now()
    const globs = ['*'.repeat(10_000) + 'X', '*a'.repeat(5_000) + 'X', '?'.repeat(10_000), 'a*'.repeat(5_000) + 'X']
    const addresses = ['a'.repeat(5_000), `syllable/campaign/${'a'.repeat(2_000)}`, 'syllable/campaign/Spring Renewals']
    for (const glob of globs) for (const address of addresses) expect(matches(glob, address)).toBe(false)
    expect(matches('*'.repeat(10_000) + 'X', `${'a'.repeat(5_000)}X`)).toBe(true)
    // Milliseconds in fact; the bound only says "not minutes" on a busy machine.
    expect(performance.now() - started).toBeLessThan(5_000)
  })

  it('suggests nothing for a hostile glob without measuring it against every address at length', () => {
    const addresses = Array.from({ length: 20_000 }, (_, i) => `syllable/campaign/Campaign ${i}`)
    const started = performance.now()
    expect(closestMatch('*'.repeat(10_000) + 'X', addresses)).toBeUndefined()
    expect(closestMatch('syllable/campaign/Campaign 12x', addresses)).toBe('syllable/campaign/Campaign 12')
    expect(performance.now() - started).toBeLessThan(5_000)
  })
})
