/**
 * An exclusive lock held as a file, for what two cac processes must never do at once (apply one
 * project, rewrite one sandbox state file). Why a file: it works for any process on the machine,
 * survives nothing but its holder, and names that holder for whoever finds it.
 *
 * - Creation is atomic: the complete holder record is written to a private file and hard-linked
 *   to the lock path, which fails when the path exists (the O_EXCL guarantee, with no moment at
 *   which the lock exists but is empty). Where hard links are not supported, `open(…, 'wx')`.
 * - A lock whose holder ran on this host and is no longer running is taken over. Taking over
 *   happens under a second exclusive file (`LOCK.takeover`), and only after re-reading that the
 *   lock is still the dead holder's, so two processes can never both take over the same lock.
 * - Release removes the file only while it still carries this holder's token, and held locks are
 *   released when the process exits (`process.exit` included).
 */
import { randomBytes } from 'node:crypto'
import { existsSync, promises as fs, readFileSync, statSync, unlinkSync } from 'node:fs'
import { hostname } from 'node:os'
import { dirname } from 'node:path'

/** Who holds a lock, as written in its file. */
export interface LockHolder {
  pid: number
  host: string
  /** The command that took it, e.g. `cac apply`. */
  command: string
  /** ISO 8601. */
  started_at: string
  /** Unique per acquisition: tells one holder from a later one with the same pid. */
  token: string
}

/** How long to wait for a lock and whom to tell. */
export interface LockWait {
  /** 0 = refuse at once when it is held. */
  timeoutMs: number
  /** Stops waiting (the waiter was interrupted). */
  signal?: AbortSignal
  /** Told once per holder waited for, and when a stale lock is taken over. */
  onNote?: (message: string) => void
}

export interface LockRequest extends LockWait {
  /** Absolute path of the lock file. */
  path: string
  /** How the lock file is shown in messages (relative to the working directory). */
  shownPath: string
  /** What the lock protects, as the subject of a sentence: `this project`. */
  subject: string
  /** Recorded as the holder's command. */
  command: string
  /** Time between looks while waiting (default 100 ms). */
  pollMs?: number
}

export interface HeldLock {
  readonly path: string
  readonly holder: LockHolder
  /** Removes the lock file if it is still this holder's; safe to call more than once. */
  release(): Promise<void>
}

/** The lock could not be had (held by someone else, or its file cannot be created). */
export class LockError extends Error {}

/** Waiting for the lock was stopped by the caller's signal. */
export class LockWaitAbortedError extends Error {}

const DEFAULT_POLL_MS = 100
/** Looks in one acquisition at most, whatever the timeout: every loop is bounded. */
const MAX_LOOKS = 100_000
/** A takeover guard older than this was left by a process that died while taking over. */
const ABANDONED_GUARD_MS = 10_000

/** Locks this process holds, released on exit. */
const held = new Map<string, LockHolder>()
let exitHookInstalled = false

/** Takes the lock, waiting up to `timeoutMs` for its holder; throws LockError when it cannot. */
export async function acquireFileLock(request: LockRequest): Promise<HeldLock> {
  installExitHook()
  await fs.mkdir(dirname(request.path), { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new LockError(`cannot create the folder of the lock file ${request.shownPath}: ${error.code ?? error.message}`)
  })
  const mine: LockHolder = {
    pid: process.pid,
    host: hostname(),
    command: request.command,
    started_at: new Date().toISOString(),
    token: randomBytes(12).toString('hex'),
  }
  const deadline = Date.now() + Math.max(0, request.timeoutMs)
  const pollMs = request.pollMs ?? DEFAULT_POLL_MS
  let announced: string | undefined
  for (let look = 0; look < MAX_LOOKS; look += 1) {
    if (request.signal?.aborted) throw new LockWaitAbortedError(`stopped waiting for the lock ${request.shownPath}`)
    if (await createExclusively(request.path, mine)) return hold(request.path, mine)
    const found = readHolder(request.path)
    if (found.kind === 'absent') continue
    if (found.kind === 'holder' && isStale(found.holder)) {
      if (await takeOver(request, found.holder, mine)) return hold(request.path, mine)
    }
    const remaining = deadline - Date.now()
    if (remaining <= 0) throw new LockError(busyMessage(request, found))
    const identity = found.kind === 'holder' ? found.holder.token : 'unreadable'
    if (announced !== identity) {
      announced = identity
      request.onNote?.(`${request.subject} is locked by ${describeFound(found)}; waiting up to ${seconds(request.timeoutMs)} for it (lock file ${request.shownPath})`)
    }
    await pause(Math.min(pollMs, remaining), request.signal)
  }
  throw new LockError(`could not take the lock ${request.shownPath}: it kept changing hands`)
}

/** What a lock file says about its holder, for messages (e.g. `pid 4242 on host ci-1 (cac apply, since …)`). */
export function describeHolder(holder: LockHolder): string {
  return `pid ${holder.pid} on host ${holder.host} (${holder.command}, since ${holder.started_at})`
}

type Found = { kind: 'absent' } | { kind: 'unreadable' } | { kind: 'holder'; holder: LockHolder }

