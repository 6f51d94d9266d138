import { emulatedApiLines } from '../../platforms.js'
import { FaultError, parseFaultSpec, startSandbox } from '../../sandbox/index.js'
import type { CommandIo } from '../command-io.js'
import { RunFailure, UsageError } from '../error-report.js'

export interface SandboxServeFlagValues {
  port: number
  host: string
  state?: string | undefined
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
  const sandbox = await startSandbox({
    host: flags.host,
    port: flags.port,
    statePath: flags.state,
    stateAccess: { command: 'cac sandbox serve', lock: { timeoutMs: flags['lock-timeout'] * 1000, onNote: (note) => io.stderr.write(`note: ${note}\n`) } },
    faults,
    now: flags.now,
    log: flags.log ? (line) => io.stdout.write(`${line}\n`) : undefined,
  }).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') throw new RunFailure(`port ${flags.port} on ${flags.host} is in use; pick another with --port`)
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new RunFailure(`cannot listen on ${flags.host}: no such interface`)
    throw error
  })
  io.stdout.write(
    [
      `cac sandbox listening on ${sandbox.url}  (state: ${flags.state ?? 'in memory'})`,
      ...emulatedApiLines(sandbox.url, 10),
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
