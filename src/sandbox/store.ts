import { promises as fs, writeSync } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'

import { acquireFileLock, type HeldLock, type LockWait } from '../lock/file-lock.js'

import { applyEntry, journalHeader, journalLine, journalPath, parseJournal, type ReadJournal, type StatePath } from './state-journal.js'
import { emptySarvamState, type SarvamState } from './sarvam/state.js'
import { emptySyllableState, type SyllableState } from './syllable/state.js'

export const STATE_FORMAT_VERSION = 1

/** Everything the emulator knows, for both platforms: plain JSON, persisted as a snapshot and a journal. */
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

/** The journal is compacted into the snapshot once it outgrows both this and twice the snapshot. */
const MIN_COMPACTION_BYTES = 1024 * 1024

/** How often a load is retried when a compaction replaced the files while they were being read. */
const LOAD_ATTEMPTS = 10

/**
 * The emulator's state, in memory, optionally persisted: a snapshot (FILE, the whole state) and a
 * journal (FILE.journal, see state-journal.ts) to which each commit appends the values changed
 * since the last one, so a commit costs what it changed, not the size of the state. The journal is
 * folded into a new snapshot (written to a temporary file renamed over the old one, so a killed
 * process never leaves a torn snapshot) on the first commit of a store, when it outgrows the
 * snapshot, and on close. Handlers report what they change with `changed`. Writes requested while
 * one is in flight are coalesced into the next one. A store that writes its file holds the file's
 * lock from before it reads it until it is closed: two writers would lose each other's changes.
 */
export class SandboxStore {
  private writing: Promise<void> | undefined
  private queued: Promise<void> | undefined
  private writes = 0
  /** Paths changed since the last write, by their JSON text. */
  private changes = new Map<string, StatePath>()
  private journal: { handle: FileHandle; bytes: number; entries: number } | undefined
  /** True until this store has written a snapshot of its own (the journal it appends to is its own). */
  private mustCompact = true
  private readonly derivedValues = new Map<string, unknown>()

  private constructor(
    private current: SandboxState,
    readonly path: string | undefined,
    /** True when nothing is ever written (the file is only read). */
    readonly readOnly: boolean,
    private readonly lock: HeldLock | undefined,
    private generation: number,
    private snapshotBytes: number,
  ) {}

  get state(): SandboxState {
    return this.current
  }

  /**
   * Opens a store: in memory when `path` is undefined, else loaded from the file and its journal
   * (empty if absent); unless read-only, after taking the file's lock (LockError when another
   * process holds it).
   */
  static async open(path?: string, access: StoreAccess = {}): Promise<SandboxStore> {
    if (path === undefined) return new SandboxStore(emptyState(), undefined, false, undefined, 0, 0)
    const lock = access.readOnly === true ? undefined : await lockStateFile(path, access)
    try {
      const loaded = await loadState(path)
      return new SandboxStore(loaded.state, path, access.readOnly === true, lock, loaded.generation, loaded.snapshotBytes)
    } catch (error) {
      await lock?.release()
      throw error
    }
  }

  /** Writes an empty state to a file (whatever it held, even something unreadable), under its lock. */
  static async resetFile(path: string, access: WritableAccess = {}): Promise<void> {
    const lock = await lockStateFile(path, access)
    try {
      // The journal goes first: it may belong to the snapshot about to be replaced.
      await fs.rm(journalPath(path), { force: true })
      const store = new SandboxStore(emptyState(), path, false, undefined, await readGeneration(path), 0)
      try {
        await store.commit()
      } finally {
        await store.close()
      }
    } finally {
      await lock.release()
    }
  }

  /** Records that the value at `path` in the state was set, replaced or deleted: the next commit persists it. */
  changed(...path: string[]): void {
    if (this.path === undefined || this.readOnly) return
    this.changes.set(JSON.stringify(path), path)
  }

