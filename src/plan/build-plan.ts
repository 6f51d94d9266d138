import { createHash } from 'node:crypto'

import { compareText, setOwn } from '../model/values.js'
import type { KindName } from '../model/kinds.js'
import {
  PLAN_ACTIONS,
  type Plan,
  type PlanSummary,
  type PlanTarget,
  type ResourceChange,
  type Spec,
  type UnmanagedResource,
} from '../model/plan.js'
import type { Resource } from '../model/resource.js'
import type { KindPolicy, LiveResource, PlanOptions } from '../model/provider.js'
import { diffSpecs, specAsAdditions } from '../model/spec-diff.js'
import { formatFieldPath } from '../model/values.js'

/** A desired resource with its normalised (comparable) spec. */
export interface DesiredEntry {
  resource: Resource
  normalised: Spec
}

export interface PlanInput {
  targets: PlanTarget[]
  desired: DesiredEntry[]
  live: LiveResource[]
  /** Kinds whose live resources are compared (per provider); live resources of other kinds are ignored. */
  managedKinds: { provider: string; kind: KindName }[]
  policy: (provider: string, kind: KindName) => KindPolicy
  options: PlanOptions
}

/**
 * The pure core: desired state and live state in, a Plan out. Matches by address (provider, kind,
 * logical identity), diffs normalised specs, applies each kind's policy (create-only fields,
 * platform conditions), and lists live resources no file declares. No IO, no clock.
 */
export function buildPlan(input: PlanInput): Plan {
  const liveByAddress = new Map<string, LiveResource[]>()
  for (const live of input.live) {
    const same = liveByAddress.get(live.address)
    if (same) same.push(live)
    else liveByAddress.set(live.address, [live])
  }

  const changes = input.desired.map((entry) =>
    planResource(entry, liveByAddress.get(entry.resource.address) ?? [], input.policy(entry.resource.provider, entry.resource.kind), input.options),
  )
  const declared = new Set(input.desired.map((entry) => entry.resource.address))
  const isManaged = (live: LiveResource) => input.managedKinds.some((m) => m.provider === live.provider && m.kind === live.kind)
  const unmanaged: UnmanagedResource[] = input.live
    .filter((live) => !declared.has(live.address) && isManaged(live))
    .map((live) => ({ address: live.address, kind: live.kind, provider: live.provider, name: live.name, id: live.id }))

  const sortedChanges = changes.sort((a, b) => compareText(a.address, b.address))
  checkDependencies(sortedChanges, liveByAddress)
  return {
    targets: input.targets,
    changes: sortedChanges,
    unmanaged: unmanaged.sort((a, b) => compareText(a.address, b.address) || compareText(String(a.id), String(b.id))),
    summary: summarise(sortedChanges, unmanaged.length),
  }
}

/**
 * One resource's change: desired against the live resources of its address, under its kind's
 * rules. (Dependencies on other changes are checked across the plan, in buildPlan.) Also used to
 * re-derive a saved plan's changes at apply time.
 */
export function planResource(entry: DesiredEntry, matches: readonly LiveResource[], policy: KindPolicy, options: PlanOptions): ResourceChange {
  const { resource, normalised } = entry
  // One object, filled in place: a plan holds one change per declared resource.
  const change: ResourceChange = {
    address: resource.address,
    kind: resource.kind,
    provider: resource.provider,
    name: resource.name,
    action: 'noop',
    fields: [],
    desired: resource.spec,
    dependsOn: policy.dependsOn(resource),
    source: { file: resource.source.file, line: resource.source.line },
  }
  if (matches.length > 1) {
    change.action = 'error'
    change.reason = `${matches.length} live resources have this identity (ids ${matches.map((m) => m.id).join(', ')}); cac cannot tell which one the file means`
    return change
  }
  const live = matches[0]
  if (!live) {
    change.action = 'create'
    change.fields = specAsAdditions(normalised)
    return change
  }

  const fields = diffSpecs(live.spec, normalised)
  change.liveId = live.id
  change.live = live.spec
  change.fields = fields
  if (live.status !== undefined) change.liveStatus = live.status
  if (live.updatedBy !== undefined) change.liveUpdatedBy = live.updatedBy
  if (live.updatedAt !== undefined) change.liveUpdatedAt = live.updatedAt
  const notice = policy.notice?.({ live, desired: normalised })
  if (notice !== undefined) change.notice = notice
  if (fields.length === 0) return change
  // Only a change apply will make needs the fingerprint that a saved plan is checked against.
  change.liveFingerprint = fingerprint(live.spec)
  // The provider speaks first (its reasons are the most precise); create-only fields are the floor.
  const verdict = policy.assess({ live, fields, options })
  if (verdict) {
    change.action = verdict.action
    change.reason = verdict.reason
    return change
  }
  const frozen = fields.filter((field) => policy.createOnly.includes(String(field.path[0])))
  if (frozen.length > 0) {
    const names = [...new Set(frozen.map((field) => String(field.path[0])))].join(', ')
    change.action = 'error'
    change.reason = `${names} can only be set when the resource is created; it differs on the platform`
    return change
  }
  change.action = 'update'
  return change
}

/** A change whose dependency will not exist (not declared or failing) cannot be applied. */
function checkDependencies(changes: ResourceChange[], liveByAddress: Map<string, LiveResource[]>): void {
  // Only creates and updates are checked: a plan with nothing to change needs no index of its changes.
  let byAddress: Map<string, ResourceChange> | undefined
  for (const change of changes) {
    if (change.action !== 'create' && change.action !== 'update') continue
    byAddress ??= new Map(changes.map((known) => [known.address, known]))
    for (const dependency of change.dependsOn) {
      const planned = byAddress.get(dependency)
      if (planned && (planned.action === 'error' || planned.action === 'blocked') && !liveByAddress.has(dependency)) {
        change.action = 'error'
        change.reason = `it needs ${dependency}, which cannot be created (${planned.action})`
      } else if (!planned && !liveByAddress.has(dependency)) {
        change.action = 'error'
        change.reason = `it needs ${dependency}, which neither exists nor is declared (or --target left it out)`
      }
    }
  }
}

function summarise(changes: ResourceChange[], unmanaged: number): PlanSummary {
  const summary = Object.fromEntries(PLAN_ACTIONS.map((action) => [action, 0])) as PlanSummary
  for (const change of changes) summary[change.action] += 1
  summary.unmanaged = unmanaged
  return summary
}

/** sha256 of the canonical JSON of a normalised live spec: it moves when any field moves. */
export function fingerprint(spec: Spec): string {
  return `sha256:${createHash('sha256').update(canonicalJson(spec)).digest('hex')}`
}

/** JSON with keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object' && (value as { toJSON?: unknown }).toJSON === undefined) {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) setOwn(out, key, sortKeys((value as Record<string, unknown>)[key]))
    return out
  }
  return value
}

/** Field paths of a change, for messages. */
export function changedFieldNames(change: ResourceChange): string[] {
  return change.fields.map((field) => formatFieldPath(field.path))
}
