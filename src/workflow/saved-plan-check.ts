/**
 * A saved plan is reviewed input, not trusted input: its checksum only catches accidents, since
 * anyone who can edit the file can recompute it. Before anything is sent, apply checks the plan
 * against the project it runs in, as a re-plan would check the files:
 * - it is bound to its targets (provider type, URL, and what else its platform binds it to);
 * - it only creates or updates resources the project's files declare;
 * - a secret reference names a variable only at a secret field, and only the variable the files
 *   use for that same field (so a plan cannot send, say, the API key as a webhook secret);
 * - every desired spec passes the same schemas and rules as the files.
 */
import { valueAt } from '../model/values.js'
import type { ProjectConfig } from '../config/project-config.js'
import { expandPathPattern } from '../config/secret-paths.js'
import { checkSpecs, type SpecToCheck } from '../config/spec-validation.js'
import { isSecretPath, type KindName } from '../model/kinds.js'
import { kindOf } from '../platforms.js'
import type { FieldPath, Plan, PlanTarget, ResourceChange } from '../model/plan.js'
import type { Resource } from '../model/resource.js'
import { isSecretValue, secretsWithin } from '../model/secret.js'
import { formatFieldPath } from '../model/values.js'

/** How messages name a change of the plan: `changes[2] (PROVIDER/campaign/Spring)`. */
export function changeLabel(change: ResourceChange, index: number): string {
  return `changes[${index}] (${change.address})`
}

/**
 * What differs between the targets a plan was made for and the project's providers now, one
 * sentence each (empty when the plan belongs here). Keys are never part of a target.
 */
export function targetDifferences(planned: readonly PlanTarget[], current: readonly PlanTarget[], projectFile: string): string[] {
  const differences: string[] = []
  for (const then of planned) {
    const now = current.find((target) => target.provider === then.provider)
    const name = then.provider
    if (!now) {
      differences.push(`the plan was made for provider ${name}, which ${projectFile} does not declare`)
      continue
    }
    if (now.type !== then.type) {
      differences.push(`the plan was made for ${name} of type ${then.type}; this project's provider ${name} is of type ${now.type}`)
      continue
    }
    if (now.target !== then.target) differences.push(`the plan was made for ${name} → ${then.target}, but this run targets ${now.target}`)
    for (const [field, before, after] of [
      ['org_id', then.orgId, now.orgId],
      ['workspace_id', then.workspaceId, now.workspaceId],
    ] as const) {
      if (before === after) continue
      differences.push(
        `the plan was made for ${name} ${field} ${quoted(before)}; this project's provider ${name} names ${field} ${quoted(after)}`,
      )
    }
  }
  return differences
}

export interface SavedPlanCheckInput {
  plan: Plan
  config: ProjectConfig
  /** What the project's files declare (loaded and valid). */
  resources: readonly Resource[]
}

/**
 * The problems of a saved plan in this project, each `changes[i] (address): what`. The checks run
 * in two stages: what the plan may touch and which secrets it may name, then (only when those
 * pass) schemas and rules, so that one tampering is reported once, in its own terms.
 */
export function checkSavedPlan(input: SavedPlanCheckInput): string[] {
  const declared = new Map(input.resources.map((resource) => [resource.address, resource]))
  const fileSecrets = secretVariablesByField(input.resources)
  const problems: string[] = []
  input.plan.changes.forEach((change, index) => {
    const label = changeLabel(change, index)
    const report = (message: string) => problems.push(`${label}: ${message}`)
    const provider = input.config.providers[change.provider]
    const needed = kindOf(change.kind).providerType
    if (!provider) report(`names provider ${change.provider}, which ${input.config.displayFile} does not declare`)
    else if (provider.type !== needed) report(`a ${change.kind} needs a ${needed} provider; provider ${change.provider} is of type ${provider.type}`)
    // What is not sent needs no binding to the files (a noop of a resource the files dropped since).
    if (change.action !== 'create' && change.action !== 'update') return
    const resource = declared.get(change.address)
    if (!resource) {
      // Its secrets cannot be the files' either: that is the same problem, reported once.
      report(`no file of this project declares this resource; a saved plan only creates or updates what the files declare`)
      return
    }
    if (resource.kind !== change.kind) report(`the files declare this address as a ${resource.kind}, not a ${change.kind}`)
    for (const message of secretProblems(change, fileSecrets)) report(message)
  })
  if (problems.length > 0) return problems

  const labelled = input.plan.changes.map((change, index): SpecToCheck => ({
    label: changeLabel(change, index),
    kind: change.kind,
    provider: change.provider,
    spec: change.desired,
  }))
  const inPlan = new Set(input.plan.changes.map((change) => change.address))
  const alongside = input.resources
    .filter((resource) => !inPlan.has(resource.address))
    .map((resource): SpecToCheck => ({ label: `file ${resource.address}`, kind: resource.kind, provider: resource.provider, spec: resource.spec }))
  return checkSpecs(input.config, labelled, alongside).map((problem) => `${problem.label}: ${problem.message}`)
}

/** Where secrets may be named in a change's spec, and by which variables. */
function secretProblems(change: ResourceChange, fileSecrets: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const patterns = kindOf(change.kind).secretPaths
  const problems: string[] = []
  for (const { path, secret } of secretsWithin(change.desired, ['spec'])) {
    const field = formatFieldPath(path)
    if (!isSecretPath(path, patterns)) {
      problems.push(
        `${field}: {"$env": "${secret.variable}"} names a variable at a field that is not a secret; ${secretFieldsText(change.kind)}`,
      )
      continue
    }
    const allowed = fileSecrets.get(fieldKey(change.address, path))
    if (allowed?.has(secret.variable)) continue
    problems.push(
      `${field}: the plan sends the variable ${secret.variable} as this secret, but ` +
        (allowed && allowed.size > 0
          ? `this project's files use ${[...allowed].sort().join(', ')} here`
          : 'no file of this project sets this secret'),
    )
  }
  for (const pattern of patterns) {
    for (const found of expandPathPattern({ spec: change.desired }, pattern)) {
      const path = [...found]
      const value = valueAt({ spec: change.desired }, path)
      if (value === null || value === undefined || isSecretValue(value)) continue
      problems.push(`${formatFieldPath(path)}: a secret in a saved plan must be a {"$env": NAME} reference; this one holds a value (not shown)`)
    }
  }
  return problems
}

/** For each resource address and secret field (list indexes aside), the variables the files use there. */
function secretVariablesByField(resources: readonly Resource[]): Map<string, Set<string>> {
  const byField = new Map<string, Set<string>>()
  for (const resource of resources) {
    for (const { path, secret } of secretsWithin(resource.spec, ['spec'])) {
      const key = fieldKey(resource.address, path)
      if (!byField.has(key)) byField.set(key, new Set())
      byField.get(key)!.add(secret.variable)
    }
  }
  return byField
}

function fieldKey(address: string, path: FieldPath): string {
  return JSON.stringify([address, ...path.map((segment) => (typeof segment === 'number' ? '*' : segment))])
}

function secretFieldsText(kind: KindName): string {
  const patterns = kindOf(kind).secretPaths
  if (patterns.length === 0) return `a ${kind} has no secret fields`
  const fields = patterns.map((pattern) => formatFieldPath(pattern.map((part) => (part === '*' ? '*' : part))).replace(/\.\*/g, '[*]'))
  return `the secret field${fields.length === 1 ? ' is' : 's are'} ${fields.join(', ')}`
}

function quoted(value: string | undefined): string {
  return value === undefined ? '(none)' : JSON.stringify(value)
}