function hold(path: string, holder: LockHolder): HeldLock {
  held.set(path, holder)
  return {
    path,
    holder,
    release: async () => releaseSync(path, holder),
  }
}

function releaseSync(path: string, holder: LockHolder): void {
  if (held.get(path)?.token !== holder.token) return
  held.delete(path)
  const found = readHolder(path)
  if (found.kind !== 'holder' || found.holder.token !== holder.token) return
  try {
    unlinkSync(path)
  } catch {
    // Already gone: nothing to release.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const [path, holder] of [...held]) releaseSync(path, holder)
  })
}

/** Creates `path` holding the record, only if it does not exist; false when it does. */
async function createExclusively(path: string, holder: LockHolder): Promise<boolean> {
  const text = `${JSON.stringify(holder)}\n`
  const draft = `${path}.${process.pid}.${holder.token}.${randomBytes(4).toString('hex')}.tmp`
  try {
    await fs.writeFile(draft, text, { flag: 'wx' })
  } catch (error) {
    throw new LockError(`cannot create the lock file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  try {
    await fs.link(draft, path)
    return true
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return false
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') return createWithoutLink(path, text)
    throw new LockError(`cannot create the lock file ${path}: ${code ?? (error as Error).message}`)
  } finally {
    await fs.unlink(draft).catch(() => undefined)
  }
}

/** For file systems without hard links: O_EXCL create, then the record (readers may briefly see it empty). */
async function createWithoutLink(path: string, text: string): Promise<boolean> {
  let handle
  try {
    handle = await fs.open(path, 'wx')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw new LockError(`cannot create the lock file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  try {
    await handle.writeFile(text, 'utf8')
  } finally {
    await handle.close()
  }
  return true
}

/**
 * Removes a dead holder's lock and takes it, under the takeover guard. Returns false when another
 * process is taking over, or took it first: the caller looks again.
 */
async function takeOver(request: LockRequest, stale: LockHolder, mine: LockHolder): Promise<boolean> {
  const guard = `${request.path}.takeover`
  if (!(await createExclusively(guard, mine))) return false
  try {
    const current = readHolder(request.path)
    if (current.kind === 'holder' && current.holder.token !== stale.token) return false
    if (current.kind === 'unreadable') return false
    if (current.kind === 'holder') await fs.unlink(request.path).catch(() => undefined)
    if (!(await createExclusively(request.path, mine))) return false
    request.onNote?.(
      `took over the lock ${request.shownPath} of ${request.subject} from ${describeHolder(stale)}, which is no longer running`,
    )
    return true
  } finally {
    await fs.unlink(guard).catch(() => undefined)
  }
}

/** The lock file's holder. A file that is not a holder record is "unreadable": never taken over. */
function readHolder(path: string): Found {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' }
    return { kind: 'unreadable' }
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { kind: 'unreadable' }
  }
  const record = value as Partial<Record<keyof LockHolder, unknown>> | null
  if (
    record === null ||
    typeof record !== 'object' ||
    !Number.isSafeInteger(record.pid) ||
    (record.pid as number) <= 0 ||
    typeof record.host !== 'string' ||
    typeof record.command !== 'string' ||
    typeof record.started_at !== 'string' ||
    typeof record.token !== 'string'
  ) {
    return { kind: 'unreadable' }
  }
  return {
    kind: 'holder',
    holder: {
      pid: record.pid as number,
      host: printable(record.host),
      command: printable(record.command),
      started_at: printable(record.started_at),
      token: record.token,
    },
  }
}

/** Text from a lock file is shown to people: no control characters, bounded length. */
function printable(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')
  return clean.length > 120 ? `${clean.slice(0, 117)}...` : clean
}

/** Held by a process of this host that is no longer running (another host's process cannot be checked). */
function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname() || holder.pid === process.pid) return false
  try {
    process.kill(holder.pid, 0)
    return false
  } catch (error) {
    // EPERM: it exists, run by another user.
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

function describeFound(found: Found): string {
  return found.kind === 'holder' ? describeHolder(found.holder) : 'a process cac cannot name (the lock file is not a cac lock record)'
}

function busyMessage(request: LockRequest, found: Found): string {
  const waited = request.timeoutMs > 0 ? `gave up after waiting ${seconds(request.timeoutMs)}` : 'not waiting (lock timeout 0)'
  const guard = `${request.path}.takeover`
  const abandonedGuard = existsSync(guard) && Date.now() - safeMtime(guard) > ABANDONED_GUARD_MS
  const remove = abandonedGuard ? `${request.shownPath} and ${request.shownPath}.takeover` : request.shownPath
  return (
    `${request.subject} is locked by ${describeFound(found)}; ${waited}. ` +
    `If that process is not running any more (it crashed, or ran on another machine), remove ${remove} and try again`
  )
}

function safeMtime(path: string): number {
  try {
    return statSync(path).mtimeMs
  } catch {
    return Date.now()
  }
}

function seconds(ms: number): string {
  const value = ms / 1000
  return `${Number.isInteger(value) ? value : value.toFixed(1)} s`
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}
