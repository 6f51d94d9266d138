import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { acquireFileLock, LockError, LockWaitAbortedError, type LockRequest } from '../../src/lock/file-lock.js'

const BUILT_MODULE = fileURLToPath(new URL('../../dist/lock/file-lock.js', import.meta.url))

let dir: string
let path: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cac-lock-'))
  path = join(dir, '.cac', 'apply.lock')
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

function request(extra: Partial<LockRequest> = {}): LockRequest {
  return { path, shownPath: '.cac/apply.lock', subject: 'this project', command: 'cac apply', timeoutMs: 0, pollMs: 10, ...extra }
}

/** The pid of a process that has ended (so nothing runs under it now). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
  return Number(child.stdout)
}

function record(fields: Record<string, unknown>): string {
  return JSON.stringify({ pid: 1, host: hostname(), command: 'cac apply', started_at: '2026-11-24T10:00:00.000Z', token: 'theirs', ...fields })
}

describe('acquireFileLock', () => {
  it('creates the lock file naming its holder, and release removes it', async () => {
    const lock = await acquireFileLock(request())
    const holder = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>
    expect(holder).toMatchObject({ pid: process.pid, host: hostname(), command: 'cac apply', token: lock.holder.token })
    expect(Date.parse(String(holder.started_at))).not.toBeNaN()
    await lock.release()
    expect(existsSync(path)).toBe(false)
    // Released twice: still nothing there, no error.
    await lock.release()
  })

  it('refuses at once with timeout 0, naming the holder and how to remove a crashed lock', async () => {
    const first = await acquireFileLock(request())
    const error = await acquireFileLock(request()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LockError)
    expect((error as Error).message).toBe(
      `this project is locked by pid ${process.pid} on host ${hostname()} (cac apply, since ${first.holder.started_at}); not waiting (lock timeout 0). ` +
        'If that process is not running any more (it crashed, or ran on another machine), remove .cac/apply.lock and try again',
    )
    await first.release()
  })

  it('waits for the holder, saying so once, and gets the lock when it is released', async () => {
    const first = await acquireFileLock(request())
    const notes: string[] = []
    const second = acquireFileLock(request({ timeoutMs: 5_000, onNote: (note) => notes.push(note) }))
    await new Promise((resolve) => setTimeout(resolve, 150))
    await first.release()
    const lock = await second
    expect(notes).toEqual([expect.stringMatching(new RegExp(`^this project is locked by pid ${process.pid} on host .*; waiting up to 5 s for it \\(lock file \\.cac/apply\\.lock\\)$`))])
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ token: lock.holder.token })
    await lock.release()
  })

  it('gives up after the timeout', async () => {
    const first = await acquireFileLock(request())
    const started = Date.now()
    await expect(acquireFileLock(request({ timeoutMs: 200 }))).rejects.toThrow(/gave up after waiting 0\.2 s/)
    expect(Date.now() - started).toBeGreaterThanOrEqual(190)
    expect(Date.now() - started).toBeLessThan(2_000)
    await first.release()
  })

  it('stops waiting when its signal aborts', async () => {
    const first = await acquireFileLock(request())
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    await expect(acquireFileLock(request({ timeoutMs: 10_000, signal: controller.signal }))).rejects.toBeInstanceOf(LockWaitAbortedError)
    await first.release()
  })

  it('takes over a lock whose holder on this host is no longer running, with a note', async () => {
    const dead = deadPid()
    await acquireFileLock(request()).then((lock) => lock.release())
    await writeFile(path, record({ pid: dead }))
    const notes: string[] = []
    const lock = await acquireFileLock(request({ onNote: (note) => notes.push(note) }))
    expect(notes).toEqual([
      `took over the lock .cac/apply.lock of this project from pid ${dead} on host ${hostname()} (cac apply, since 2026-11-24T10:00:00.000Z), which is no longer running`,
    ])
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ pid: process.pid, token: lock.holder.token })
    expect(existsSync(`${path}.takeover`)).toBe(false)
    await lock.release()
  })

  it('never takes over a lock held on another host, or one it cannot read', async () => {
    await acquireFileLock(request()).then((lock) => lock.release())
    await writeFile(path, record({ pid: deadPid(), host: 'elsewhere.example' }))
    await expect(acquireFileLock(request())).rejects.toThrow(/locked by pid \d+ on host elsewhere\.example/)
    await writeFile(path, 'not a lock record\u001b[31m')
    await expect(acquireFileLock(request())).rejects.toThrow(/locked by a process cac cannot name/)
    expect(await readFile(path, 'utf8')).toBe('not a lock record\u001b[31m')
  })

  it('shows what a lock file says without control characters', async () => {
    await acquireFileLock(request()).then((lock) => lock.release())
    await writeFile(path, record({ pid: process.pid, command: 'cac apply\u001b[2J\nrm -rf', host: 'other' }))
    const message = await acquireFileLock(request()).catch((e: Error) => e.message)
    expect(message).toContain('(cac apply?[2J?rm -rf, since')
    expect(message).not.toMatch(/[\u0000-\u001f]/)
  })

  it('release leaves alone a lock that is no longer its own', async () => {
    const lock = await acquireFileLock(request())
    await writeFile(path, record({ token: 'someone-else' }))
    await lock.release()
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ token: 'someone-else' })
  })

  it('is released when the process exits', async () => {
    expect(existsSync(BUILT_MODULE), 'run npm run build first').toBe(true)
    const script = `const { acquireFileLock } = await import(${JSON.stringify(pathToFileURL(BUILT_MODULE).href)});
await acquireFileLock({ path: ${JSON.stringify(path)}, shownPath: 'x', subject: 'x', command: 'test', timeoutMs: 0 });
process.exit(3)`
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 })
    expect(child.status, child.stderr).toBe(3)
    expect(existsSync(path)).toBe(false)
  })

  it('eight processes racing for a stale lock: exactly one takes it over', async () => {
    expect(existsSync(BUILT_MODULE), 'run npm run build first').toBe(true)
    await acquireFileLock(request()).then((lock) => lock.release())
    await writeFile(path, record({ pid: deadPid() }))
    // Each child waits for the same start instant, tries once (timeout 0), and holds what it got for a moment.
    const startAt = Date.now() + 600
    const script = `const { acquireFileLock } = await import(${JSON.stringify(pathToFileURL(BUILT_MODULE).href)});
await new Promise((r) => setTimeout(r, Math.max(0, ${startAt} - Date.now())));
try {
  const lock = await acquireFileLock({ path: ${JSON.stringify(path)}, shownPath: 'x', subject: 'x', command: 'racer', timeoutMs: 0 });
  process.stdout.write('got');
  await new Promise((r) => setTimeout(r, 400));
  await lock.release();
} catch (error) { process.stdout.write(error.constructor.name) }`
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
          let out = ''
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
          child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
          child.on('error', reject)
          child.on('close', () => {
            clearTimeout(timer)
            resolve(out)
          })
        }),
      ),
    )
    expect(outcomes.filter((o) => o === 'got')).toHaveLength(1)
    expect(outcomes.filter((o) => o === 'LockError')).toHaveLength(7)
    expect(existsSync(path)).toBe(false)
    expect(existsSync(`${path}.takeover`)).toBe(false)
  })
})
