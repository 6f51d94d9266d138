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


/** Diagnostics kept per file; past this many, a file's further problems are only counted. */
export const MAX_DIAGNOSTICS_PER_FILE = 50

/** Problems of a file that were counted but not kept, because the file had reached the limit. */
export interface OmittedDiagnostics {
  file: string
  errors: number
  warnings: number
}

/**
 * Accumulates diagnostics from every stage; de-duplicates identical reports. At most
 * `perFileLimit` diagnostics are kept per file (memory and output stay bounded whatever the
 * input): the rest are counted by severity, and the counts include them.
 */
export class Diagnostics {
  private readonly items: Diagnostic[] = []
  private readonly seen = new Set<string>()
  private readonly keptPerFile = new Map<string, number>()
  private readonly omittedPerFile = new Map<string, OmittedDiagnostics>()
  private readonly filesWithErrors = new Set<string | undefined>()
  private errors = 0
  private warnings = 0

  constructor(private readonly perFileLimit = MAX_DIAGNOSTICS_PER_FILE) {}

  add(diagnostic: Diagnostic): void {
    if (diagnostic.file !== undefined && this.isFull(diagnostic.file)) {
      this.tally(diagnostic.severity, diagnostic.file)
      return
    }
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
    this.count(diagnostic.severity, diagnostic.file)
    if (diagnostic.file !== undefined) this.keptPerFile.set(diagnostic.file, (this.keptPerFile.get(diagnostic.file) ?? 0) + 1)
  }

  error(code: string, message: string, where: { file?: string; position?: SourcePosition } = {}): void {
    this.add({ severity: 'error', code, message, ...location(where) })
  }

  warning(code: string, message: string, where: { file?: string; position?: SourcePosition } = {}): void {
    this.add({ severity: 'warning', code, message, ...location(where) })
  }

  /** True when a file has as many diagnostics as are kept: describing another one is wasted work. */
  isFull(file: string): boolean {
    return (this.keptPerFile.get(file) ?? 0) >= this.perFileLimit
  }

  /** Counts a problem of a full file without describing it (see `isFull`). */
  tally(severity: Severity, file: string): void {
    const omitted = this.omittedPerFile.get(file) ?? { file, errors: 0, warnings: 0 }
    if (severity === 'error') omitted.errors += 1
    else omitted.warnings += 1
    this.omittedPerFile.set(file, omitted)
    this.count(severity, file)
  }

  /** Errors, kept or only counted. */
  get errorCount(): number {
    return this.errors
  }

  /** Warnings, kept or only counted. */
  get warningCount(): number {
    return this.warnings
  }

  get hasErrors(): boolean {
    return this.errors > 0
  }

  /** Errors that concern a given file (used to skip later stages for a broken file). */
  hasErrorsIn(file: string): boolean {
    return this.filesWithErrors.has(file)
  }

  sorted(): Diagnostic[] {
    return [...this.items].sort(compareDiagnostics)
  }

  /** Per file, the problems counted beyond the limit, by file name. */
  omitted(): OmittedDiagnostics[] {
    return [...this.omittedPerFile.values()].map((entry) => ({ ...entry })).sort((a, b) => compareText(a.file, b.file))
  }

  private count(severity: Severity, file: string | undefined): void {
    if (severity === 'error') {
      this.errors += 1
      this.filesWithErrors.add(file)
    } else {
      this.warnings += 1
    }
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