  /**
   * A value derived from the state (an index a handler keeps up to date as it changes the state),
   * built on first use and dropped whenever the whole state is replaced.
   */
  derived<T>(name: string, build: (state: SandboxState) => T): T {
    if (!this.derivedValues.has(name)) this.derivedValues.set(name, build(this.current))
    return this.derivedValues.get(name) as T
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
    this.current = emptyState()
    this.derivedValues.clear()
    this.mustCompact = true
    await this.commit()
  }

  /** Waits for pending writes, folds the journal into the snapshot, then releases the file's lock. */
  async close(): Promise<void> {
    await (this.queued ?? this.writing)?.catch(() => undefined)
    try {
      if (this.journal && this.journal.entries > 0) {
        this.mustCompact = true
        await this.commit()
      }
      // Everything is in the snapshot now: the journal (of its generation, and empty) can go.
      if (this.journal) await this.removeJournal()
    } finally {
      await this.journal?.handle.close().catch(() => undefined)
      this.journal = undefined
      await this.lock?.release()
    }
  }

  private async removeJournal(): Promise<void> {
    await this.journal!.handle.close()
    this.journal = undefined
    this.mustCompact = true
    await fs.rm(journalPath(this.path!), { force: true })
  }

  private clearWriting(finished: Promise<void>): void {
    if (this.writing === finished) this.writing = undefined
  }

  private startWrite(): Promise<void> {
    this.queued = undefined
    const write = this.needsCompaction() ? this.compact() : this.append(this.takeChangedLines())
    // `writing` settles (never rejects) when this write ends; the caller sees the write's outcome.
    const settled: Promise<void> = write.then(
      () => this.clearWriting(settled),
      () => this.clearWriting(settled),
    )
    this.writing = settled
    return write
  }

  private needsCompaction(): boolean {
    if (this.mustCompact || !this.journal) return true
    return this.journal.bytes > Math.max(MIN_COMPACTION_BYTES, 2 * this.snapshotBytes)
  }

  private takeChangedLines(): string {
    let text = ''
    for (const path of this.changes.values()) text += journalLine(this.current, path)
    this.changes.clear()
    return text
  }

  /**
   * Appends the changed values to the journal (nothing to do when nothing changed). The append is
   * written at once, not through the thread pool: a line is a kilobyte or so, and the round trip
   * of an asynchronous write cost each write request about half a millisecond.
   */
  private async append(lines: string): Promise<void> {
    if (lines === '') return
    const journal = this.journal!
    try {
      const bytes = Buffer.from(lines, 'utf8')
      for (let written = 0; written < bytes.length; ) written += writeSync(journal.handle.fd, bytes, written, bytes.length - written)
    } catch (error) {
      // What the journal holds is now unknown: the next write starts from a new snapshot.
      this.mustCompact = true
      throw error
    }
    journal.bytes += Buffer.byteLength(lines)
    journal.entries += 1
  }

  /** Writes the whole state as a new snapshot, then starts its (empty) journal. */
  private async compact(): Promise<void> {
    const path = this.path!
    const generation = this.generation + 1
    const text = snapshotText(this.current, generation)
    this.changes.clear()
    this.mustCompact = true
    this.writes += 1
    const temporary = `${path}.${process.pid}.${this.writes}.tmp`
    const previous = this.journal
    this.journal = undefined
    await previous?.handle.close().catch(() => undefined)
    await fs.mkdir(dirname(path), { recursive: true })
    await fs.writeFile(temporary, text, 'utf8')
    await fs.rename(temporary, path)
    this.generation = generation
    this.snapshotBytes = Buffer.byteLength(text)
    // A journal of an older generation is ignored on load, so a crash from here on loses nothing.
    const handle = await fs.open(journalPath(path), 'w')
    try {
      await handle.write(journalHeader(generation))
    } catch (error) {
      await handle.close()
      throw error
    }
    this.journal = { handle, bytes: 0, entries: 0 }
    this.mustCompact = false
  }
}

