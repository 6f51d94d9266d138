import { Args, Flags } from '@oclif/core'

import { BaseCommand, UsageError } from '../cli/base-command.js'
import { loadProject } from '../config/load-project.js'
import { RULES } from '../config/rules/index.js'
import { renderValidation, VALIDATION_FORMATS, type ValidationFormat } from '../render/diagnostics.js'

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
    '<%= config.bin %> validate campaigns/syllable/renewals.yaml',
    '<%= config.bin %> validate --format github',
    '<%= config.bin %> validate --format json | jq .summary',
  ]

  static override strict = false

  static override args = {
    paths: Args.string({
      description: 'files or folders to check (default: the definitions folder of cac.yaml)',
      required: false,
    }),
  }

  static override flags = {
    format: Flags.string({
      description: 'output format: text for people, json for tools, github for pull-request annotations',
      options: [...VALIDATION_FORMATS],
      default: 'text',
    }),
  }

  public async run(): Promise<void> {
    const stray = this.positionals.find((arg) => arg.startsWith('-'))
    if (stray !== undefined) throw new UsageError(`Nonexistent flag: ${stray}`)
    const report = await loadProject({
      cwd: process.cwd(),
      configPath: this.flags.config,
      paths: this.positionals,
      env: process.env,
      envFiles: this.flags.env ?? [],
      secretsRequired: false,
    })
    this.write(
      renderValidation(
        {
          diagnostics: report.diagnostics,
          errorCount: report.errorCount,
          warningCount: report.warningCount,
          fileCount: report.files.length,
          resourceCount: report.resources.length,
        },
        this.flags.format as ValidationFormat,
        { color: this.color },
      ),
    )
    if (report.errorCount > 0) this.exit(1)
  }
}
