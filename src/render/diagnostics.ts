import type { FilesCheck } from '../model/apply-outcome.js'
import { MAX_DIAGNOSTICS_PER_FILE, type Diagnostic, type OmittedDiagnostics } from '../model/diagnostic.js'
import { formatAnnotation } from './github-commands.js'
import { createStyle } from './style.js'
import { printable } from './values.js'

export const VALIDATION_FORMAT_VERSION = 1

export type ValidationFormat = 'text' | 'json' | 'github'
export const VALIDATION_FORMATS: readonly ValidationFormat[] = ['text', 'json', 'github']

/** What `cac validate` reports: the problems and how much was checked. */
export type ValidationSummary = FilesCheck

export function renderValidation(summary: ValidationSummary, format: ValidationFormat, options: { color: boolean }): string {
  switch (format) {
    case 'json':
      return validationToJson(summary)
    case 'github':
      return formatValidationGithub(summary)
    default:
      return formatValidationText(summary, options.color)
  }
}

/** `file:line:col  severity  code  message`, one per line, then a summary line. */
export function formatValidationText(summary: ValidationSummary, color: boolean): string {
  const style = createStyle(color)
  const lines: string[] = []
  const omitted = new Map((summary.omitted ?? []).map((entry) => [entry.file, entry]))
  summary.diagnostics.forEach((d, i) => {
    const severity = d.severity === 'error' ? style.red('error  ') : style.yellow('warning')
    lines.push(`${style.bold(location(d))}  ${severity}  ${style.dim(d.code)}  ${printable(d.message)}`)
    const more = d.file === undefined ? undefined : omitted.get(d.file)
    if (more && summary.diagnostics[i + 1]?.file !== d.file) {
      lines.push(`${style.bold(printable(more.file))}  ${style.dim(omittedText(more))}`)
      omitted.delete(more.file)
    }
  })
  for (const more of omitted.values()) lines.push(`${style.bold(printable(more.file))}  ${style.dim(omittedText(more))}`)
  if (lines.length > 0) lines.push('')
  lines.push(summaryLine(summary, style))
  return lines.join('\n') + '\n'
}

function summaryLine(summary: ValidationSummary, style: ReturnType<typeof createStyle>): string {
  const checked = `${plural(summary.resources.length, 'resource')} in ${plural(summary.files.length, 'file')}`
  if (summary.errorCount === 0) {
    const warnings = summary.warningCount > 0 ? ` (${plural(summary.warningCount, 'warning')})` : ''
    return style.green(`✓ ${checked}: valid${warnings}`)
  }
  const warnings = summary.warningCount > 0 ? `, ${plural(summary.warningCount, 'warning')}` : ''
  return style.red(`✗ ${plural(summary.errorCount, 'error')}${warnings} (${checked} checked)`)
}

/** `… and 999,950 more problems in FILE (…)`: the line that stands for a file's problems past the limit. */
export function omittedText(omitted: OmittedDiagnostics): string {
  const count = omitted.errors + omitted.warnings
  const noun = count === 1 ? 'problem' : 'problems'
  return `… and ${count.toLocaleString('en-US')} more ${noun} in ${printable(omitted.file)} ` +
    `(only the first ${MAX_DIAGNOSTICS_PER_FILE} of a file are listed; fix these and validate again)`
}

function location(d: Diagnostic): string {
  if (d.file === undefined) return '(cac)'
  if (d.line === undefined) return d.file
  return `${d.file}:${d.line}:${d.column ?? 1}`
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}

/** A versioned, stable envelope; every diagnostic has the same keys (null where not applicable). */
/** One diagnostic for tools: every key always present (`null` where not applicable). */
export function diagnosticToJson(d: Diagnostic) {
  return { severity: d.severity, file: d.file ?? null, line: d.line ?? null, column: d.column ?? null, code: d.code, message: d.message }
}

export function validationToJson(summary: ValidationSummary): string {
  const omitted = summary.omitted ?? []
  const omittedCount = omitted.reduce((total, entry) => total + entry.errors + entry.warnings, 0)
  const body = {
    format_version: VALIDATION_FORMAT_VERSION,
    valid: summary.errorCount === 0,
    summary: {
      errors: summary.errorCount,
      warnings: summary.warningCount,
      files: summary.files.length,
      resources: summary.resources.length,
      // Only when a file had more problems than are listed: how many are counted but not listed.
      ...(omittedCount > 0 ? { omitted: omittedCount } : {}),
    },
    diagnostics: summary.diagnostics.map(diagnosticToJson),
    ...(omittedCount > 0 ? { omitted: omitted.map((entry) => ({ file: entry.file, errors: entry.errors, warnings: entry.warnings })) } : {}),
  }
  return JSON.stringify(body, null, 2) + '\n'
}

/** GitHub Actions workflow commands: annotations on the pull request's changed lines. */
export function formatValidationGithub(summary: ValidationSummary): string {
  const lines = summary.diagnostics.map(diagnosticAnnotation)
  for (const more of summary.omitted ?? []) lines.push(formatAnnotation('notice', { file: more.file, title: 'cac validate' }, omittedText(more)))
  const style = createStyle(false)
  lines.push(summaryLine(summary, style))
  return lines.join('\n') + '\n'
}

/** One problem as a GitHub annotation at its file, line and column (those it has). */
export function diagnosticAnnotation(d: Diagnostic): string {
  return formatAnnotation(d.severity, { file: d.file, line: d.line, col: d.column, title: `cac ${d.code}` }, d.message)
}

/** The problems that stop a plan or an apply before anything is sent (stderr text). */
export function formatInvalidProject(load: FilesCheck, what: string): string {
  return formatValidationText(load, false) + `${what}: fix the files first.\n`
}
