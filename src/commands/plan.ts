import * as Flags from '@oclif/core/flags'

import { BaseCommand } from '../cli/base-command.js'
import { COMMAND_RUNNERS } from '../cli/command-runners.js'
import { platformFlags } from '../cli/shared-flags.js'
import { PLAN_FORMATS } from '../render/plan-outcome.js'

export default class Plan extends BaseCommand<typeof Plan> {
  static override summary = 'Show what apply would change: desired (files) against live (platforms), field by field.'

  static override description =
    'Validates the files, reads the live state from the list endpoints of each platform, and prints, per ' +
    'resource, create / update (with each field before → after) / blocked / error, plus live resources no ' +
    'file declares (unmanaged, never touched). Nothing is written to the platforms. Exit 0, or 1 on invalid ' +
    'files, an API failure, or a change in error; with --detailed-exitcode, 2 when changes are pending.'

  static override examples = [
    '<%= config.bin %> plan',
    '<%= config.bin %> plan --out plan.json',
    '<%= config.bin %> plan --format markdown > plan.md',
    '<%= config.bin %> plan --format github --detailed-exitcode',
    '<%= config.bin %> plan --target "PROVIDER/campaign/*" --detailed-exitcode',
  ]

  static override flags = {
    ...platformFlags,
    out: Flags.string({ description: 'also save the plan to this file, for `cac apply FILE`' }),
    format: Flags.string({ description: 'output format (github: an annotation per change, for a GitHub Actions log)', options: [...PLAN_FORMATS], default: 'text' }),
    'detailed-exitcode': Flags.boolean({ description: 'exit 2 when changes are pending (0 none, 1 error)', default: false }),
  }

  public async run(): Promise<void> {
    this.finish(await COMMAND_RUNNERS.plan(this.input, this.io))
  }
}
