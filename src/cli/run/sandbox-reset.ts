import { SandboxStore } from '../../sandbox/index.js'
import type { CommandIo } from '../command-io.js'
import { RunFailure } from '../error-report.js'

export interface SandboxResetFlagValues {
  state: string
  url?: string | undefined
  'lock-timeout': number
}

/** `cac sandbox reset`: empties a running sandbox (--url) or a state file, under its lock; returns the exit code. */
export async function runSandboxReset(flags: SandboxResetFlagValues, io: CommandIo): Promise<number> {
  if (flags.url !== undefined) {
    const response = await fetch(new URL('/__sandbox/reset', flags.url), { method: 'POST' }).catch((error: Error) => {
      throw new RunFailure(`cannot reach the sandbox at ${flags.url} (${error.message})`)
    })
    if (!response.ok) throw new RunFailure(`the sandbox at ${flags.url} answered ${response.status}`)
    io.stdout.write(`sandbox at ${flags.url} reset\n`)
    return 0
  }
  // Under the file's lock: a sandbox that has the file open would otherwise write its old state back.
  await SandboxStore.resetFile(flags.state, {
    command: 'cac sandbox reset',
    lock: { timeoutMs: flags['lock-timeout'] * 1000, onNote: (note) => io.stderr.write(`note: ${note}\n`) },
  })
  io.stdout.write(`sandbox state ${flags.state} reset\n`)
  return 0
}
