import { resolve } from 'node:path'

import { displayPath } from '../../config/display-path.js'
import { emulatedApiLines } from '../../platforms.js'
import { FaultError, parseFaultSpec, startSandbox } from '../../sandbox/index.js'
import type { CommandIo } from '../command-io.js'
import { RunFailure, UsageError } from '../command-errors.js'
import { findProjectSandbox, type ProjectLookup } from './sandbox-project.js'

export interface SandboxServeFlagValues extends ProjectLookup {
  port: number
  host: string
  state?: string | undefined
  memory: boolean
  latency: number
  faults?: string | undefined
  now?: string | undefined
  log: boolean
  'lock-timeout': number
}

/** `cac sandbox serve`: runs the emulator until SIGINT or SIGTERM, then closes it; returns the exit code. */
export async function runSandboxServe(flags: SandboxServeFlagValues, io: CommandIo): Promise<number> {
  let faults
  try {
    faults = { ...(flags.faults ? parseFaultSpec(flags.faults) : {}), latency_ms: flags.latency }
  } catch (error) {
    throw error instanceof FaultError ? new UsageError(error.message) : error
  }
  if (flags.now !== undefined && Number.isNaN(Date.parse(flags.now))) {
    throw new UsageError(`--now must be an ISO 8601 instant, got ${JSON.stringify(flags.now)}`)
  }
  const settings = await servedSettings(flags, io)
  const sandbox = await startSandbox({
    host: flags.host,
    port: flags.port,
    statePath: settings.statePath,
    stateAccess: { command: 'cac sandbox serve', lock: { timeoutMs: flags['lock-timeout'] * 1000, onNote: (note) => io.stderr.write(`note: ${note}\n`) } },
    faults,
    now: settings.now,
    log: flags.log ? (line) => io.stdout.write(`${line}\n`) : undefined,
  }).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') throw new RunFailure(`port ${flags.port} on ${flags.host} is in use; pick another with --port`)
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new RunFailure(`cannot listen on ${flags.host}: no such interface`)
    throw error
  })
  io.stdout.write(
    [
      `cac sandbox listening on ${sandbox.url}  (state: ${settings.stateShown})`,
      ...emulatedApiLines(sandbox.url, 10),
      `  Clock     ${settings.clockShown}`,
      `  Control   ${sandbox.url}/__sandbox  (faults, counters, clock, state, reset)`,
      'Stop with Ctrl+C.',
      '',
    ].join('\n'),
  )
  let watch: ReturnType<CommandIo['watchInterrupts']> | undefined
  const signal = await new Promise<string>((resolve) => {
    watch = io.watchInterrupts({ onFirst: resolve, onSecond: () => undefined })
  })
  await sandbox.close()
  watch?.dispose()
  io.stdout.write(`stopped (${signal})\n`)
  return 0
}

/** Where the served state lives and which clock it runs on, and how the banner says so. */
interface ServedSettings {
  statePath?: string
  stateShown: string
  now?: string
  clockShown: string
}

/**
 * Flags first; then, inside a project (unless --memory), its `sandbox:` section: the state file
 * and pinned clock that the embedded sandbox of `cac plan` and `cac apply` use, so what is served
 * is what they see. Outside any project: state in memory, real time.
 */
async function servedSettings(flags: SandboxServeFlagValues, io: CommandIo): Promise<ServedSettings> {
  // The project is looked for only when a flag leaves something to it.
  const project = flags.memory || (flags.state !== undefined && flags.now !== undefined) ? undefined : await findProjectSandbox(flags, io)
  const fromProject = project ? `from ${project.projectFile}` : ''
  const state =
    flags.state !== undefined
      ? { statePath: resolve(io.cwd, flags.state), stateShown: flags.state }
      : project
        ? { statePath: project.statePath, stateShown: `${displayPath(project.statePath, io.cwd)}, ${fromProject}` }
        : { stateShown: 'in memory' }
  const now = flags.now ?? project?.now
  const source = flags.now !== undefined ? '--now' : fromProject
  const clockShown = now === undefined ? 'real time' : `frozen at ${now} (${source}); move it with PUT /__sandbox/clock`
  return { ...state, ...(now !== undefined ? { now } : {}), clockShown }
}
