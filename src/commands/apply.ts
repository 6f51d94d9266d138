import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import { BaseCommand } from '../cli/base-command.js'
import { COMMAND_RUNNERS } from '../cli/command-runners.js'
import { lockTimeoutFlag, platformFlags } from '../cli/shared-flags.js'
import { APPLY_FORMATS } from '../render/apply-outcome.js'
import { DEFAULT_LOCK_TIMEOUT_MS } from '../workflow/apply-project.js'

export default class Apply extends BaseCommand<typeof Apply> {
  static override summary = 'Make the platforms match the files: re-plan (or load a saved plan), confirm, execute.'

  static override description =
    'Without PLANFILE, plans again and asks for confirmation on a terminal. With PLANFILE (from `cac plan --out`), ' +
    'applies exactly that plan after checking that none of the resources it touches changed on the platform since ' +
    '(the whole plan is refused otherwise, naming what moved). Creates run before what depends on them; ' +
    'independent changes run concurrently. Safe to repeat: a second apply has nothing to do. With no terminal, ' +
    'or CI=true, there is no prompt: pass --auto-approve or a plan file. One apply at a time per project: a second one ' +
    'waits for the first (up to --lock-timeout), and a lock left by a process that died on this machine is taken over. ' +
    'On SIGINT or SIGTERM nothing new is started, the changes in flight are waited for (30 s at most) and the summary ' +
    'is printed; a second signal stops at once. Exit 0 when everything was applied, 1 otherwise, 130/143 when interrupted.'

  static override examples = [
    '<%= config.bin %> apply',
    '<%= config.bin %> apply --auto-approve',
    '<%= config.bin %> plan --out plan.json && <%= config.bin %> apply plan.json',
  ]

  static override args = {
    planfile: Args.string({ description: 'a plan saved by `cac plan --out`', required: false }),
  }

  static override flags = {
    ...platformFlags,
    'auto-approve': Flags.boolean({ description: 'apply without asking (needed with no terminal or CI=true)', default: false }),
    format: Flags.string({ description: 'output format (github: annotations for a GitHub Actions log)', options: [...APPLY_FORMATS], default: 'text' }),
    'lock-timeout': lockTimeoutFlag(DEFAULT_LOCK_TIMEOUT_MS / 1000, 'the project lock'),
  }

  public async run(): Promise<void> {
    this.finish(await COMMAND_RUNNERS.apply(this.input, this.io))
  }
}
