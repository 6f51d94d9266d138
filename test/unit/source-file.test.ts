import { describe, expect, it } from 'vitest'

import { decodeSourceBytes, firstInvalidUtf8Offset } from '../../src/config/source-file.js'

const bytes = (...values: number[]) => Uint8Array.from(values)

describe('firstInvalidUtf8Offset', () => {
  it('accepts ASCII and well-formed multi-byte sequences', () => {
    expect(firstInvalidUtf8Offset(Buffer.from('name: Zoë — 東京 🚀', 'utf8'))).toBe(-1)
  })

  it.each([
    ['a lone continuation byte', bytes(0x61, 0x80), 1],
    ['a Latin-1 é', bytes(0x63, 0x61, 0x66, 0xe9), 3],
    ['a truncated sequence at the end', bytes(0x61, 0xe2, 0x82), 1],
    ['an overlong encoding', bytes(0xc0, 0xaf), 0],
    ['an encoded surrogate', bytes(0xed, 0xa0, 0x80), 0],
    ['a code point above U+10FFFF', bytes(0xf4, 0x90, 0x80, 0x80), 0],
  ])('finds %s', (_name, input, offset) => {
    expect(firstInvalidUtf8Offset(input)).toBe(offset)
  })
})

describe('decodeSourceBytes', () => {
  it('strips a UTF-8 byte-order mark', () => {
    expect(decodeSourceBytes(bytes(0xef, 0xbb, 0xbf, 0x61))).toEqual({ ok: true, text: 'a' })
  })

  it('points at the line and column of the first bad byte', () => {
    const result = decodeSourceBytes(Buffer.concat([Buffer.from('kind: x\nspec: caf'), bytes(0xe9)]))
    expect(result).toMatchObject({ ok: false, position: { line: 2, column: 10 } })
    expect(result.ok === false && result.message).toMatch(/not valid UTF-8/)
  })

  it('recognises UTF-16 and refuses it with advice', () => {
    const result = decodeSourceBytes(Buffer.from('\ufeffkind: x', 'utf16le'))
    expect(result.ok === false && result.message).toMatch(/UTF-16; save it as UTF-8/)
  })

  it('refuses binary content', () => {
    const result = decodeSourceBytes(bytes(0x61, 0x0a, 0x00, 0x62))
    expect(result).toMatchObject({ ok: false, position: { line: 2, column: 1 } })
  })
})
