import { resolve } from 'node:path'

import { Parser } from '@oclif/core'

import type { CommandIo } from '../../src/cli/command-io.js'
import { reportError } from '../../src/cli/error-report.js'
import { scrubOutput } from '../../src/cli/output.js'
import { COMMAND_RUNNERS } from '../../src/cli/command-runners.js'
import Apply from '../../src/commands/apply.js'
import Drift from '../../src/commands/drift.js'
import Import from '../../src/commands/import.js'
import Init from '../../src/commands/init.js'
import Plan from '../../src/commands/plan.js'
import Validate from '../../src/commands/validate.js'
import type { RetryPolicy } from '../../src/model/retry-policy.js'
import { knownSecrets, SecretScrubber } from '../../src/model/secret-scrubber.js'
import { FAST_RETRY_POLICY } from './fast-retry.js'
import { cliEnv, type CliResult, type RunOptions } from './run-cli.js'

/**
 * The in-process tier: `cac plan|apply|drift|import|init|validate ARGS…` parsed with the command's own oclif flags
 * and run by the same function the command calls, with the same rendering, error mapping and
 * secret scrubbing, in this process: output is collected instead of printed, there is no
 * terminal and no prompt (as under CI), and retries wait milliseconds (FAST_RETRY_POLICY), not
 * the production backoff. The result has the shape of a spawned run's, so scenarios assert the
 * same things in either tier; help, version, signals and the process boundary stay spawned.
 */
const COMMANDS = { plan: Plan, apply: Apply, drift: Drift, import: Import, init: Init, validate: Validate }

export interface InProcessOptions extends Pick<RunOptions, 'cwd' | 'env'> {
  /** Default: FAST_RETRY_POLICY. */
  retry?: RetryPolicy
  /**
   * Forget the secrets earlier runs registered with the output scrubber before this one starts, as
   * a new process knows none: this run's output is masked only by what this run registered. For
   * the secret tests, which run one at a time (a run in flight would lose its masks).
   */
  freshSecrets?: boolean
}

export async function runInProcess(args: readonly string[], options: InProcessOptions): Promise<CliResult> {
  const [id, ...argv] = args
  const command = id !== undefined && Object.hasOwn(COMMANDS, id) ? COMMANDS[id as keyof typeof COMMANDS] : undefined
  if (!command || id === undefined) throw new Error(`the in-process tier runs ${Object.keys(COMMANDS).join(', ')}; spawn the CLI for ${String(id)}`)
  const stdout: string[] = []
  const stderr: string[] = []
  const env = cliEnv(options.env)
  const io: CommandIo = {
    cwd: options.cwd,
    env,
    stdout: { write: (text) => void stdout.push(text), isTTY: false },
    stderr: { write: (text) => void stderr.push(text), isTTY: false },
    interactive: false,
    confirm: () => Promise.resolve(false),
    watchInterrupts: () => ({ signal: new AbortController().signal, received: undefined, exitCode: 1, dispose: () => undefined }),
    retry: options.retry ?? FAST_RETRY_POLICY,
  }
  if (options.freshSecrets) Object.assign(knownSecrets, new SecretScrubber())
  const started = performance.now()
  let code: number
  try {
    const parsed = await Parser.parse(argv, {
      flags: { ...command.baseFlags, ...command.flags },
      args: command.args,
      strict: command.strict ?? true,
    })
    // -C DIR, as the command's BaseCommand.io applies it.
    const directory = parsed.flags.directory
    const input = { flags: parsed.flags as Record<string, unknown>, args: parsed.args as Record<string, unknown>, positionals: parsed.argv as string[] }
    code = await COMMAND_RUNNERS[id as keyof typeof COMMANDS](input, typeof directory === 'string' ? { ...io, cwd: resolve(options.cwd, directory) } : io)
  } catch (error) {
    const report = reportError(error as Error, id, env)
    stderr.push(report.stderr)
    code = report.exitCode
  }
  return {
    code,
    signal: null,
    stdout: scrubOutput(stdout.join('')),
    stderr: scrubOutput(stderr.join('')),
    durationMs: performance.now() - started,
    timedOut: false,
  }
}
