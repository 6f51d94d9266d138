import { Flags } from '@oclif/core'

import { BaseCommand, UsageError } from '../../cli/base-command.js'
import { lockTimeoutFlag } from '../../cli/shared-flags.js'
import { LockError } from '../../lock/file-lock.js'
import { emulatedApiLines, emulatedPaths, platformNames } from '../../platforms.js'
import { FaultError, parseFaultSpec, startSandbox, StateFileError } from '../../sandbox/index.js'

export default class SandboxServe extends BaseCommand<typeof SandboxServe> {
  static override summary = `Run the emulator of the ${platformNames()} APIs until stopped.`

  static override description =
    `Serves the platforms' APIs on one real HTTP server (${emulatedPaths()}), plus a JSON control API under /__sandbox ` +
    '(faults, request counters, clock, reset). Any non-empty API key is accepted. State lives in memory ' +
    'unless --state names a file (written atomically after every change), which the server holds locked while it ' +
    'runs (FILE.lock): no other cac process rewrites it meanwhile, and a second server on it is refused.'

  static override examples = [
    '<%= config.bin %> sandbox serve',
    '<%= config.bin %> sandbox serve --port 4010 --state .cac/sandbox.json',
    '<%= config.bin %> sandbox serve --latency 20 --faults 429=0.1,500=0.05,reset=0.02,drop=0.05,seed=7',
  ]

  static override flags = {
    port: Flags.integer({ description: 'port to listen on (0 picks a free one)', default: 4010, min: 0, max: 65535 }),
    host: Flags.string({ description: 'interface to listen on', default: '127.0.0.1' }),
    state: Flags.string({ description: 'persist state to this JSON file (default: in memory)' }),
    latency: Flags.integer({ description: 'milliseconds added to every API request', default: 0, min: 0 }),
    faults: Flags.string({
      description:
        'fault probabilities and seed, e.g. 429=0.1,500=0.05,503=0.05,reset=0.02,drop=0.05,seed=7,retry-after=1; late=0.1,late-ms=1500 answers 504 and commits later (or JSON)',
    }),
    now: Flags.string({ description: 'freeze the clock at this instant (ISO 8601); move it with PUT /__sandbox/clock' }),
    log: Flags.boolean({ description: 'print one line per API request (method, path, outcome, time)', default: false }),
    'lock-timeout': lockTimeoutFlag(0, 'the lock of the --state file'),
  }

  public async run(): Promise<void> {
    let faults
    try {
      faults = { ...(this.flags.faults ? parseFaultSpec(this.flags.faults) : {}), latency_ms: this.flags.latency }
    } catch (error) {
      if (error instanceof FaultError) throw new UsageError(error.message)
      throw error
    }
    if (this.flags.now !== undefined && Number.isNaN(Date.parse(this.flags.now))) {
      throw new UsageError(`--now must be an ISO 8601 instant, got ${JSON.stringify(this.flags.now)}`)
    }
    let sandbox
    try {
      sandbox = await startSandbox({
        host: this.flags.host,
        port: this.flags.port,
        statePath: this.flags.state,
        stateAccess: {
          command: 'cac sandbox serve',
          lock: { timeoutMs: this.flags['lock-timeout'] * 1000, onNote: (note) => process.stderr.write(`note: ${note}\n`) },
        },
        faults,
        now: this.flags.now,
        log: this.flags.log ? (line) => process.stdout.write(`${line}\n`) : undefined,
      })
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EADDRINUSE') this.fail(`port ${this.flags.port} on ${this.flags.host} is in use; pick another with --port`)
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') this.fail(`cannot listen on ${this.flags.host}: no such interface`)
      if (error instanceof StateFileError || error instanceof LockError) this.fail(error.message)
      throw error
    }
    this.write(
      [
        `cac sandbox listening on ${sandbox.url}  (state: ${this.flags.state ?? 'in memory'})`,
        ...emulatedApiLines(sandbox.url, 10),
        `  Control   ${sandbox.url}/__sandbox  (faults, counters, clock, state, reset)`,
        'Stop with Ctrl+C.',
        '',
      ].join('\n'),
    )
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'))
      process.once('SIGTERM', () => resolve('SIGTERM'))
    })
    await sandbox.close()
    this.write(`stopped (${signal})\n`)
  }

  private fail(message: string): never {
    process.stderr.write(`Error: ${message}\n`)
    this.exit(1)
  }
}
