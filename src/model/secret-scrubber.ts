/**
 * Every secret value this process has resolved (API keys, webhook secrets, credentials in a URL),
 * so that the one place output is written can take them out of any text, whatever its source: a
 * platform that echoes a header or a request body back in its error cannot leak one.
 *
 * A secret is found as written, JSON-escaped and URL-encoded; a long one is also found in part
 * (any run of WINDOW characters of it), so that an echo cut short by a message limit is masked too.
 */
import { SENSITIVE } from './secret.js'

/** Shorter values are not secrets worth the name, and masking them would garble ordinary text. */
export const MIN_SECRET_LENGTH = 4
/** Secrets at least this long are also masked where a part of them of WINDOW characters appears. */
const PARTIAL_MIN_LENGTH = 16
const WINDOW = 12

export class SecretScrubber {
  /** Exact forms to replace, longest first. */
  private forms: string[] = []
  private readonly seen = new Set<string>()
  /** Rolling hashes of every WINDOW-long part of the long secrets, and the parts themselves. */
  private readonly windowHashes = new Set<number>()
  private readonly windows = new Set<string>()

  get size(): number {
    return this.seen.size
  }

  register(value: string | undefined): void {
    if (value === undefined || value.length < MIN_SECRET_LENGTH || this.seen.has(value)) return
    this.seen.add(value)
    const forms = new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)])
    this.forms = [...new Set([...this.forms, ...forms])].sort((a, b) => b.length - a.length)
    if (value.length >= PARTIAL_MIN_LENGTH) {
      for (let i = 0; i + WINDOW <= value.length; i += 1) {
        const part = value.slice(i, i + WINDOW)
        this.windows.add(part)
        this.windowHashes.add(hashOf(part))
      }
    }
  }

  scrub(text: string): string {
    if (this.seen.size === 0 || text.length < MIN_SECRET_LENGTH) return text
    let out = text
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(SENSITIVE)
    return this.windows.size > 0 && out.length >= WINDOW ? this.maskParts(out) : out
  }

  /** Every value of a JSON-like tree with its strings scrubbed (objects with a toJSON are kept as they are). */
  scrubValues<T>(value: T): T {
    if (this.seen.size === 0) return value
    return this.scrubTree(value) as T
  }

  private scrubTree(value: unknown): unknown {
    if (typeof value === 'string') return this.scrub(value)
    if (Array.isArray(value)) return value.map((item) => this.scrubTree(item))
    if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON !== 'function') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [this.scrub(key), this.scrubTree(item)]))
    }
    return value
  }

  /** Masks each run of text made of WINDOW-long parts of a secret (found with a rolling hash). */
  private maskParts(text: string): string {
    const ranges: [number, number][] = []
    let hash = 0
    for (let i = 0; i < WINDOW; i += 1) hash = (Math.imul(hash, BASE) + text.charCodeAt(i)) | 0
    for (let start = 0; ; start += 1) {
      if (this.windowHashes.has(hash) && this.windows.has(text.slice(start, start + WINDOW))) {
        const last = ranges.at(-1)
        if (last && start <= last[1]) last[1] = start + WINDOW
        else ranges.push([start, start + WINDOW])
      }
      const next = start + WINDOW
      if (next >= text.length) break
      hash = (Math.imul(hash - Math.imul(text.charCodeAt(start), HIGHEST), BASE) + text.charCodeAt(next)) | 0
    }
    if (ranges.length === 0) return text
    let out = ''
    let from = 0
    for (const [start, end] of ranges) {
      out += text.slice(from, start) + SENSITIVE
      from = end
    }
    return out + text.slice(from)
  }
}

const BASE = 31
/** BASE^(WINDOW-1), modulo 2^32: the weight of the character that leaves the window. */
const HIGHEST = Array.from({ length: WINDOW - 1 }).reduce<number>((power) => Math.imul(power, BASE), 1)

function hashOf(part: string): number {
  let hash = 0
  for (let i = 0; i < part.length; i += 1) hash = (Math.imul(hash, BASE) + part.charCodeAt(i)) | 0
  return hash
}

/** The secrets of this process: SecretValues register themselves, providers register their keys. */
export const knownSecrets = new SecretScrubber()