function snapshotText(state: SandboxState, generation: number): string {
  const { format_version, ...platforms } = state
  return JSON.stringify({ format_version, generation, ...platforms })
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

interface LoadedState {
  state: SandboxState
  /** The snapshot's generation (0 for a file written before journals, or no file). */
  generation: number
  snapshotBytes: number
}

/**
 * Loads the snapshot and replays its journal. The writer may compact while this reads (a new
 * snapshot renamed over the old one, then a new journal): the read is retried when the snapshot
 * it read is no longer the file's, or when the journal is of a newer generation than the snapshot.
 */
async function loadState(path: string): Promise<LoadedState> {
  for (let attempt = 1; ; attempt++) {
    const snapshot = await readSnapshot(path)
    const journalText = await readOptional(journalPath(path), path)
    const replaced = snapshot.inode !== (await inodeOf(path))
    const journal = parseJournalOf(journalText ?? '', path)
    const newerJournal = journal !== undefined && journal.generation > snapshot.generation
    if ((replaced || newerJournal) && attempt < LOAD_ATTEMPTS) continue
    if (journal !== undefined && journal.generation === snapshot.generation) {
      for (const entry of journal.entries) applyEntry(snapshot.state, entry)
    }
    return { state: snapshot.state, generation: snapshot.generation, snapshotBytes: snapshot.bytes }
  }
}

async function readSnapshot(path: string): Promise<{ state: SandboxState; generation: number; bytes: number; inode: number | undefined }> {
  let handle: FileHandle
  try {
    handle = await fs.open(path, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: emptyState(), generation: 0, bytes: 0, inode: undefined }
    throw unreadable(path, error)
  }
  try {
    const inode = (await handle.stat()).ino
    const text = await handle.readFile('utf8')
    const { state, generation } = parseState(text, path)
    return { state, generation, bytes: Buffer.byteLength(text), inode }
  } catch (error) {
    throw error instanceof StateFileError ? error : unreadable(path, error)
  } finally {
    await handle.close()
  }
}

async function readOptional(file: string, statePath: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw unreadable(statePath, error)
  }
}

async function inodeOf(path: string): Promise<number | undefined> {
  try {
    return (await fs.stat(path)).ino
  } catch {
    return undefined
  }
}

/** The generation of a state file, read leniently (0 when it cannot be read). */
async function readGeneration(path: string): Promise<number> {
  try {
    const value = JSON.parse(await fs.readFile(path, 'utf8')) as { generation?: unknown }
    return typeof value.generation === 'number' ? value.generation : 0
  } catch {
    return 0
  }
}

function parseJournalOf(text: string, path: string): ReadJournal | undefined {
  try {
    return parseJournal(text, journalPath(path))
  } catch (error) {
    throw new StateFileError(`the sandbox state journal ${(error as Error).message}; remove it or run: cac sandbox reset`)
  }
}

function unreadable(path: string, error: unknown): StateFileError {
  return new StateFileError(`cannot read the sandbox state file ${path}: ${(error as Error).message}`)
}

function parseState(text: string, path: string): { state: SandboxState; generation: number } {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new StateFileError(`the sandbox state file ${path} is not valid JSON; remove it or run: cac sandbox reset`)
  }
  const stored = value as (Partial<SandboxState> & { generation?: unknown }) | null
  if (!stored || typeof stored !== 'object' || stored.format_version !== STATE_FORMAT_VERSION) {
    throw new StateFileError(
      `the sandbox state file ${path} has an unknown format (expected format_version ${STATE_FORMAT_VERSION}); ` +
        'remove it or run: cac sandbox reset',
    )
  }
  const { generation, ...state } = stored
  const empty = emptyState()
  return {
    state: { ...empty, ...state, syllable: { ...empty.syllable, ...state.syllable }, sarvam: { ...empty.sarvam, ...state.sarvam } } as SandboxState,
    // A file written before journals has no generation: no journal can continue it.
    generation: typeof generation === 'number' ? generation : 0,
  }
}
