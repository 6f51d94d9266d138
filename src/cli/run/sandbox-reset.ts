import { resolve } from 'node:path'

import { displayPath } from '../../config/display-path.js'
import { DEFAULT_SANDBOX_STATE } from '../../config/project-config.js'
import { SandboxStore } from '../../sandbox/index.js'
import type { CommandIo } from '../command-io.js'
import { RunFailure } from '../command-errors.js'
import { findProjectSandbox, type ProjectLookup } from './sandbox-project.js'

export interface SandboxResetFlagValues extends ProjectLookup {
  state?: string | undefined
  url?: string | undefined
  'lock-timeout': number
}

/** `cac sandbox reset`: empties a running sandbox (--url) or a state file (the project's by default), under its lock; returns the exit code. */
export async function runSandboxReset(flags: SandboxResetFlagValues, io: CommandIo): Promise<number> {
  if (flags.url !== undefined) {
    const response = await fetch(new URL('/__sandbox/reset', flags.url), { method: 'POST' }).catch((error: Error) => {
      throw new RunFailure(`cannot reach the sandbox at ${flags.url} (${error.message})`)
    })
    if (!response.ok) throw new RunFailure(`the sandbox at ${flags.url} answered ${response.status}`)
    io.stdout.write(`sandbox at ${flags.url} reset\n`)
    return 0
  }
  const target = await stateToReset(flags, io)
  // Under the file's lock: a sandbox that has the file open would otherwise write its old state back.
  await SandboxStore.resetFile(target.path, {
    command: 'cac sandbox reset',
    lock: { timeoutMs: flags['lock-timeout'] * 1000, onNote: (note) => io.stderr.write(`note: ${note}\n`) },
  })
  io.stdout.write(`sandbox state ${target.shown} reset\n`)
  return 0
}

/** --state; else, inside a project, the state file of its sandbox: section; else .cac/sandbox.json here. */
async function stateToReset(flags: SandboxResetFlagValues, io: CommandIo): Promise<{ path: string; shown: string }> {
  if (flags.state !== undefined) return { path: resolve(io.cwd, flags.state), shown: flags.state }
  const project = await findProjectSandbox(flags, io)
  if (project) return { path: project.statePath, shown: `${displayPath(project.statePath, io.cwd)} (from ${project.projectFile})` }
  return { path: resolve(io.cwd, DEFAULT_SANDBOX_STATE), shown: DEFAULT_SANDBOX_STATE }
}
