import type { DriftEntry, DriftField, DriftReport, DriftState, WideningState } from '../model/drift.js'
import { formatFieldPath } from '../model/values.js'
import { SENSITIVE } from '../model/secret.js'
import type { CommandEnding } from './apply-outcome.js'
import { formatDriftGithub, formatDriftMarkdown } from './drift-annotated.js'
import { fileText, formatDriftSummary, liveText } from './drift-values.js'

export { formatDriftSummary }
import { createStyle, type Style } from './style.js'
import { maskSecrets, printable, targetsToJson } from './values.js'

export type DriftFormat = 'text' | 'json' | 'markdown' | 'github'
export const DRIFT_FORMATS: readonly DriftFormat[] = ['text', 'json', 'markdown', 'github']
export const DRIFT_JSON_FORMAT_VERSION = 1

const HEADINGS: Record<Exclude<DriftState, 'in-sync'>, string> = {
  drifted: '~ drifted  ',
  pending: '= pending  ',
  missing: '- missing  ',
  unmanaged: '? unmanaged',
  error: '✗ error    ',
}

/**
 * How drift ended: exit 2 when something drifted or is missing (or, with `failOn`, is pending or
 * unmanaged), 1 when a resource could not be judged (in error), else 0.
 */
export function renderDrift(report: DriftReport, options: { format: DriftFormat; color: boolean; failOn: readonly WideningState[] }): CommandEnding {
  const { summary } = report
  const alarm = summary.drifted + summary.missing + options.failOn.reduce((sum, state) => sum + summary[state], 0) > 0
  const exitCode = summary.error > 0 ? 1 : alarm ? 2 : 0
  const stdout =
    options.format === 'json'
      ? driftToJson(report)
      : options.format === 'markdown'
        ? formatDriftMarkdown(report)
        : options.format === 'github'
          ? formatDriftGithub(report)
          : formatDriftText(report, createStyle(options.color))
  return { stdout, stderr: '', exitCode }
}

/** Drift for people: targets, each resource that is not in sync with its differences, who and when, the summary. */
export function formatDriftText(report: DriftReport, style: Style): string {
  const lines: string[] = ['Targets:']
  for (const target of report.targets) lines.push(`  ${target.provider} → ${target.target}`)
  for (const entry of report.entries) {
    if (entry.state === 'in-sync') continue
    lines.push('', `${colourOf(entry.state, style)(HEADINGS[entry.state])}  ${style.bold(printable(entry.address))}${printable(describe(entry))}`)
    for (const field of entry.fields) lines.push(`      ${formatDriftField(field)}`)
  }
  if (report.withoutActor.length > 0 || report.unusedIgnores.length > 0) lines.push('')
  if (report.withoutActor.length > 0) {
    const [one] = report.withoutActor
    const names = report.withoutActor.length === 1 ? `provider ${one} names` : `providers ${report.withoutActor.join(', ')} name`
    lines.push(`Note: ${names} no actor in cac.yaml, so every difference there counts as drift; set actor to the identity the platform records for cac's API key to tell cac's own changes (pending) apart.`)
  }
  for (const pattern of report.unusedIgnores) lines.push(style.yellow(`Warning: the ignore pattern ${JSON.stringify(pattern)} matched no difference.`))
  lines.push('', formatDriftSummary(report, style))
  return `${lines.join('\n')}\n`
}

function describe(entry: DriftEntry): string {
  const who = [entry.changedBy !== undefined ? `by ${entry.changedBy}` : '', entry.changedAt !== undefined ? `at ${entry.changedAt}` : ''].filter(Boolean).join(' ')
  switch (entry.state) {
    case 'drifted':
      return `: changed on the platform${who ? ` ${who}` : ''}`
    case 'pending':
      return `: the files changed since cac's last apply${who ? ` (${who})` : ''}; apply to bring the platform along`
    case 'missing':
      return `: declared${entry.source ? ` in ${entry.source.file}:${entry.source.line}` : ''}, not on the platform (deleted outside cac, or never applied: the platform cannot tell which)`
    case 'unmanaged':
      return `: on the platform, in no file (id ${String(entry.liveId)}${entry.createdBy !== undefined ? `, created by ${entry.createdBy}` : ''}${who ? `, last changed ${who}` : ''})`
    case 'error':
      return `: ${entry.reason ?? 'cannot be compared'}`
    default:
      return ''
  }
}

function formatDriftField(field: DriftField): string {
  const path = formatFieldPath(field.path)
  if (field.lifecycle) return `${path}: ${String(field.live)} on the platform (the files imply ${String(field.file)})`
  return `${path}: ${fileText(field)} (file) → ${liveText(field)} (live)`
}

function colourOf(state: DriftState, style: Style): (text: string) => string {
  return state === 'drifted' || state === 'missing' || state === 'error' ? style.red : state === 'pending' ? style.yellow : style.dim
}


/** Drift for tools: a versioned envelope, every resource (in sync included). */
export function driftToJson(report: DriftReport): string {
  const s = report.summary
  const body = {
    format_version: DRIFT_JSON_FORMAT_VERSION,
    targets: targetsToJson(report.targets),
    summary: { drifted: s.drifted, missing: s.missing, pending: s.pending, unmanaged: s.unmanaged, error: s.error, in_sync: s.inSync, ignored: s.ignored },
    resources: report.entries.map((entry) => ({
      address: entry.address,
      kind: entry.kind,
      provider: entry.provider,
      name: entry.name,
      state: entry.state,
      changed_by: entry.changedBy ?? null,
      changed_at: entry.changedAt ?? null,
      created_by: entry.createdBy ?? null,
      live_id: entry.liveId ?? null,
      source: entry.source ?? null,
      reason: entry.reason ?? null,
      ignored: entry.ignored,
      fields: entry.fields.map((field) => ({
        path: formatFieldPath(field.path),
        kind: field.kind,
        file: field.sensitive ? SENSITIVE : (field.file ?? null),
        live: field.sensitive ? SENSITIVE : (field.live ?? null),
        sensitive: field.sensitive,
        lifecycle: field.lifecycle === true,
        line: field.line ?? null,
      })),
    })),
    without_actor: report.withoutActor,
    unused_ignores: report.unusedIgnores,
  }
  return `${JSON.stringify(body, maskSecrets, 2)}\n`
}
