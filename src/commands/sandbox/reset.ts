import { Flags } from '@oclif/core'

import { BaseCommand } from '../../cli/base-command.js'
import { lockTimeoutFlag } from '../../cli/shared-flags.js'
import { DEFAULT_SANDBOX_STATE } from '../../config/project-config.js'
import { SandboxStore } from '../../sandbox/index.js'

export default class SandboxReset extends BaseCommand<typeof SandboxReset> {
  static override summary = 'Empty the sandbox state: a state file, or a running sandbox.'

  static override examples = [
    '<%= config.bin %> sandbox reset',
    '<%= config.bin %> sandbox reset --state /tmp/sandbox.json',
    '<%= config.bin %> sandbox reset --url http://127.0.0.1:4010',
  ]

  static override flags = {
    state: Flags.string({ description: 'the state file to empty', default: DEFAULT_SANDBOX_STATE, exclusive: ['url'] }),
    url: Flags.string({ description: 'empty a running sandbox through its control API instead' }),
    'lock-timeout': lockTimeoutFlag(60, 'the lock of the state file'),
  }

  public async run(): Promise<void> {
    if (this.flags.url !== undefined) {
      const target = new URL('/__sandbox/reset', this.flags.url)
      const response = await fetch(target, { method: 'POST' }).catch((error: Error) => {
        process.stderr.write(`Error: cannot reach the sandbox at ${this.flags.url} (${error.message})\n`)
        return this.exit(1)
      })
      if (!response.ok) {
        process.stderr.write(`Error: the sandbox at ${this.flags.url} answered ${response.status}\n`)
        this.exit(1)
      }
      this.write(`sandbox at ${this.flags.url} reset\n`)
      return
    }
    // Under the file's lock: a sandbox that has the file open would otherwise write its old state back.
    await SandboxStore.resetFile(this.flags.state, {
      command: 'cac sandbox reset',
      lock: { timeoutMs: this.flags['lock-timeout'] * 1000, onNote: (note) => process.stderr.write(`note: ${note}\n`) },
    })
    this.write(`sandbox state ${this.flags.state} reset\n`)
  }
}
