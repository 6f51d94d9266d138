import { hasPendingChanges, type Plan } from '../model/plan.js'
import type { FilesCheck } from '../model/apply-outcome.js'
import type { CommandEnding } from './apply-outcome.js'
import { formatInvalidProject } from './diagnostics.js'
import { planToJson } from './plan-json.js'
import { formatPlanGithub } from './plan-github.js'
import { formatPlanMarkdown } from './plan-markdown.js'
import { formatPlanText } from './plan-text.js'

export type PlanFormat = 'text' | 'json' | 'markdown' | 'github'
export const PLAN_FORMATS: readonly PlanFormat[] = ['text', 'json', 'markdown', 'github']

/** The plan in one of its formats. */
export function renderPlan(plan: Plan, format: PlanFormat, color: boolean): string {
  switch (format) {
    case 'json':
      return planToJson(plan)
    case 'markdown':
      return formatPlanMarkdown(plan)
    case 'github':
      return formatPlanGithub(plan)
    default:
      return formatPlanText(plan, { color })
  }
}

/**
 * How a plan ended: the problems in the files (exit 1, nothing sent), or the plan with its notes.
 * Exit 1 when a change is in error; with `detailedExitcode`, 2 when changes are pending; else 0.
 */
export function renderPlanEnding(
  outcome: { kind: 'invalid'; load: FilesCheck } | { kind: 'planned'; plan: Plan; notes: readonly string[] },
  options: { format: PlanFormat; color: boolean; detailedExitcode: boolean },
): CommandEnding {
  if (outcome.kind === 'invalid') return { stdout: '', stderr: formatInvalidProject(outcome.load, 'Nothing was sent to the platforms'), exitCode: 1 }
  const { plan } = outcome
  const exitCode = plan.summary.error > 0 ? 1 : options.detailedExitcode && hasPendingChanges(plan) ? 2 : 0
  return { stdout: renderPlan(plan, options.format, options.color), stderr: formatNotes(outcome.notes), exitCode }
}

/** Notes that are not changes, one `note:` line each (stderr). */
export function formatNotes(notes: readonly string[]): string {
  return notes.map((note) => `note: ${note}\n`).join('')
}
