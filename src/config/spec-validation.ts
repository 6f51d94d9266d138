/**
 * Runs the same JSON Schemas and named rules as `cac validate` on specs that come from somewhere
 * other than a definition file (a saved plan). Each spec is given to the rules as a definition
 * document of its own; a secret in it (a SecretValue) stands where the file had `${env:NAME}`, so
 * the secret rules see a reference, and messages never show its value.
 */
import type { SourcePosition } from '../model/diagnostic.js'
import { Diagnostics } from '../model/diagnostic.js'
import { isSecretPath, type KindName } from '../model/kinds.js'
import { kindOf } from '../platforms.js'
import { isSecretValue, type SecretValue } from '../model/secret.js'
import { DESCEND, mapTree } from '../model/values.js'
import { isWithin } from './data-path.js'
import type { DefinitionDocument } from './definitions.js'
import type { ProjectConfig } from './project-config.js'
import { RULES, runRules } from './rules/index.js'
import { reportSchemaErrors } from './schema-messages.js'
import { schemaErrors, schemaValidators } from './schema-validator.js'
import type { DataPath, InterpolationRecord, SourceDocument } from './yaml-source.js'

export interface SpecToCheck {
  /** How problems name the spec's origin, e.g. `changes[2] (syllable/campaign/Spring)`; unique. */
  label: string
  kind: KindName
  provider: string
  /** The spec; secrets as SecretValues. */
  spec: Record<string, unknown>
}

export interface SpecProblem {
  label: string
  /** The field and what is wrong, e.g. `spec.hourly_rate: must be between 1 and 2000, got 3000`. */
  message: string
}

/**
 * Checks `specs` against their kinds' schemas and every rule, with `alongside` (the other
 * resources of the project) visible to the rules that look across documents (a batch's
 * campaign, duplicate identities) but not reported on. Returns the errors; warnings are
 * `validate`'s business.
 */
export function checkSpecs(project: ProjectConfig, specs: readonly SpecToCheck[], alongside: readonly SpecToCheck[]): SpecProblem[] {
  const checked = specs.map((spec, index) => specDocument(spec, index))
  const labels = new Set(specs.map((spec) => spec.label))
  const context = alongside.filter((spec) => !labels.has(spec.label)).map((spec, index) => specDocument(spec, specs.length + index))

  const schema = new Diagnostics()
  for (const doc of checked) {
    const source = doc.source as SpecSource
    const errors = schemaErrors(schemaValidators().kind(doc.kind), source.value)
    doc.schemaValid = errors.length === 0
    reportSchemaErrors(errors, source.value, source, schema, {
      isSensitive: (path) => isSecretPath(path, kindOf(doc.kind).secretPaths) || source.isFromEnvironment(path),
      isExplained: (path) => source.isUnsetSecret(path),
    })
  }
  const rules = new Diagnostics()
  runRules(RULES, { project, documents: [...checked, ...context] }, rules)

  const problems: SpecProblem[] = []
  for (const d of schema.sorted()) {
    if (d.severity === 'error' && d.file !== undefined) problems.push({ label: d.file, message: `${d.code}: ${d.message}` })
  }
  for (const d of rules.sorted()) {
    if (d.severity === 'error' && d.file !== undefined && labels.has(d.file)) problems.push({ label: d.file, message: d.message })
  }
  for (const omitted of [...schema.omitted(), ...rules.omitted()]) {
    if (omitted.errors > 0 && labels.has(omitted.file)) problems.push({ label: omitted.file, message: `… and ${omitted.errors} more problems` })
  }
  const order = new Map(specs.map((spec, i) => [spec.label, i]))
  return problems.sort((a, b) => order.get(a.label)! - order.get(b.label)!)
}

function specDocument(spec: SpecToCheck, index: number): DefinitionDocument {
  const source = new SpecSource(spec, index)
  return { source, kind: spec.kind, provider: spec.provider, spec: (source.value as { spec: Record<string, unknown> }).spec, schemaValid: true }
}

const FIRST: SourcePosition = { line: 1, column: 1 }

/**
 * A spec seen as a one-document source: the value is `{kind, provider, spec}` with each secret's
 * value in place (empty when its variable is unset), and the secret's path reads as a
 * `${env:NAME}` interpolation. Positions all point at the start: the label says where.
 */
class SpecSource implements SourceDocument {
  readonly file: string
  readonly value: unknown
  readonly unsetSecrets: { path: DataPath; variable: string }[] = []
  readonly start = FIRST
  private readonly secrets: { path: DataPath; secret: SecretValue }[] = []

  constructor(
    spec: SpecToCheck,
    readonly index: number,
  ) {
    this.file = spec.label
    this.value = { kind: spec.kind, provider: spec.provider, spec: this.withSecretValues(spec.spec, ['spec']) }
  }

  position(): SourcePosition {
    return FIRST
  }

  interpolationAt(path: DataPath): InterpolationRecord | undefined {
    const found = this.secrets.find((entry) => samePath(entry.path, path))
    if (!found) return undefined
    const { secret } = found
    return {
      raw: `\${env:${secret.variable}}`,
      references: [{ name: secret.variable, defaultValue: undefined, resolution: secret.isSet ? 'variable' : 'unset' }],
      unresolved: !secret.isSet,
    }
  }

  isFromEnvironment(path: DataPath): boolean {
    return this.secrets.some((entry) => isWithin(entry.path, path) || isWithin(path, entry.path))
  }

  /** True at (or below) a secret whose variable is unset: its emptiness is reported elsewhere. */
  isUnsetSecret(path: DataPath): boolean {
    return this.secrets.some((entry) => !entry.secret.isSet && isWithin(path, entry.path))
  }

  sourceTextAt(): string | undefined {
    return undefined
  }

  private withSecretValues(value: unknown, path: DataPath): unknown {
    return mapTree(
      value,
      (item, at) => {
        if (!isSecretValue(item)) return DESCEND
        this.secrets.push({ path: [...at], secret: item })
        return item.isSet ? item.reveal() : ''
      },
      [...path],
    )
  }
}

function samePath(a: DataPath, b: DataPath): boolean {
  return a.length === b.length && a.every((segment, i) => segment === b[i])
}
