import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs'

import type { SourcePosition } from '../model/diagnostic.js'

/** Files larger than this are refused before they are read into memory. */
export const MAX_SOURCE_BYTES = 5 * 1024 * 1024

export type SourceText =
  | { ok: true; text: string }
  | { ok: false; message: string; position?: SourcePosition }

/**
 * Reads a YAML source file defensively: regular files only, size cap, UTF-8 only (with the
 * position of the first bad byte), a UTF-8 byte-order mark stripped, UTF-16/32 recognised and
 * refused with a clear message.
 *
 * The reads are synchronous: a project's files are read before anything else happens (nothing
 * waits on the event loop meanwhile), and for many small files the five round trips through the
 * thread pool of an asynchronous read (stat, open, fstat, read, close) cost more than the reading.
 * Nothing is opened that is not a regular file, and the open does not wait (a FIFO swapped in after
 * the check cannot hang the run).
 */
export function readSourceText(path: string, maxBytes = MAX_SOURCE_BYTES): SourceText {
  let bytes: Buffer
  let fd: number | undefined
  try {
    if (!statSync(path).isFile()) return { ok: false, message: 'is not a regular file' }
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
    const stat = fstatSync(fd)
    if (!stat.isFile()) return { ok: false, message: 'is not a regular file' }
    if (stat.size > maxBytes) {
      return {
        ok: false,
        message: `file is ${formatBytes(stat.size, maxBytes)}, over the ${formatBytes(maxBytes)} limit for a definition file; split it into smaller files`,
      }
    }
    bytes = readAll(fd, stat.size)
  } catch (error) {
    return { ok: false, message: describeFsError(error) }
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
  return decodeSourceBytes(bytes)
}

/** The file's first `size` bytes (fewer if it shrank since its size was read). */
function readAll(fd: number, size: number): Buffer {
  const bytes = Buffer.allocUnsafe(size)
  let filled = 0
  while (filled < size) {
    const read = readSync(fd, bytes, filled, size - filled, filled)
    if (read === 0) break
    filled += read
  }
  return filled === size ? bytes : bytes.subarray(0, filled)
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

export function decodeSourceBytes(bytes: Uint8Array): SourceText {
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    return { ok: false, message: 'file is encoded as UTF-16; save it as UTF-8', position: { line: 1, column: 1 } }
  }
  if (startsWith(bytes, [0x00, 0x00, 0xfe, 0xff])) {
    return { ok: false, message: 'file is encoded as UTF-32; save it as UTF-8', position: { line: 1, column: 1 } }
  }
  const start = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0
  const body = bytes.subarray(start)
  let text: string | undefined
  try {
    text = STRICT_UTF8.decode(body) // Native and fast; the byte-by-byte scan only runs to locate a bad byte.
  } catch {
    text = undefined
  }
  const badOffset = text === undefined ? firstInvalidUtf8Offset(body) : -1
  if (badOffset !== -1) {
    return {
      ok: false,
      message: `file is not valid UTF-8 (byte 0x${body[badOffset]!.toString(16).padStart(2, '0')} at offset ${badOffset + start}); save it as UTF-8`,
      position: bytePosition(body, badOffset),
    }
  }
  if (text === undefined) text = new TextDecoder('utf-8').decode(body)
  const nul = text.indexOf('\u0000')
  if (nul !== -1) {
    return {
      ok: false,
      message: 'file contains a NUL byte; it looks binary, not YAML',
      position: bytePosition(body, Buffer.from(text.slice(0, nul), 'utf8').length),
    }
  }
  return { ok: true, text }
}

/** Returns the offset of the first byte that breaks UTF-8, or -1 when the whole buffer is valid. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]!
    if (b < 0x80) {
      i += 1
      continue
    }
    let needed: number
    let min: number
    if (b >= 0xc2 && b <= 0xdf) {
      needed = 1
      min = 0x80
    } else if (b >= 0xe0 && b <= 0xef) {
      needed = 2
      min = 0x800
    } else if (b >= 0xf0 && b <= 0xf4) {
      needed = 3
      min = 0x10000
    } else {
      return i
    }
    let codePoint = b & (0x3f >> needed)
    for (let k = 1; k <= needed; k += 1) {
      const c = bytes[i + k]
      if (c === undefined || (c & 0xc0) !== 0x80) return i
      codePoint = (codePoint << 6) | (c & 0x3f)
    }
    if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return i
    i += needed + 1
  }
  return -1
}

/** 1-based line and column (in characters) of a byte offset in valid-up-to-that-point UTF-8. */
function bytePosition(bytes: Uint8Array, offset: number): SourcePosition {
  const before = Buffer.from(bytes.subarray(0, offset)).toString('utf8')
  const lines = before.split('\n')
  return { line: lines.length, column: [...(lines[lines.length - 1] ?? '')].length + 1 }
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b)
}

/** A size for people; exact bytes when rounding would make it look equal to `comparedWith`. */
export function formatBytes(n: number, comparedWith?: number): string {
  let text = `${n} bytes`
  if (n >= 1024 * 1024) text = `${(n / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`
  else if (n >= 1024) text = `${(n / 1024).toFixed(1).replace(/\.0$/, '')} KB`
  if (comparedWith !== undefined && n !== comparedWith && text === formatBytes(comparedWith)) {
    return `${n.toLocaleString('en-US')} bytes`
  }
  return text
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  switch (code) {
    case 'ENOENT':
      return 'file does not exist'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'EISDIR':
      return 'is a directory, not a file'
    default:
      return `cannot be read (${code ?? 'unknown error'})`
  }
}
