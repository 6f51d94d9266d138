import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import { BaseCommand } from '../cli/base-command.js'
import { COMMAND_RUNNERS } from '../cli/command-runners.js'
import { RULES } from '../config/rules/index.js'
import { VALIDATION_FORMATS } from '../render/diagnostics.js'

export default class Validate extends BaseCommand<typeof Validate> {
  static override summary = 'Check definition files offline: YAML, JSON Schema and rules, every problem at once.'

  static override description = [
    'Reads cac.yaml and the definition files (the definitions folder, or the PATHs given, checked in the ' +
      'context of the whole project), and reports every problem as "file:line:col severity rule-or-field ' +
      'message". No network call is made. Exit 0 when valid (warnings do not fail), 1 when any error is found.',
    `Rules: ${RULES.map((rule) => rule.name).join(', ')}.`,
  ].join('\n\n')

  static override examples = [
    '<%= config.bin %> validate',
    '<%= config.bin %> validate campaigns/renewals.yaml',
    '<%= config.bin %> validate --format github',
    '<%= config.bin %> validate --format json | jq .summary',
  ]

  static override strict = false

  static override args = {
    paths: Args.string({ description: 'files or folders to check (default: the definitions folder of cac.yaml)', required: false }),
  }

  static override flags = {
    format: Flags.string({
      description: 'output format: text for people, json for tools, github for pull-request annotations',
      options: [...VALIDATION_FORMATS],
      default: 'text',
    }),
  }

  public async run(): Promise<void> {
    this.finish(await COMMAND_RUNNERS.validate(this.input, this.io))
  }
}
