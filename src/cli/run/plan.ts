import { resolve } from 'node:path'

import { writePlanFile } from '../../plan/plan-file.js'
import { renderPlanEnding, type PlanFormat } from '../../render/plan-outcome.js'
import { planProject } from '../../workflow/plan-project.js'
import type { CommandIo } from '../command-io.js'
import { withFailureDocument, writeFailureDocument } from './failure-output.js'
import { formatPlanMarkdown } from '../../render/plan-markdown.js'
import { appendStepSummary } from './step-summary.js'
import { colorOf, planRequestFrom, type PlatformFlagValues } from '../flag-values.js'

export interface PlanFlagValues extends PlatformFlagValues {
  out?: string | undefined
  format: string
  'detailed-exitcode': boolean
}

/** `cac plan`: plans, prints the plan in the chosen format, saves it with --out; returns the exit code. */
export async function runPlan(flags: PlanFlagValues, io: CommandIo): Promise<number> {
  return withFailureDocument(flags.format, 'cac plan', io, async () => {
    const outcome = await planProject(planRequestFrom(flags, io))
    const ending = renderPlanEnding(outcome, {
      format: flags.format as PlanFormat,
      color: colorOf(flags, io),
      detailedExitcode: flags['detailed-exitcode'],
    })
    io.stderr.write(ending.stderr)
    io.stdout.write(ending.stdout)
    if (outcome.kind === 'invalid') {
      writeFailureDocument(flags.format, 'cac plan', io, { code: 'invalid-files', message: 'the files are invalid: nothing was sent to the platforms', diagnostics: outcome.load.diagnostics })
    }
    if (outcome.kind === 'planned') await appendStepSummary(io, () => formatPlanMarkdown(outcome.plan))
    if (outcome.kind === 'planned' && flags.out !== undefined) {
      await writePlanFile(resolve(io.cwd, flags.out), outcome.plan, { pauseToUpdate: flags['pause-to-update'] })
      io.stderr.write(`Saved the plan to ${flags.out}; apply exactly this plan with: cac apply ${flags.out}\n`)
    }
    return ending.exitCode
  })
}
