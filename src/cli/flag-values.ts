/**
 * What the commands' parsed flags become: the request plan, apply and drift make of them, and the
 * colour of their output. Apart from the flag definitions (shared-flags.ts), which load oclif, so
 * that a command started without oclif (quick-start.ts) does not load it here.
 */
import { shouldColor } from '../render/style.js'

import type { PlanRequest } from '../workflow/plan-project.js'
import type { CommandIo } from './command-io.js'
import { liveReadLine } from './live-read-progress.js'

/** The parsed flags plan and apply share. */
export interface PlatformFlagValues {
  config?: string | undefined
  env?: string[] | undefined
  target?: string[] | undefined
  'pause-to-update': boolean
  sandbox: boolean
  parallelism: number
  timeout?: number | undefined
  color?: boolean | undefined
  /** The command's output format (a progress line is drawn for text only). */
  format?: string | undefined
}

/** What plan, apply and drift ask the workflow for, from their flags and the command's world. */
export function planRequestFrom(flags: PlatformFlagValues, io: CommandIo): PlanRequest {
  const onLiveRead = liveReadLine(io, flags.format)
  return {
    cwd: io.cwd,
    ...(flags.config !== undefined ? { configPath: flags.config } : {}),
    env: io.env,
    retry: io.retry,
    envFiles: flags.env ?? [],
    targets: flags.target ?? [],
    options: { pauseToUpdate: flags['pause-to-update'] },
    forceSandbox: flags.sandbox,
    parallelism: flags.parallelism,
    ...(flags.timeout !== undefined ? { timeoutSeconds: flags.timeout } : {}),
    ...(onLiveRead ? { onLiveRead } : {}),
  }
}

/** Whether a command's stdout is coloured: --color/--no-color, else NO_COLOR/FORCE_COLOR, else a terminal. */
export function colorOf(flags: { color?: boolean | undefined }, io: CommandIo): boolean {
  return shouldColor({ flag: flags.color, isTTY: io.stdout.isTTY, env: io.env })
}
