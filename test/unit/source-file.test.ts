import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, describe, expect, it } from 'vitest'

import { decodeSourceBytes, firstInvalidUtf8Offset, readSourceText } from '../../src/config/source-file.js'

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

describe('readSourceText', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cac-source-file-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('reads a regular file whole', () => {
    const file = join(dir, 'a.yaml')
    const text = `kind: SyllableBatch\n${'# padding\n'.repeat(10_000)}`
    writeFileSync(file, text)
    expect(readSourceText(file)).toEqual({ ok: true, text })
  })

  it('refuses a file over the size limit without reading it', () => {
    const file = join(dir, 'big.yaml')
    writeFileSync(file, 'x'.repeat(2_000))
    expect(readSourceText(file, 1_000)).toEqual({ ok: false, message: 'file is 2 KB, over the 1000 bytes limit for a definition file; split it into smaller files' })
  })

  it('refuses what is not a regular file: a folder, a missing path', () => {
    expect(readSourceText(dir)).toEqual({ ok: false, message: 'is not a regular file' })
    expect(readSourceText(join(dir, 'missing.yaml'))).toEqual({ ok: false, message: 'file does not exist' })
  })

  it.runIf(process.platform !== 'win32')('refuses a named pipe at once, without waiting for a writer', () => {
    const fifo = join(dir, 'pipe.yaml')
    execFileSync('mkfifo', [fifo])
    // A blocking open would never return (no writer ever comes): the test would time out.
    expect(readSourceText(fifo)).toEqual({ ok: false, message: 'is not a regular file' })
  })
})
