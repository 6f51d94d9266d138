import type { DriftEntry, DriftField, DriftReport, DriftState, DriftSummary } from '../model/drift.js'
import type { FieldChange, Plan, ResourceChange } from '../model/plan.js'
import type { LifecycleDrift, LiveResource } from '../model/provider.js'
import { formatFieldPath } from '../model/values.js'

/** `ADDRESS_GLOB:FIELD_PATH`, compiled by the caller: which differences are known noise. */
export interface IgnoreRule {
  /** As written, for the warning when it matches nothing. */
  text: string
  matches(address: string, field: string): boolean
}

export interface DriftInput {
  plan: Plan
  /** The live resources the plan was made from, by address (who changed them, and when). */
  live: ReadonlyMap<string, LiveResource>
  /** The identity each provider's platform records for cac (cac.yaml `actor`), where set. */
  actors: ReadonlyMap<string, string>
  ignore: readonly IgnoreRule[]
  /** The kind's lifecycle drift (KindPolicy.lifecycleDrift) of a live resource, where it has one. */
  lifecycle(provider: string, kind: string, live: LiveResource): LifecycleDrift | undefined
}

/**
 * A plan read as drift (pure). An update's fields, less the ignored ones, are the differences;
 * they are `pending` when cac made the platform's last change (the files moved on since), else
 * `drifted`. A create is `missing`: the platform cannot tell a resource deleted outside cac from
 * one never applied. Live resources no file declares are `unmanaged`.
 */
export function buildDrift(input: DriftInput): DriftReport {
  const used = new Set<string>()
  const entries: DriftEntry[] = input.plan.changes.map((change) => entryOf(change, input, used))
  for (const resource of input.plan.unmanaged) {
    const live = input.live.get(resource.address)
    entries.push({
      address: resource.address,
      kind: resource.kind,
      provider: resource.provider,
      name: resource.name,
      state: 'unmanaged',
      fields: [],
      ignored: 0,
      liveId: resource.id,
      ...who(live),
      ...(live?.createdBy !== undefined ? { createdBy: live.createdBy } : {}),
    })
  }
  entries.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0))
  const providers = new Set(input.plan.targets.map((target) => target.provider))
  return {
    targets: input.plan.targets,
    entries,
    summary: summarise(entries),
    withoutActor: [...providers].filter((provider) => !input.actors.has(provider)).sort(),
    unusedIgnores: input.ignore.filter((rule) => !used.has(rule.text)).map((rule) => rule.text),
  }
}

function entryOf(change: ResourceChange, input: DriftInput, used: Set<string>): DriftEntry {
  const base = {
    address: change.address,
    kind: change.kind,
    provider: change.provider,
    name: change.name,
    ...(change.liveId !== undefined ? { liveId: change.liveId } : {}),
    ...(change.source ? { source: change.source } : {}),
    ...who(input.live.get(change.address)),
  }
  if (change.action === 'create') return { ...base, state: 'missing', fields: [], ignored: 0 }
  if (change.action === 'error') return { ...base, state: 'error', fields: [], ignored: 0, ...(change.reason ? { reason: change.reason } : {}) }
  const fields: DriftField[] = []
  let ignored = 0
  const live = input.live.get(change.address)
  const moved = live ? input.lifecycle(change.provider, change.kind, live) : undefined
  const candidates: DriftField[] = change.fields.map(driftField)
  if (moved) candidates.unshift({ path: [moved.field], kind: 'change', file: moved.expected, live: moved.live, sensitive: false, lifecycle: true })
  for (const field of candidates) {
    const rule = input.ignore.find((candidate) => candidate.matches(change.address, formatFieldPath(field.path)))
    if (rule) {
      used.add(rule.text)
      ignored += 1
    } else {
      fields.push(field)
    }
  }
  if (fields.length === 0) return { ...base, state: 'in-sync', fields, ignored }
  const actor = input.actors.get(change.provider)
  const state: DriftState = actor !== undefined && base.changedBy === actor ? 'pending' : 'drifted'
  return { ...base, state, fields, ignored }
}

/** A plan field reads live → file; drift reads file → live. */
function driftField(field: FieldChange): DriftField {
  return {
    path: field.path,
    kind: field.kind,
    ...('after' in field ? { file: field.after } : {}),
    ...('before' in field ? { live: field.before } : {}),
    sensitive: field.sensitive === true,
  }
}

function who(live: LiveResource | undefined): { changedBy?: string; changedAt?: string } {
  return {
    ...(live?.updatedBy !== undefined ? { changedBy: live.updatedBy } : {}),
    ...(live?.updatedAt !== undefined ? { changedAt: live.updatedAt } : {}),
  }
}

function summarise(entries: readonly DriftEntry[]): DriftSummary {
  const count = (state: DriftState) => entries.filter((entry) => entry.state === state).length
  return {
    drifted: count('drifted'),
    missing: count('missing'),
    pending: count('pending'),
    unmanaged: count('unmanaged'),
    error: count('error'),
    inSync: count('in-sync'),
    ignored: entries.reduce((sum, entry) => sum + entry.ignored, 0),
  }
}
