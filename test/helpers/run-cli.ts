import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'

/** The repository root (this file lives in test/helpers/). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** The built CLI entry point; e2e tests always run the real, built `cac` (npm run build). */
export const CLI_PATH = fileURLToPath(new URL('../../dist/bin/cac.js', import.meta.url))

export interface CliResult {
  /** Exit code, or null when the process was killed by a signal. */
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** Wall time of the process, for guards such as "the alias bomb is refused quickly". */
  durationMs: number
  /** True when the process outlived `timeoutMs` and was killed. */
  timedOut: boolean
}

export interface RunOptions {
  /** Working directory of the process (usually a temp project). */
  cwd: string
  /** Variables added to the base environment; `undefined` removes a base variable (e.g. NO_COLOR). */
  env?: Record<string, string | undefined>
  /** Kill the process after this long (default 20 s), so a hang fails one test instead of the run. */
  timeoutMs?: number
}

/**
 * The whole environment the CLI sees: nothing is inherited from the machine but PATH, so a
 * variable set in a developer's shell (or in CI) cannot change what a test observes.
 */
export function cliEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: tmpdir(),
    NO_COLOR: '1',
    CI: 'true',
    ...extra,
  }
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) if (value !== undefined) out[name] = value
  return out
}

/** Spawns `node dist/bin/cac.js ARGS…` as a real process and collects its output and exit code. */
export function runCli(args: readonly string[], options: RunOptions): Promise<CliResult> {
  if (!existsSync(CLI_PATH)) {
    throw new Error(`${CLI_PATH} does not exist: run \`npm run build\` before the e2e tests`)
  }
  const timeoutMs = options.timeoutMs ?? 20_000
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, [CLI_PATH, ...args], {
      cwd: options.cwd,
      env: cliEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        durationMs: performance.now() - started,
        timedOut,
      })
    })
  })
}

/** `cac validate ARGS…` in a project directory. */
export function validate(cwd: string, args: readonly string[] = [], env?: RunOptions['env']): Promise<CliResult> {
  return runCli(['validate', ...args], env === undefined ? { cwd } : { cwd, env })
}

export interface ServingCli {
  /** The base URL the server printed. */
  url: string
  /** Output so far. */
  stdout: () => string
  /** Sends a signal and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<CliResult>
}

/**
 * Starts a long-running command (`cac sandbox serve …`), waits until it prints
 * "listening on <url>", and returns the URL and a way to stop it.
 */
export function startServingCli(args: readonly string[], options: RunOptions): Promise<ServingCli> {
  const timeoutMs = options.timeoutMs ?? 20_000
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, [CLI_PATH, ...args], {
      cwd: options.cwd,
      env: cliEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let ready = false
    const ended = new Promise<CliResult>((resolveEnd) => {
      child.on('close', (code, signal) =>
        resolveEnd({ code, signal, stdout, stderr, durationMs: performance.now() - started, timedOut: false }),
      )
    })
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`no "listening on" line within ${timeoutMs} ms; stdout: ${stdout} stderr: ${stderr}`))
    }, timeoutMs)
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8')
      const match = /listening on (http:\/\/\S+)/.exec(stdout)
      if (match && !ready) {
        ready = true
        clearTimeout(timer)
        resolve({
          url: match[1]!,
          stdout: () => stdout,
          stop: (signal = 'SIGTERM') => {
            child.kill(signal)
            return ended
          },
        })
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    child.on('error', reject)
    void ended.then((result) => {
      if (!ready) {
        clearTimeout(timer)
        reject(new Error(`the command ended before listening (exit ${String(result.code)}): ${stderr}`))
      }
    })
  })
}
