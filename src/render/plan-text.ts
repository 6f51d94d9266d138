import type { FieldChange, Plan, PlanAction, ResourceChange } from '../model/plan.js'
import { formatFieldPath } from '../model/values.js'
import { createStyle, type Style } from './style.js'
import { formatValue, printable } from './values.js'

const SYMBOLS: Record<PlanAction, string> = { create: '+', update: '~', blocked: '!', error: '✗', noop: '=' }

/** The plan for people: targets, each change with its fields, unmanaged resources, the summary line. */
export function formatPlanText(plan: Plan, options: { color: boolean }): string {
  const style = createStyle(options.color)
  const lines: string[] = ['Targets:']
  for (const target of plan.targets) lines.push(`  ${target.provider} → ${target.target}`)
  const shown = plan.changes.filter((change) => change.action !== 'noop')
  for (const change of shown) lines.push('', ...formatChange(change, style))
  const noticed = plan.changes.filter((change) => change.notice !== undefined)
  if (noticed.length > 0) {
    lines.push('', 'Notices:')
    for (const change of noticed) lines.push(`  ${style.yellow('⚠')} ${printable(change.address)}: ${printable(change.notice ?? '')}`)
  }
  if (plan.unmanaged.length > 0) {
    lines.push('', 'Unmanaged (on the platform, in no file; left alone):')
    for (const resource of plan.unmanaged) lines.push(`  ${printable(resource.address)}  ${style.dim(`(id ${printable(String(resource.id))})`)}`)
  }
  lines.push('', formatPlanSummary(plan, style))
  return `${lines.join('\n')}\n`
}

function formatChange(change: ResourceChange, style: Style): string[] {
  const colour = actionColour(change.action, style)
  const reason = change.reason ? `: ${printable(change.reason)}` : ''
  const header = `${colour(`${SYMBOLS[change.action]} ${change.action}`)}  ${style.bold(printable(change.address))}${reason}`
  return [header, ...change.fields.map((field) => `      ${formatField(field, change.action)}`)]
}

function formatField(field: FieldChange, action: PlanAction): string {
  const path = formatFieldPath(field.path)
  if (action === 'create') return `${path}: ${formatValue(field.after)}`
  if (field.kind === 'add') return `${path}: (none) → ${formatValue(field.after)}`
  if (field.kind === 'remove') return `${path}: ${formatValue(field.before)} → (removed)`
  return `${path}: ${formatValue(field.before)} → ${formatValue(field.after)}`
}

function actionColour(action: PlanAction, style: Style): (text: string) => string {
  switch (action) {
    case 'create':
      return style.green
    case 'update':
      return style.yellow
    case 'blocked':
    case 'error':
      return style.red
    default:
      return style.dim
  }
}

/** "Plan: 2 to create, 3 to update, 1 blocked, 14 unchanged." (with "No changes." when nothing is pending). */
export function formatPlanSummary(plan: Plan, style: Style = createStyle(false)): string {
  const s = plan.summary
  const parts = [`${s.create} to create`, `${s.update} to update`]
  if (s.blocked > 0) parts.push(`${s.blocked} blocked`)
  if (s.error > 0) parts.push(`${s.error} in error`)
  parts.push(`${s.noop} unchanged`)
  const line = `Plan: ${parts.join(', ')}.`
  const nothing = s.create + s.update + s.blocked + s.error === 0
  return nothing ? `${style.green('No changes.')} ${line}` : style.bold(line)
}
