import * as Args from '@oclif/core/args'

import { BaseCommand } from '../cli/base-command.js'
import { COMMAND_RUNNERS } from '../cli/command-runners.js'

export default class Init extends BaseCommand<typeof Init> {
  static override summary = 'Write a starter project: cac.yaml, one definition per kind, .gitignore and a GitHub workflow.'

  static override description =
    'Writes into DIR (default: here; created when missing) a cac.yaml naming every platform (URLs and keys from ' +
    '${env:…}, the embedded sandbox while they are unset), campaigns/ with one realistic definition per kind, ' +
    '.github/workflows/cac.yml (validate and plan on pull requests with the plan as one comment, apply on main, ' +
    'a daily drift check), and a README section. Nothing is overwritten: when cac.yaml, a starter definition or ' +
    'the workflow exists, nothing is written and the exit code is 1. .gitignore and README.md get cac\'s lines ' +
    'appended when they exist. Right after it, `cac validate` and `cac plan` work without credentials.'

  static override examples = ['<%= config.bin %> init', '<%= config.bin %> init campaigns-repo && cd campaigns-repo && npx cac plan']

  static override args = {
    dir: Args.string({ description: 'folder to write the project into (default: the working directory)', required: false }),
  }

  public async run(): Promise<void> {
    this.finish(await COMMAND_RUNNERS.init(this.input, this.io))
  }
}
