import { spawn } from 'node:child_process'

import { CLI_PATH, cliEnv, type CliResult, type RunOptions } from './run-cli.js'

/** A `cac` process running in the background, watched while it runs (to signal it at the right moment). */
export interface BackgroundCli {
  /** The process id (the CLI's own: node is spawned directly). */
  pid: number
  stdout(): string
  stderr(): string
  /** Resolves once stdout or stderr matches (fails after `timeoutMs`, or when the process ends first). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>
  signal(signal: NodeJS.Signals): void
  /** The end of the process (killed after the run's timeout, like runCli). */
  ended: Promise<CliResult>
}

/** Spawns `node dist/bin/cac.js ARGS…` without waiting for it; see runCli for the environment. */
export function startCli(args: readonly string[], options: RunOptions): BackgroundCli {
  const started = performance.now()
  const child = spawn(process.execPath, [CLI_PATH, ...args], { cwd: options.cwd, env: cliEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  let timedOut = false
  const listeners = new Set<() => void>()
  const changed = () => listeners.forEach((listener) => listener())
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8')
    changed()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
    changed()
  })
  const timer = setTimeout(() => {
    timedOut = true
    child.kill('SIGKILL')
  }, options.timeoutMs ?? 120_000)
  let exited = false
  const ended = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      exited = true
      changed()
      resolve({ code, signal, stdout, stderr, durationMs: performance.now() - started, timedOut })
    })
  })
  return {
    pid: child.pid!,
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor: (pattern, timeoutMs = 60_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(stdout) || pattern.test(stderr)) return finish()
          if (exited) finish(new Error(`the process ended before printing ${String(pattern)}\nstdout: ${stdout}\nstderr: ${stderr}`))
        }
        const deadline = setTimeout(() => finish(new Error(`no ${String(pattern)} within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`)), timeoutMs)
        const finish = (error?: Error) => {
          clearTimeout(deadline)
          listeners.delete(check)
          if (error) reject(error)
          else resolve()
        }
        listeners.add(check)
        check()
      }),
    signal: (signal) => {
      child.kill(signal)
    },
    ended,
  }
}

/** Polls `condition` every 20 ms until it holds (fails after `timeoutMs`). */
export async function eventually(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await condition()) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`not within ${timeoutMs} ms: ${what}`)
}
