import { Args, Flags } from '@oclif/core'

import { DEFAULT_DRAIN_TIMEOUT_MS } from '../apply/executor.js'
import { BaseCommand, UsageError } from '../cli/base-command.js'
import { askYes, isNonInteractive } from '../cli/confirm.js'
import { watchInterrupts, type InterruptWatch } from '../cli/interrupt.js'
import { lockTimeoutFlag, planRequestFrom, platformFlags } from '../cli/shared-flags.js'
import { applyResultToJson, applySucceeded, ApplyProgress, formatApplySummary } from '../render/apply-report.js'
import { formatInvalidProject, formatValidationText } from '../render/diagnostics.js'
import { formatPlanText } from '../render/plan-text.js'
import { createStyle } from '../render/style.js'
import { applyProject, DEFAULT_LOCK_TIMEOUT_MS, type ApplyOutcome } from '../workflow/apply-project.js'

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
    format: Flags.string({ description: 'output format', options: ['text', 'json'], default: 'text' }),
    'lock-timeout': lockTimeoutFlag(DEFAULT_LOCK_TIMEOUT_MS / 1000, 'the project lock'),
  }

  public async run(): Promise<void> {
    const planFile = this.args.planfile
    if (planFile !== undefined && (this.flags.target?.length ?? 0) > 0) {
      throw new UsageError('--target cannot be combined with a plan file: the plan already fixes what is applied')
    }
    const interactive = !isNonInteractive()
    if (planFile === undefined && !this.flags['auto-approve'] && !interactive) {
      throw new UsageError(
        'apply needs --auto-approve, or a plan file from `cac plan --out`, when there is no terminal to confirm on (or CI is set)',
      )
    }
    const json = this.flags.format === 'json'
    const style = createStyle(this.color)
    let progress: ApplyProgress | undefined
    const interrupts = watchInterrupts({
      onFirst: (signal) =>
        process.stderr.write(
          `\nInterrupted (${signal}): starting nothing new; waiting up to ${DEFAULT_DRAIN_TIMEOUT_MS / 1000} s for what is in flight. ` +
            'Interrupt again to stop at once.\n',
        ),
      onSecond: () =>
        process.stderr.write(
          'Interrupted again: stopping now, without waiting for the changes in flight; run `cac plan` to see what was applied.\n',
        ),
    })
    let outcome: ApplyOutcome
    try {
      try {
        outcome = await applyProject({
          ...planRequestFrom(this.flags),
          ...(planFile !== undefined ? { planFile } : {}),
          signal: interrupts.signal,
          lockTimeoutMs: this.flags['lock-timeout'] * 1000,
          onLockNote: (note) => process.stderr.write(`note: ${note}\n`),
          onPlan: (plan) => {
            if (!json) this.write(formatPlanText(plan, { color: this.color }))
            progress = new ApplyProgress(
              (text) => (json ? undefined : this.write(text)),
              plan.summary.create + plan.summary.update,
              style,
              interactive && process.stdout.isTTY === true,
            )
          },
          onNotes: (notes) => notes.forEach((note) => process.stderr.write(`note: ${note}\n`)),
          confirm: async () => this.flags['auto-approve'] || askYes('\nApply these changes?', interrupts.signal),
          onEvent: (event) => progress?.onEvent(event),
        })
      } finally {
        progress?.finish()
      }
      this.report(outcome, json, interrupts)
    } finally {
      interrupts.dispose()
    }
  }

  /** Prints how the apply ended and sets the exit code. */
  private report(outcome: ApplyOutcome, json: boolean, interrupts: InterruptWatch): void {
    switch (outcome.kind) {
      case 'invalid':
        process.stderr.write(formatInvalidProject(outcome.outcome.load, 'Nothing was applied'))
        return this.exit(1)
      case 'config-invalid':
        process.stderr.write(formatValidationText({ diagnostics: outcome.diagnostics.sorted(), errorCount: outcome.diagnostics.errorCount, warningCount: outcome.diagnostics.warningCount, fileCount: 0, resourceCount: 0 }, false))
        return this.exit(1)
      case 'plan-file-invalid':
        process.stderr.write(`Error: the plan file ${outcome.file} ${outcome.message}\n`)
        return this.exit(1)
      case 'plan-rejected':
        process.stderr.write(`Error: the saved plan ${outcome.file} does not pass this project's checks; nothing was applied:\n`)
        for (const problem of outcome.problems) process.stderr.write(`  ${outcome.file}: ${problem}\n`)
        return this.exit(1)
      case 'refused':
        process.stderr.write(`Error: nothing was applied: ${outcome.reason}\n`)
        return this.exit(1)
      case 'stale':
        process.stderr.write('Error: the saved plan is stale; nothing was applied. Make a new plan. What moved:\n')
        for (const stale of outcome.stale) process.stderr.write(`  ${stale.address}: ${stale.reason}\n`)
        return this.exit(1)
      case 'declined':
        process.stderr.write('Apply cancelled: nothing was changed.\n')
        return this.exit(1)
      case 'interrupted':
        process.stderr.write('Interrupted: nothing was applied.\n')
        return this.exit(interrupts.exitCode)
      case 'applied': {
        const ending = interrupts.received && outcome.result.interrupted ? { interruptedBy: interrupts.received } : {}
        this.write(json ? applyResultToJson(outcome.plan, outcome.result, ending) : formatApplySummary(outcome.result, this.color, ending))
        if (outcome.result.interrupted) return this.exit(interrupts.exitCode)
        if (!applySucceeded(outcome.result)) this.exit(1)
      }
    }
  }
}
