import type { Diagnostic } from '../model/diagnostic.js'
import { diagnosticAnnotation, diagnosticToJson } from './diagnostics.js'
import { formatAnnotation } from './github-commands.js'
import { escapeHtml } from './markdown.js'

/** Why a run produced no plan, result or report: what a JSON or Markdown consumer gets instead of nothing. */
export interface RunFailureReport {
  /** e.g. `invalid-files`, `platform`, `usage`, `stale`, `refused`, `declined`, `interrupted`, `internal`. */
  code: string
  message: string
  diagnostics?: readonly Diagnostic[]
}

export const FAILURE_JSON_FORMAT_VERSION = 1

/** `{format_version, error: {code, message, diagnostics}}`: one document, so a pipeline never reads an empty string. */
export function failureToJson(failure: RunFailureReport): string {
  const body = {
    format_version: FAILURE_JSON_FORMAT_VERSION,
    error: { code: failure.code, message: failure.message, diagnostics: (failure.diagnostics ?? []).map(diagnosticToJson) },
  }
  return `${JSON.stringify(body, null, 2)}\n`
}

/** A failure section for a pull-request comment or an issue. */
export function failureToMarkdown(failure: RunFailureReport, what: string): string {
  const lines = [`### ✗ ${what} failed`, '', escapeHtml(failure.message)]
  const diagnostics = failure.diagnostics ?? []
  if (diagnostics.length > 0) {
    lines.push('')
    for (const d of diagnostics.slice(0, 200)) {
      const where = [d.file, d.line, d.column].filter((part) => part !== undefined).join(':')
      lines.push(`- ${d.severity} <code>${escapeHtml(where)}</code> ${escapeHtml(d.code)}: ${escapeHtml(d.message)}`)
    }
    if (diagnostics.length > 200) lines.push(`- … and ${diagnostics.length - 200} more`)
  }
  return `${lines.join('\n')}\n`
}

/**
 * A failure as GitHub annotations: one per problem in the files, at its line; a failure that is not
 * about a place in the files (the platform, the network, a lock) as one error titled with the command.
 */
export function failureToGithub(failure: RunFailureReport, what: string): string {
  const diagnostics = failure.diagnostics ?? []
  const lines = diagnostics.length > 0 ? diagnostics.map(diagnosticAnnotation) : [formatAnnotation('error', { title: `${what} failed` }, failure.message)]
  return `${lines.join('\n')}\n`
}
