/**
 * One object per kind holds everything a provider does with that kind (grizzly's handler shape):
 * read it (list, refresh), bring file specs to the comparable form, create and update it, turn a
 * live resource back into a file spec, and the planner's policy for it. `Session` is what the
 * platform's handlers share: its API, the retry policy, who it acts as.
 */
import type { KindName } from '../model/kinds.js'
import type { KindDeclaration } from '../model/platform.js'
import type { FieldChange, ResourceChange, Spec } from '../model/plan.js'
import type { ApplyContext, ChangeOutcome, KindPolicy, LifecycleDrift, LiveResource, PlanOptions, ReadScope, Verdict } from '../model/provider.js'
import type { Resource } from '../model/resource.js'

/** A resource to read again: by server id when known, else by identity. */
export interface RefreshTarget {
  kind: KindName
  name: string
  id?: string | number
}

/**
 * Reads that several kinds (or several resources) of one call need, made once per call: e.g. the
 * campaign list that batches are named through, or one campaign that many batches share.
 */
export class SharedReads {
  private readonly reads = new Map<string, Promise<unknown>>()

  once<T>(key: string, read: () => Promise<T>): Promise<T> {
    if (!this.reads.has(key)) this.reads.set(key, read())
    return this.reads.get(key) as Promise<T>
  }
}

/** What a list is asked for. */
export interface ListRequest {
  /** What the files declare of this kind and provider. */
  declared: readonly Resource[]
  scope: ReadScope
  shared: SharedReads
}

export interface KindHandler<Session> {
  kind: KindDeclaration
  /** Every live resource of the kind, from the list endpoints (details as the scope asks). */
  list(session: Session, request: ListRequest): Promise<LiveResource[]>
  /** One resource read again; undefined when it no longer exists at this identity. */
  refresh(session: Session, target: RefreshTarget, shared: SharedReads): Promise<LiveResource | undefined>
  /** File spec → the comparable form (defaults in, canonical forms, secrets as presence markers). */
  normalise(spec: Spec): Spec
  /** Live → the file's spec: minimal, server-owned fields and server defaults left out, secrets as `${env:NAME}`. */
  toFileSpec(live: LiveResource): Spec
  create(session: Session, change: ResourceChange, context: ApplyContext): Promise<ChangeOutcome>
  update(session: Session, change: ResourceChange, context: ApplyContext): Promise<ChangeOutcome>
  /** Addresses of resources this one needs first (none when absent). */
  dependsOn?(resource: Resource): string[]
  /** Platform conditions on an update (create-only fields are checked from the declaration when absent). */
  assess?(input: { live: LiveResource; fields: FieldChange[]; options: PlanOptions }): Verdict | undefined
  notice?(input: { live: LiveResource; desired: Spec }): string | undefined
  lifecycleDrift?(live: LiveResource): LifecycleDrift | undefined
  unmanageable?(live: LiveResource): string | undefined
}

/** The planner's policy for a kind, from its handler and its declaration. */
export function policyOf<Session>(handler: KindHandler<Session>): KindPolicy {
  const createOnly = Object.keys(handler.kind.createOnly)
  const policy: KindPolicy = {
    createOnly,
    dependsOn: (resource) => handler.dependsOn?.(resource) ?? [],
    assess: handler.assess ?? (({ fields }) => createOnlyVerdict(handler.kind, changedFields(fields))),
  }
  if (handler.notice) policy.notice = handler.notice
  if (handler.lifecycleDrift) policy.lifecycleDrift = handler.lifecycleDrift
  if (handler.unmanageable) policy.unmanageable = handler.unmanageable
  return policy
}

/** The top-level spec fields a diff touches. */
export function changedFields(fields: readonly FieldChange[]): Set<string> {
  return new Set(fields.map((field) => String(field.path[0])))
}

/** An error when a create-only field of the kind changes, with the reason its declaration gives. */
export function createOnlyVerdict(kind: KindDeclaration, changed: ReadonlySet<string>): Verdict | undefined {
  const field = Object.keys(kind.createOnly).find((name) => changed.has(name))
  return field === undefined ? undefined : { action: 'error', reason: kind.createOnly[field]! }
}
