import * as Flags from '@oclif/core/flags'

import { BaseCommand } from '../cli/base-command.js'
import { COMMAND_RUNNERS } from '../cli/command-runners.js'
import { readPlatformFlags } from '../cli/shared-flags.js'
import { IMPORT_FORMATS } from '../render/import-report.js'
import { IMPORT_LAYOUTS } from '../workflow/import-project.js'

export default class Import extends BaseCommand<typeof Import> {
  static override summary = 'Write definition files for live resources no file declares yet (GET requests only).'

  static override description =
    'Reads every live resource of the chosen providers and kinds and writes one minimal definition file each ' +
    '(server fields and defaults left out, secrets as ${env:NAME}) under the definitions folder or --out. A resource ' +
    'a file declares already is skipped; an existing file is never overwritten without --force. Exit 1 only when ' +
    'nothing could be imported and something failed.'

  static override examples = ['<%= config.bin %> import --dry-run', '<%= config.bin %> import --provider PROVIDER --kind KIND --out campaigns/imported']

  static override flags = {
    ...readPlatformFlags,
    provider: Flags.string({ description: 'only this provider of cac.yaml (repeatable)', multiple: true }),
    kind: Flags.string({ description: 'only this kind (repeatable)', multiple: true }),
    out: Flags.string({ description: 'folder to write into (default: the definitions folder)' }),
    layout: Flags.string({ description: 'a file per resource, or per campaign with what depends on it', options: [...IMPORT_LAYOUTS], default: 'per-resource' }),
    'dry-run': Flags.boolean({ description: 'print what would be written; write nothing', default: false }),
    force: Flags.boolean({ description: 'overwrite files that exist', default: false }),
    format: Flags.string({ description: 'output format', options: [...IMPORT_FORMATS], default: 'text' }),
  }

  public async run(): Promise<void> {
    this.finish(await COMMAND_RUNNERS.import(this.input, this.io))
  }
}
