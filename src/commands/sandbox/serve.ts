import { Flags } from '@oclif/core'

import { BaseCommand } from '../../cli/base-command.js'
import { runSandboxServe } from '../../cli/run/sandbox-serve.js'
import { lockTimeoutFlag } from '../../cli/shared-flags.js'
import { emulatedPaths, platformNames } from '../../platforms.js'

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
    const exitCode = await runSandboxServe(this.flags, this.io)
    if (exitCode !== 0) this.exit(exitCode)
  }
}
