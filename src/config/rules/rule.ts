import type { Diagnostics, Severity } from '../../model/diagnostic.js'
import type { ProjectConfig } from '../project-config.js'
import { formatDataPath } from '../data-path.js'
import type { DefinitionDocument } from '../definitions.js'
import type { DataPath, SourceDocument } from '../yaml-source.js'

/** What a rule sees: the project file (when it loaded), every definition document, and how to report. */
export interface RuleContext {
  project: ProjectConfig | undefined
  documents: readonly DefinitionDocument[]
  /** Reports a problem at a path of a document; the message is prefixed with the field path. */
  report(source: SourceDocument, path: DataPath, message: string, options?: ReportOptions): void
}

export interface ReportOptions {
  severity?: Severity
  /** Point at the key rather than the value (e.g. a field that must not be there). */
  atKey?: boolean
}

/** A named semantic check that runs after the schema; it names the thing it asserts. */
export interface Rule {
  name: string
  /** One line: what the rule asserts, for docs and `--help`. */
  summary: string
  check(context: RuleContext): void
}

/** Runs rules, each reporting under its own name. A rule that crashes is a bug, reported as such. */
export function runRules(
  rules: readonly Rule[],
  base: Omit<RuleContext, 'report'>,
  diagnostics: Diagnostics,
): void {
  for (const rule of rules) {
    const context: RuleContext = {
      ...base,
      report(source, path, message, options = {}) {
        const where = { file: source.file, position: source.position(path, { key: options.atKey ?? false }) }
        const text = path.length > 0 ? `${formatDataPath(path)}: ${message}` : message
        if ((options.severity ?? 'error') === 'error') diagnostics.error(rule.name, text, where)
        else diagnostics.warning(rule.name, text, where)
      },
    }
    rule.check(context)
  }
}

/** Documents of the given kinds, in load order. */
export function documentsOfKind(context: RuleContext, ...kinds: DefinitionDocument['kind'][]): DefinitionDocument[] {
  return context.documents.filter((doc) => kinds.includes(doc.kind))
}

/** A string field of a mapping, or undefined when absent or not a string. */
export function stringAt(container: unknown, key: string): string | undefined {
  if (container === null || typeof container !== 'object' || Array.isArray(container)) return undefined
  const value = (container as Record<string, unknown>)[key]
  return typeof value === 'string' ? value : undefined
}

/** A mapping field of a mapping, or undefined. */
export function mappingAt(container: unknown, key: string): Record<string, unknown> | undefined {
  if (container === null || typeof container !== 'object' || Array.isArray(container)) return undefined
  const value = (container as Record<string, unknown>)[key]
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
}

/** A list field of a mapping, or an empty list. */
export function listAt(container: unknown, key: string): unknown[] {
  if (container === null || typeof container !== 'object' || Array.isArray(container)) return []
  const value = (container as Record<string, unknown>)[key]
  return Array.isArray(value) ? value : []
}
