import { promises as fs } from 'node:fs'
import { dirname } from 'node:path'

import { emptySarvamState, type SarvamState } from './sarvam/state.js'
import { emptySyllableState, type SyllableState } from './syllable/state.js'

export const STATE_FORMAT_VERSION = 1

/** Everything the emulator knows, for both platforms: plain JSON, persisted as one file. */
export interface SandboxState {
  format_version: typeof STATE_FORMAT_VERSION
  syllable: SyllableState
  sarvam: SarvamState
}

export function emptyState(): SandboxState {
  return { format_version: STATE_FORMAT_VERSION, syllable: emptySyllableState(), sarvam: emptySarvamState() }
}

/** The state file is unusable (not JSON, or of another format version). */
export class StateFileError extends Error {}

/**
 * The emulator's state, in memory, optionally persisted to a JSON file. Writes are atomic (a
 * temporary file renamed over the old one), so a killed process never leaves a torn file; writes
 * requested while one is in flight are coalesced into the next one.
 */
export class SandboxStore {
  private writing: Promise<void> | undefined
  private queued: Promise<void> | undefined
  private writes = 0

  private constructor(
    public state: SandboxState,
    readonly path: string | undefined,
  ) {}

  /** Opens a store: in memory when `path` is undefined, else loaded from the file (empty if absent). */
  static async open(path?: string): Promise<SandboxStore> {
    if (path === undefined) return new SandboxStore(emptyState(), undefined)
    let text: string
    try {
      text = await fs.readFile(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new SandboxStore(emptyState(), path)
      throw new StateFileError(`cannot read the sandbox state file ${path}: ${(error as Error).message}`)
    }
    return new SandboxStore(parseState(text, path), path)
  }

  /** Writes an empty state to a file (whatever it held, even something unreadable). */
  static async resetFile(path: string): Promise<void> {
    const store = new SandboxStore(emptyState(), path)
    await store.commit()
  }

  /** Persists the current state; resolves once a write that includes every change so far is on disk. */
  commit(): Promise<void> {
    if (this.path === undefined) return Promise.resolve()
    if (this.queued) return this.queued
    if (!this.writing) return this.startWrite()
    this.queued = this.writing.then(() => this.startWrite())
    return this.queued
  }

  /** Empties the state (and persists the empty state). */
  async reset(): Promise<void> {
    this.state = emptyState()
    await this.commit()
  }

  /** Waits for pending writes. */
  async close(): Promise<void> {
    await (this.queued ?? this.writing)?.catch(() => undefined)
  }

  private clearWriting(finished: Promise<void>): void {
    if (this.writing === finished) this.writing = undefined
  }

  private startWrite(): Promise<void> {
    this.queued = undefined
    const path = this.path!
    const text = JSON.stringify(this.state)
    this.writes += 1
    const temporary = `${path}.${process.pid}.${this.writes}.tmp`
    const write = (async () => {
      await fs.mkdir(dirname(path), { recursive: true })
      await fs.writeFile(temporary, text, 'utf8')
      await fs.rename(temporary, path)
    })()
    // `writing` settles (never rejects) when this write ends; the caller sees the write's outcome.
    const settled: Promise<void> = write.then(
      () => this.clearWriting(settled),
      () => this.clearWriting(settled),
    )
    this.writing = settled
    return write
  }
}

function parseState(text: string, path: string): SandboxState {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new StateFileError(`the sandbox state file ${path} is not valid JSON; remove it or run: cac sandbox reset`)
  }
  const state = value as Partial<SandboxState> | null
  if (!state || typeof state !== 'object' || state.format_version !== STATE_FORMAT_VERSION) {
    throw new StateFileError(
      `the sandbox state file ${path} has an unknown format (expected format_version ${STATE_FORMAT_VERSION}); ` +
        'remove it or run: cac sandbox reset',
    )
  }
  const empty = emptyState()
  return { ...empty, ...state, syllable: { ...empty.syllable, ...state.syllable }, sarvam: { ...empty.sarvam, ...state.sarvam } } as SandboxState
}
