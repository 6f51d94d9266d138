import { promises as fs } from 'node:fs'
import { dirname } from 'node:path'

import { acquireFileLock, type HeldLock, type LockWait } from '../lock/file-lock.js'

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

/** A store that may write its file: takes `FILE.lock` before loading it and holds it until closed. */
export interface WritableAccess {
  readOnly?: false
  /** How long to wait for another process's lock (default: refuse at once). */
  lock?: LockWait
  /** Recorded in the lock as its holder's command, e.g. `cac apply`. */
  command?: string
}

/** How a store opens its file: read-only (`cac plan`: no lock, nothing persisted), or writable under the file's lock. */
export type StoreAccess = { readOnly: true } | WritableAccess

/** The lock file of a state file. */
export function stateLockPath(statePath: string): string {
  return `${statePath}.lock`
}

/**
 * The emulator's state, in memory, optionally persisted to a JSON file. Writes are atomic (a
 * temporary file renamed over the old one), so a killed process never leaves a torn file; writes
 * requested while one is in flight are coalesced into the next one. A store that writes its file
 * holds the file's lock from before it reads it until it is closed: the file is loaded whole and
 * rewritten whole, so two writers would silently lose each other's changes.
 */
export class SandboxStore {
  private writing: Promise<void> | undefined
  private queued: Promise<void> | undefined
  private writes = 0

  private constructor(
    public state: SandboxState,
    readonly path: string | undefined,
    /** True when nothing is ever written (the file is only read). */
    readonly readOnly: boolean,
    private readonly lock: HeldLock | undefined,
  ) {}

  /**
   * Opens a store: in memory when `path` is undefined, else loaded from the file (empty if absent);
   * unless read-only, after taking the file's lock (LockError when another process holds it).
   */
  static async open(path?: string, access: StoreAccess = {}): Promise<SandboxStore> {
    if (path === undefined) return new SandboxStore(emptyState(), undefined, false, undefined)
    const lock = access.readOnly === true ? undefined : await lockStateFile(path, access)
    try {
      return new SandboxStore(await loadState(path), path, access.readOnly === true, lock)
    } catch (error) {
      await lock?.release()
      throw error
    }
  }

  /** Writes an empty state to a file (whatever it held, even something unreadable), under its lock. */
  static async resetFile(path: string, access: WritableAccess = {}): Promise<void> {
    const lock = await lockStateFile(path, access)
    try {
      const store = new SandboxStore(emptyState(), path, false, undefined)
      await store.commit()
    } finally {
      await lock.release()
    }
  }

  /** Persists the current state; resolves once a write that includes every change so far is on disk. */
  commit(): Promise<void> {
    if (this.path === undefined || this.readOnly) return Promise.resolve()
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

  /** Waits for pending writes, then releases the file's lock. */
  async close(): Promise<void> {
    await (this.queued ?? this.writing)?.catch(() => undefined)
    await this.lock?.release()
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

function lockStateFile(path: string, access: WritableAccess): Promise<HeldLock> {
  const lockPath = stateLockPath(path)
  return acquireFileLock({
    path: lockPath,
    shownPath: lockPath,
    subject: `the sandbox state file ${path}`,
    command: access.command ?? 'cac sandbox',
    timeoutMs: access.lock?.timeoutMs ?? 0,
    ...(access.lock?.signal ? { signal: access.lock.signal } : {}),
    ...(access.lock?.onNote ? { onNote: access.lock.onNote } : {}),
  })
}

async function loadState(path: string): Promise<SandboxState> {
  let text: string
  try {
    text = await fs.readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState()
    throw new StateFileError(`cannot read the sandbox state file ${path}: ${(error as Error).message}`)
  }
  return parseState(text, path)
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
