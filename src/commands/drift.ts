import * as Flags from '@oclif/core/flags'

import { BaseCommand } from '../cli/base-command.js'
import { COMMAND_RUNNERS } from '../cli/command-runners.js'
import { readPlatformFlags } from '../cli/shared-flags.js'
import { DRIFT_FORMATS } from '../render/drift-report.js'

export default class Drift extends BaseCommand<typeof Drift> {
  static override summary = 'Report what changed on the platforms behind git\'s back: who changed which field, and when.'

  static override description =
    'Reads the files and the live state (GET requests only: its HTTP clients refuse any other method) and reports ' +
    'each resource as drifted (changed by someone other than cac), pending (cac made the last change and the files ' +
    'moved on since), missing (declared, not on the platform), unmanaged (on the platform, in no file) or in sync. ' +
    'Set `actor` on a provider in cac.yaml to tell cac\'s own changes apart. Exit 0 when nothing drifted or is missing, ' +
    '2 when something did (or is pending/unmanaged, with --fail-on), 1 on an error.'

  static override examples = [
    '<%= config.bin %> drift',
    '<%= config.bin %> drift --format json',
    '<%= config.bin %> drift --ignore "PROVIDER/campaign/*:hourly_rate" --fail-on pending',
  ]

  static override flags = {
    ...readPlatformFlags,
    format: Flags.string({ description: 'output format', options: [...DRIFT_FORMATS], default: 'text' }),
    ignore: Flags.string({ description: 'known noise, ADDRESS_GLOB:FIELD_PATH (repeatable; adds to drift.ignore in cac.yaml)', multiple: true }),
    'fail-on': Flags.string({ description: 'also exit 2 for these states: pending, unmanaged (comma-separated or repeated)', multiple: true }),
  }

  public async run(): Promise<void> {
    this.finish(await COMMAND_RUNNERS.drift(this.input, this.io))
  }
}
