import * as Flags from '@oclif/core/flags'

import { BaseCommand } from '../../cli/base-command.js'
import { COMMAND_RUNNERS } from '../../cli/command-runners.js'
import { lockTimeoutFlag } from '../../cli/shared-flags.js'
import { DEFAULT_SANDBOX_STATE } from '../../config/project-config.js'

export default class SandboxReset extends BaseCommand<typeof SandboxReset> {
  static override summary = "Empty the sandbox state: a state file (inside a project, its sandbox's), or a running sandbox."

  static override examples = [
    '<%= config.bin %> sandbox reset',
    '<%= config.bin %> sandbox reset --state /tmp/sandbox.json',
    '<%= config.bin %> sandbox reset --url http://127.0.0.1:4010',
  ]

  static override flags = {
    state: Flags.string({ description: `the state file to empty (default: the project's sandbox state file, else ${DEFAULT_SANDBOX_STATE})`, exclusive: ['url'] }),
    url: Flags.string({ description: 'empty a running sandbox through its control API instead' }),
    'lock-timeout': lockTimeoutFlag(60, 'the lock of the state file'),
  }

  public async run(): Promise<void> {
    this.finish(await COMMAND_RUNNERS['sandbox:reset'](this.input, this.io))
  }
}
