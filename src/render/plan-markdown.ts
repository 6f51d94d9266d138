import type { FieldChange, Plan, PlanAction, ResourceChange } from '../model/plan.js'
import { formatFieldPath } from '../model/values.js'
import { formatPlanSummary } from './plan-text.js'
import { cell, escapeHtml, escapeText, fitSections, MARKDOWN_LIMIT } from './markdown.js'
import { formatValue } from './values.js'

export { MARKDOWN_LIMIT }

const ICONS: Record<PlanAction, string> = { create: '🟢', update: '🟡', blocked: '🟠', error: '🔴', noop: '⚪' }

/**
 * The plan for a pull-request comment: the summary first, the targets, then one collapsible
 * section per changed resource with a field table. Kept under 65,000 characters; when sections
 * are left out, a note says how many and where to see them.
 */
export function formatPlanMarkdown(plan: Plan, limit = MARKDOWN_LIMIT): string {
  const head = [
    `### ${formatPlanSummary(plan)}`,
    '',
    `Targets: ${plan.targets.map((t) => `\`${t.provider}\` → ${escapeText(t.target)}`).join(', ')}`,
    '',
  ]
  const noticed = plan.changes.filter((change) => change.notice !== undefined)
  if (noticed.length > 0) {
    head.push('**Notices:**', '', ...noticed.map((change) => `- ⚠ <code>${escapeHtml(change.address)}</code>: ${escapeHtml(change.notice!)}`), '')
  }
  const sections = plan.changes.filter((change) => change.action !== 'noop').map(formatSection)
  if (plan.unmanaged.length > 0) {
    sections.push(
      [
        `<details><summary>Unmanaged: ${plan.unmanaged.length} resource${plan.unmanaged.length === 1 ? '' : 's'} on the platform in no file (left alone)</summary>`,
        '',
        ...plan.unmanaged.map((u) => `- <code>${escapeHtml(u.address)}</code> (id ${escapeHtml(String(u.id))})`),
        '',
        '</details>',
        '',
      ].join('\n'),
    )
  }
  return fitSections(head.join('\n'), sections, limit, truncationNote)
}

function formatSection(change: ResourceChange): string {
  const reason = change.reason ? ` — ${escapeHtml(change.reason)}` : ''
  const lines = [
    `<details><summary>${ICONS[change.action]} <b>${change.action}</b> <code>${escapeHtml(change.address)}</code>${reason}</summary>`,
    '',
  ]
  if (change.fields.length > 0) {
    lines.push(change.action === 'create' ? '| field | value |' : '| field | before | after |')
    lines.push(change.action === 'create' ? '|---|---|' : '|---|---|---|')
    for (const field of change.fields) lines.push(formatRow(field, change.action))
    lines.push('')
  }
  lines.push('</details>', '')
  return lines.join('\n')
}

function formatRow(field: FieldChange, action: PlanAction): string {
  const path = cell(formatFieldPath(field.path))
  if (action === 'create') return `| ${path} | ${cell(formatValue(field.after))} |`
  const before = field.kind === 'add' ? '(none)' : formatValue(field.before)
  const after = field.kind === 'remove' ? '(removed)' : formatValue(field.after)
  return `| ${path} | ${cell(before)} | ${cell(after)} |`
}

function truncationNote(remaining: number): string {
  return `> **Note:** ${remaining} more section${remaining === 1 ? ' is' : 's are'} not shown: a comment is limited to 65,000 characters. Run \`cac plan\` to see the whole plan.\n`
}
