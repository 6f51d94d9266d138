import type { FieldPath, Plan, ResourceChange } from '../model/plan.js'
import { formatFieldPath } from '../model/values.js'
import { formatAnnotation, type AnnotationLevel } from './github-commands.js'
import { formatPlanSummary } from './plan-text.js'
import { printable } from './values.js'

/** The annotation each action gets; unchanged resources get none. */
const LEVELS: Partial<Record<ResourceChange['action'], AnnotationLevel>> = { create: 'notice', update: 'notice', blocked: 'warning', error: 'error' }

/**
 * The plan as GitHub workflow commands, so each change shows on the definition that causes it: a
 * `::notice` per create or update naming the fields it changes, a `::warning` per blocked change and
 * an `::error` per change in error, each with its reason; then the targets and the summary as plain
 * lines. Field names only, never values: nothing secret can reach an annotation.
 */
export function formatPlanGithub(plan: Plan): string {
  const lines: string[] = []
  for (const change of plan.changes) {
    const level = LEVELS[change.action]
    if (level !== undefined) lines.push(changeAnnotation(level, change, describeChange(change)))
  }
  lines.push(printable(`Targets: ${plan.targets.map((target) => `${target.provider} → ${target.target}`).join(', ')}`))
  lines.push(formatPlanSummary(plan))
  return `${lines.join('\n')}\n`
}

/**
 * `update syllable/campaign/X: hourly_rate, webhooks[0].url` (each changed field), `create …: caller_id,
 * webhooks` (the top-level fields it sets, which would otherwise be every leaf), `blocked …: the reason`.
 */
function describeChange(change: ResourceChange): string {
  const detail = change.action === 'update' ? fieldNames(change.fields.map((field) => field.path)) : change.action === 'create' ? fieldNames(change.fields.map((field) => field.path.slice(0, 1))) : (change.reason ?? '')
  return `${change.action} ${change.address}${detail === '' ? '' : `: ${detail}`}`
}

function fieldNames(paths: readonly FieldPath[]): string {
  return [...new Set(paths.map(formatFieldPath))].join(', ')
}

/** An annotation about one change, at the line of its definition when it is known (titled with its address). */
export function changeAnnotation(level: AnnotationLevel, change: ResourceChange, message: string): string {
  return formatAnnotation(level, { file: change.source?.file, line: change.source?.line, title: change.address }, message)
}
