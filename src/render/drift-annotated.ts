import type { DriftEntry, DriftField, DriftReport } from '../model/drift.js'
import { formatFieldPath } from '../model/values.js'
import { fileText, formatDriftSummary, liveText, who } from './drift-values.js'
import { formatAnnotation } from './github-commands.js'
import { cell, escapeHtml, escapeText, fitSections, MARKDOWN_LIMIT } from './markdown.js'

/**
 * Drift for an issue or a chat message: the summary first, the targets, then a section per
 * resource that drifted or is missing (a who/when line and a field table), and the pending and
 * unmanaged ones, collapsed. Kept under 65,000 characters.
 */
export function formatDriftMarkdown(report: DriftReport, limit = MARKDOWN_LIMIT): string {
  const head = [
    `### ${formatDriftSummary(report)}`,
    '',
    `Targets: ${report.targets.map((t) => `\`${t.provider}\` → ${escapeText(t.target)}`).join(', ')}`,
    '',
    ...(report.withoutActor.length > 0 ? [`> No \`actor\` in cac.yaml for ${report.withoutActor.map((provider) => `\`${provider}\``).join(', ')}: every difference there counts as drift.`] : []),
    ...report.unusedIgnores.map((pattern) => `> ⚠ The ignore pattern <code>${escapeHtml(pattern)}</code> matched no difference.`),
    '',
  ]
  const alarming = report.entries.filter((entry) => entry.state === 'drifted' || entry.state === 'missing' || entry.state === 'error')
  const sections = alarming.map(formatSection)
  for (const state of ['pending', 'unmanaged'] as const) {
    const entries = report.entries.filter((entry) => entry.state === state)
    if (entries.length === 0) continue
    sections.push(
      [
        `<details><summary>${state === 'pending' ? 'Pending' : 'Unmanaged'}: ${entries.length} resource${entries.length === 1 ? '' : 's'}` +
          `${state === 'pending' ? ' whose files changed since cac last applied them' : ' on the platform in no file'}</summary>`,
        '',
        ...entries.map((entry) => `- <code>${escapeHtml(entry.address)}</code>${entry.createdBy !== undefined ? ` created by ${escapeHtml(entry.createdBy)},` : ''}${escapeHtml(who(entry))}`),
        '',
        '</details>',
        '',
      ].join('\n'),
    )
  }
  return fitSections(head.join('\n'), sections, limit, (remaining) =>
    `> **Note:** ${remaining} more section${remaining === 1 ? ' is' : 's are'} not shown: a message is limited to 65,000 characters. Run \`cac drift\` to see everything.\n`,
  )
}

function formatSection(entry: DriftEntry): string {
  const declared = entry.source ? ` Declared in <code>${escapeHtml(`${entry.source.file}:${entry.source.line}`)}</code>.` : ''
  const lines = [`#### ${entry.state === 'drifted' ? '🟠 drifted' : entry.state === 'missing' ? '🔴 missing' : '🔴 error'} <code>${escapeHtml(entry.address)}</code>`, '']
  if (entry.state === 'drifted') lines.push(`Changed on the platform${who(entry) || ' (the platform does not say by whom)'}.${declared}`)
  if (entry.state === 'missing') lines.push(`Not on the platform: deleted outside cac, or never applied (the platform cannot tell which).${declared}`)
  if (entry.state === 'error') lines.push(escapeHtml(entry.reason ?? 'cannot be compared'))
  lines.push('')
  if (entry.fields.length > 0) {
    lines.push('| field | file | live |', '|---|---|---|')
    for (const field of entry.fields) lines.push(`| ${cell(formatFieldPath(field.path))} | ${cell(fileText(field))} | ${cell(liveText(field))} |`)
    lines.push('')
  }
  return lines.join('\n')
}

/** Drift as GitHub annotations: a warning at the file and line of each drifted field, and of each missing resource. */
export function formatDriftGithub(report: DriftReport): string {
  const lines: string[] = []
  for (const entry of report.entries) {
    if (entry.state === 'drifted') {
      for (const field of entry.fields) {
        lines.push(annotation(entry, field.line ?? entry.source?.line, `${entry.address}: ${formatFieldPath(field.path)} is ${liveText(field)} on the platform, ${fileText(field)} in the file${who(entry)}`))
      }
    } else if (entry.state === 'missing') {
      lines.push(annotation(entry, entry.source?.line, `${entry.address} is not on the platform: deleted outside cac, or never applied`))
    } else if (entry.state === 'error') {
      lines.push(annotation(entry, entry.source?.line, `${entry.address}: ${entry.reason ?? 'cannot be compared'}`))
    }
  }
  lines.push(formatDriftSummary(report))
  return `${lines.join('\n')}\n`
}

function annotation(entry: DriftEntry, line: number | undefined, message: string): string {
  return formatAnnotation('warning', { file: entry.source?.file, line, title: `cac drift: ${entry.state}` }, message)
}



