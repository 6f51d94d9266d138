import { resolve } from 'node:path'

import { Flags } from '@oclif/core'

import { BaseCommand } from '../cli/base-command.js'
import { planRequestFrom, platformFlags } from '../cli/shared-flags.js'
import { hasPendingChanges } from '../model/plan.js'
import { writePlanFile } from '../plan/plan-file.js'
import { formatInvalidProject } from '../render/diagnostics.js'
import { planToJson } from '../render/plan-json.js'
import { formatPlanMarkdown } from '../render/plan-markdown.js'
import { formatPlanText } from '../render/plan-text.js'
import { planProject } from '../workflow/plan-project.js'

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
    '<%= config.bin %> plan --target "syllable/campaign/*" --detailed-exitcode',
  ]

  static override flags = {
    ...platformFlags,
    out: Flags.string({ description: 'also save the plan to this file, for `cac apply FILE`' }),
    format: Flags.string({ description: 'output format', options: ['text', 'json', 'markdown'], default: 'text' }),
    'detailed-exitcode': Flags.boolean({ description: 'exit 2 when changes are pending (0 none, 1 error)', default: false }),
  }

  public async run(): Promise<void> {
    const outcome = await planProject(planRequestFrom(this.flags))
    if (outcome.kind === 'invalid') {
      process.stderr.write(formatInvalidProject(outcome.load, 'Nothing was sent to the platforms'))
      this.exit(1)
    }
    const { plan, session, notes } = outcome
    await session.close()
    for (const note of notes) process.stderr.write(`note: ${note}\n`)
    const format = this.flags.format
    this.write(format === 'json' ? planToJson(plan) : format === 'markdown' ? formatPlanMarkdown(plan) : formatPlanText(plan, { color: this.color }))
    if (this.flags.out !== undefined) {
      await writePlanFile(resolve(process.cwd(), this.flags.out), plan, { pauseToUpdate: this.flags['pause-to-update'] })
      process.stderr.write(`Saved the plan to ${this.flags.out}; apply exactly this plan with: cac apply ${this.flags.out}\n`)
    }
    if (plan.summary.error > 0) this.exit(1)
    if (this.flags['detailed-exitcode'] && hasPendingChanges(plan)) this.exit(2)
  }
}
