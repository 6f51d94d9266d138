import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { SENSITIVE, SecretValue } from '../../src/model/secret.js'
import { SecretScrubber, knownSecrets } from '../../src/model/secret-scrubber.js'

const KEY = 'sk-live-9f8e7d6c5b4a39281706'

describe('SecretScrubber', () => {
  it('masks a secret as written, JSON-escaped and URL-encoded', () => {
    const scrubber = new SecretScrubber()
    const quoted = 'pa"ss\\word+/=1'
    scrubber.register(KEY)
    scrubber.register(quoted)
    expect(scrubber.scrub(`invalid api key ${KEY}.`)).toBe(`invalid api key ${SENSITIVE}.`)
    expect(scrubber.scrub(JSON.stringify({ detail: `key ${quoted}` }))).toBe(`{"detail":"key ${SENSITIVE}"}`)
    expect(scrubber.scrub(`https://x.example.com/?k=${encodeURIComponent(quoted)}`)).toBe(`https://x.example.com/?k=${SENSITIVE}`)
  })

  it('masks a long secret even when only part of it is echoed (a message cut short)', () => {
    const scrubber = new SecretScrubber()
    scrubber.register(KEY)
    const cut = `401: invalid key ${KEY.slice(0, 20)}...`
    expect(scrubber.scrub(cut)).toBe(`401: invalid key ${SENSITIVE}...`)
    expect(scrubber.scrub(`tail ${KEY.slice(9)} end`)).toBe(`tail ${SENSITIVE} end`)
  })

  it('leaves ordinary text alone, and ignores values too short to be secrets', () => {
    const scrubber = new SecretScrubber()
    scrubber.register('abc')
    scrubber.register(KEY)
    expect(scrubber.size).toBe(1)
    const text = 'Plan: 2 to create, 0 to update. sk-live- is a prefix only; abc stays.'
    expect(scrubber.scrub(text)).toBe(text)
  })

  it('scrubs the strings of a value tree, keys included, and keeps secret objects as they are', () => {
    const scrubber = new SecretScrubber()
    scrubber.register(KEY)
    const secret = new SecretValue('SYLLABLE_HMAC_SECRET', undefined)
    const tree = { live: { description: `echo ${KEY}`, [KEY]: 1, list: [KEY, 3] }, desired: { hmac_secret: secret } }
    expect(scrubber.scrubValues(tree)).toEqual({
      live: { description: `echo ${SENSITIVE}`, [SENSITIVE]: 1, list: [SENSITIVE, 3] },
      desired: { hmac_secret: secret },
    })
    expect(scrubber.scrubValues(tree).desired.hmac_secret).toBe(secret)
  })

  it('no part of 12 characters of a long secret survives, wherever it sits in the text', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 16, maxLength: 80, unit: 'binary' }),
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        fc.nat(),
        fc.nat(),
        (secret, before, after, a, b) => {
          const scrubber = new SecretScrubber()
          scrubber.register(secret)
          const start = a % (secret.length - 11)
          const end = Math.min(secret.length, start + 12 + (b % (secret.length - start - 11)))
          const part = secret.slice(start, end)
          const out = scrubber.scrub(`${before}${part}${after}`)
          expect(out).not.toContain(part)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('every SecretValue with a value is known to the process-wide scrubber', () => {
    const value = `hmac-${'x'.repeat(12)}-${Date.now()}`
    void new SecretValue('SOME_SECRET', value)
    expect(knownSecrets.scrub(`echoed: ${value}`)).toBe(`echoed: ${SENSITIVE}`)
  })
})
