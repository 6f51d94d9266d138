import * as Flags from '@oclif/core/flags'

import { BaseCommand } from '../../cli/base-command.js'
import { COMMAND_RUNNERS } from '../../cli/command-runners.js'
import { lockTimeoutFlag } from '../../cli/shared-flags.js'
import { emulatedPaths, platformNames } from '../../platforms.js'

export default class SandboxServe extends BaseCommand<typeof SandboxServe> {
  static override summary = `Run the emulator of the ${platformNames()} APIs until stopped.`

  static override description =
    `Serves the platforms' APIs on one real HTTP server (${emulatedPaths()}), plus a JSON control API under /__sandbox ` +
    '(faults, request counters, clock, reset). Any non-empty API key is accepted. Inside a project (cac.yaml here or ' +
    'above, or --config), it serves the state file and pinned clock of the project\'s sandbox: section, those its ' +
    'embedded sandbox uses (default .cac/sandbox.json); outside any project, or with --memory, state lives in memory. ' +
    '--state and --now override. A state file is written atomically after every change and held locked while the ' +
    'server runs (FILE.lock): no other cac process rewrites it meanwhile, and a second server on it is refused.'

  static override examples = [
    '<%= config.bin %> sandbox serve',
    '<%= config.bin %> sandbox serve --port 4010 --state /tmp/sandbox.json',
    '<%= config.bin %> sandbox serve --memory --now 2026-11-24T00:00:00Z',
    '<%= config.bin %> sandbox serve --latency 20 --faults 429=0.1,500=0.05,reset=0.02,drop=0.05,seed=7',
  ]

  static override flags = {
    port: Flags.integer({ description: 'port to listen on (0 picks a free one)', default: 4010, min: 0, max: 65535 }),
    host: Flags.string({ description: 'interface to listen on', default: '127.0.0.1' }),
    state: Flags.string({ description: "persist state to this JSON file (default: the project's sandbox state file, else in memory)", exclusive: ['memory'] }),
    memory: Flags.boolean({ description: "keep state in memory and ignore the project's sandbox: section", default: false }),
    latency: Flags.integer({ description: 'milliseconds added to every API request', default: 0, min: 0 }),
    faults: Flags.string({
      description:
        'fault probabilities and seed, e.g. 429=0.1,500=0.05,503=0.05,reset=0.02,drop=0.05,seed=7,retry-after=1; late=0.1,late-ms=1500 answers 504 and commits later (or JSON)',
    }),
    now: Flags.string({ description: "freeze the clock at this instant (ISO 8601; default: the project's sandbox.now); move it with PUT /__sandbox/clock" }),
    log: Flags.boolean({ description: 'print one line per API request (method, path, outcome, time)', default: false }),
    'lock-timeout': lockTimeoutFlag(0, 'the lock of the state file'),
  }

  public async run(): Promise<void> {
    this.finish(await COMMAND_RUNNERS['sandbox:serve'](this.input, this.io))
  }
}
