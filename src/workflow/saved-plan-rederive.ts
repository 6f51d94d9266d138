/**
 * What runs from a saved plan is made by cac, not read from the file: each create or update is
 * planned again from the plan's desired spec (already re-validated) and the live state just
 * re-read, with the kind's rules. The plan fixes which specs are applied; its recorded action and
 * field diff must follow from them (what the reviewer saw is what runs), its dependencies are
 * recomputed, and its live ids must be those of the resources at its addresses.
 */
import { canonicalJson, planResource } from '../plan/build-plan.js'
import { formatFieldPath } from '../model/values.js'
import type { FieldChange, Plan, ResourceChange } from '../model/plan.js'
import type { Resource } from '../model/resource.js'
import type { LiveResource, PlanOptions, Provider } from '../model/provider.js'
import { changeLabel } from './saved-plan-check.js'

/** A saved plan's change as a Resource, for the providers' normalisers and rules. */
export function resourceOf(change: ResourceChange, index: number): Resource {
  return {
    kind: change.kind,
    provider: change.provider,
    name: change.name,
    address: change.address,
    spec: change.desired,
    source: { file: change.source?.file ?? 'plan', documentIndex: index, line: change.source?.line ?? 1, column: 1 },
  }
}

/** The plan with every change's dependencies recomputed from its kind's rules (the file's are ignored). */
export function withRecomputedDependencies(plan: Plan, providers: ReadonlyMap<string, Provider>): Plan {
  return {
    ...plan,
    changes: plan.changes.map((change, index) => ({
      ...change,
      dependsOn: providers.get(change.provider)!.policy(change.kind).dependsOn(resourceOf(change, index)),
    })),
  }
}

/**
 * Dependencies of the plan's creates and updates that the plan itself will not write: their ids
 * come from the platform (looked up by identity), never from the file.
 */
export function dependenciesToLookUp(plan: Plan): string[] {
  const writes = new Set(plan.changes.filter(isWrite).map((change) => change.address))
  return [...new Set(plan.changes.filter(isWrite).flatMap((change) => change.dependsOn))].filter((address) => !writes.has(address)).sort()
}

export interface RederiveInput {
  /** With dependencies recomputed. */
  plan: Plan
  /** Live resources just re-read, by address (touched ones and looked-up dependencies). */
  live: ReadonlyMap<string, LiveResource>
  providers: ReadonlyMap<string, Provider>
  options: PlanOptions
}

/** The plan as it will run, or the reasons it cannot (one per change, `changes[i] (address): what`). */
export function rederivePlan(input: RederiveInput): { plan: Plan; problems: string[] } {
  const problems: string[] = []
  const writes = new Set(input.plan.changes.filter(isWrite).map((change) => change.address))
  const changes = input.plan.changes.map((change, index) => {
    if (!isWrite(change)) return change
    const label = changeLabel(change, index)
    const provider = input.providers.get(change.provider)!
    const resource = resourceOf(change, index)
    const live = input.live.get(change.address)
    if (change.action === 'update' && live && (live.address !== change.address || String(live.id) !== String(change.liveId))) {
      problems.push(`${label}: live_id ${String(change.liveId)} is not the id of the resource at this address`)
      return change
    }
    const again = planResource(
      { resource, normalised: provider.normaliseDesired(resource) },
      live ? [live] : [],
      provider.policy(change.kind),
      input.options,
    )
    if (again.action !== change.action) {
      problems.push(
        `${label}: the plan says ${change.action}, but its desired spec against the live resource now gives ${again.action}` +
          (again.reason ? ` (${again.reason})` : ''),
      )
      return change
    }
    const differing = differingFields(change.fields, again.fields)
    if (differing.length > 0) {
      problems.push(
        `${label}: the plan's field changes do not follow from its desired spec and the live resource (they differ at ${differing.join(', ')})`,
      )
      return change
    }
    for (const dependency of change.dependsOn) {
      if (!writes.has(dependency) && !input.live.has(dependency)) {
        problems.push(`${label}: it needs ${dependency}, which neither exists nor is created or updated by the plan`)
      }
    }
    return { ...change, fields: again.fields, dependsOn: change.dependsOn }
  })
  return { plan: { ...input.plan, changes }, problems }
}

function isWrite(change: ResourceChange): boolean {
  return change.action === 'create' || change.action === 'update'
}

/** The field paths whose entries are not the same in both diffs (named, never their values). */
function differingFields(recorded: readonly FieldChange[], derived: readonly FieldChange[]): string[] {
  const entries = (fields: readonly FieldChange[]) => new Map(fields.map((field) => [canonicalJson(field.path), canonicalJson(field)]))
  const a = entries(recorded)
  const b = entries(derived)
  const paths = new Set<string>()
  for (const [path, entry] of a) if (b.get(path) !== entry) paths.add(path)
  for (const [path, entry] of b) if (a.get(path) !== entry) paths.add(path)
  return [...paths].sort().map((path) => formatFieldPath(JSON.parse(path) as FieldChange['path']))
}
