import type { DriftEntry, DriftField, DriftReport } from '../model/drift.js'
import { SENSITIVE } from '../model/secret.js'
import { createStyle, type Style } from './style.js'
import { formatValue } from './values.js'

/** The pieces every drift format writes the same way. */

/** "Drift: 2 drifted, 1 missing, 3 pending, 4 unmanaged, 40 in sync." (plus in-error and ignored counts where there are any). */
export function formatDriftSummary(report: DriftReport, style: Style = createStyle(false)): string {
  const s = report.summary
  const parts = [`${s.drifted} drifted`, `${s.missing} missing`, `${s.pending} pending`, `${s.unmanaged} unmanaged`]
  if (s.error > 0) parts.push(`${s.error} in error`)
  parts.push(`${s.inSync} in sync`)
  const ignored = s.ignored > 0 ? `; ${s.ignored} difference${s.ignored === 1 ? '' : 's'} ignored` : ''
  const line = `Drift: ${parts.join(', ')}${ignored}.`
  return s.drifted + s.missing + s.error > 0 ? style.red(line) : style.green(line)
}

/** ` by X at T`, as far as the platform says. */
export function who(entry: DriftEntry): string {
  const by = entry.changedBy !== undefined ? ` by ${entry.changedBy}` : ''
  const at = entry.changedAt !== undefined ? ` at ${entry.changedAt}` : ''
  return `${by}${at}`
}

/** A field's file value as drift shows it. */
export function fileText(field: DriftField): string {
  if (field.lifecycle) return String(field.file)
  return field.kind === 'remove' ? '(not in the file)' : formatValue(field.sensitive ? SENSITIVE : field.file)
}

/** A field's live value as drift shows it. */
export function liveText(field: DriftField): string {
  if (field.lifecycle) return String(field.live)
  return field.kind === 'add' ? '(not on the platform)' : formatValue(field.sensitive ? SENSITIVE : field.live)
}
