/**
 * A problem found in the user's files (or in how cac was invoked), pointing at the place to fix.
 * Validation never throws for bad input: every stage adds diagnostics to one collection.
 */
import { compareText } from './values.js'

export type Severity = 'error' | 'warning'

export interface Diagnostic {
  severity: Severity
  /** Path of the file as the user should read it (relative to the working directory when inside it). */
  file?: string
  /** 1-based line and column of the offending node, when the problem has a place in a file. */
  line?: number
  column?: number
  /** The rule name (e.g. `clock-time`) or the field path (e.g. `spec.hourly_rate`) the problem is about. */
  code: string
  message: string
}

export interface SourcePosition {
  line: number
  column: number
}

const severityOrder: Record<Severity, number> = { error: 0, warning: 1 }

/** Deterministic order: by file, then position, then severity, then code and message. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    compareText(a.file ?? '', b.file ?? '') ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    severityOrder[a.severity] - severityOrder[b.severity] ||
    compareText(a.code, b.code) ||
    compareText(a.message, b.message)
  )
}


/** Accumulates diagnostics from every stage; de-duplicates identical reports. */
export class Diagnostics {
  private readonly items: Diagnostic[] = []
  private readonly seen = new Set<string>()

  add(diagnostic: Diagnostic): void {
    const key = JSON.stringify([
      diagnostic.severity,
      diagnostic.file,
      diagnostic.line,
      diagnostic.column,
      diagnostic.code,
      diagnostic.message,
    ])
    if (this.seen.has(key)) return
    this.seen.add(key)
    this.items.push(diagnostic)
  }

  error(code: string, message: string, where: { file?: string; position?: SourcePosition } = {}): void {
    this.add({ severity: 'error', code, message, ...location(where) })
  }

  warning(code: string, message: string, where: { file?: string; position?: SourcePosition } = {}): void {
    this.add({ severity: 'warning', code, message, ...location(where) })
  }

  get errorCount(): number {
    return this.items.filter((d) => d.severity === 'error').length
  }

  get warningCount(): number {
    return this.items.filter((d) => d.severity === 'warning').length
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error')
  }

  /** Errors that concern a given file (used to skip later stages for a broken file). */
  hasErrorsIn(file: string): boolean {
    return this.items.some((d) => d.severity === 'error' && d.file === file)
  }

  sorted(): Diagnostic[] {
    return [...this.items].sort(compareDiagnostics)
  }
}

function location(where: { file?: string; position?: SourcePosition }): Partial<Diagnostic> {
  const out: Partial<Diagnostic> = {}
  if (where.file !== undefined) out.file = where.file
  if (where.position) {
    out.line = where.position.line
    out.column = where.position.column
  }
  return out
}
