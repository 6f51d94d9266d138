/**
 * Everything a command's run touches outside itself: where it runs, the environment, its two
 * output streams, whether someone can answer a prompt, its interrupts and how hard it retries.
 * The CLI gives it the process (`processIo`); the in-process test tier gives it buffers, so both
 * tiers run the same code and print the same bytes.
 */
import { statSync } from 'node:fs'
import { resolve } from 'node:path'

import type { RetryPolicy } from '../model/retry-policy.js'
import { PRODUCTION_RETRY_POLICY } from '../model/retry-policy.js'
import { askYes, isNonInteractive } from './confirm.js'
import { UsageError } from './command-errors.js'
import { watchInterrupts, type InterruptHandlers, type InterruptWatch } from './interrupt.js'

export interface OutputStream {
  write(text: string): void
  /** Whether the stream is a terminal (colour, live progress). */
  readonly isTTY: boolean
}

export interface CommandIo {
  cwd: string
  env: NodeJS.ProcessEnv
  stdout: OutputStream
  stderr: OutputStream
  /** Someone can answer a prompt: stdin is a terminal and CI is not set. */
  interactive: boolean
  /** Asks a yes/no question; only "yes" goes ahead, and an aborted `signal` answers no. */
  confirm(question: string, signal: AbortSignal): Promise<boolean>
  /** Starts watching SIGINT/SIGTERM for a run that must end with a report. */
  watchInterrupts(handlers: InterruptHandlers): InterruptWatch
  retry: RetryPolicy
}

/** The process as a command's world: cwd, process.env, the real streams (scrubbed), the terminal and signals. */
export function processIo(): CommandIo {
  const stream = (target: NodeJS.WriteStream): OutputStream => ({
    // The process streams are scrubbed once for all writers (guardProcessOutput).
    write: (text) => void target.write(text),
    get isTTY() {
      return target.isTTY === true
    },
  })
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: stream(process.stdout),
    stderr: stream(process.stderr),
    interactive: !isNonInteractive(process.env),
    confirm: askYes,
    watchInterrupts,
    retry: PRODUCTION_RETRY_POLICY,
  }
}

/** The process as a command's world, in the folder `-C DIR` names (checked to be one) when given. */
export function processIoIn(directory: string | undefined): CommandIo {
  if (directory === undefined) return processIo()
  const folder = resolve(process.cwd(), directory)
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`-C ${directory}: no such folder`)
  return { ...processIo(), cwd: folder }
}
