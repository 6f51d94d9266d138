import type { KindName, ProviderType } from './kinds.js'

/** A resource's fields in the platform's own names (file form, or a live object normalised to it). */
export type Spec = Record<string, unknown>

/** What a plan will do to one resource. */
export type PlanAction = 'create' | 'update' | 'noop' | 'blocked' | 'error'

/** The order actions are listed and counted in. */
export const PLAN_ACTIONS: readonly PlanAction[] = ['create', 'update', 'blocked', 'error', 'noop']

export type FieldPath = (string | number)[]

/** One field that differs between the live resource and the file (after normalising both). */
export interface FieldChange {
  /** Path inside `spec`, e.g. `['webhooks', 0, 'url']`. */
  path: FieldPath
  /** `add`: the platform lacks it; `change`: different value; `remove`: inside a managed object, the file drops it. */
  kind: 'add' | 'change' | 'remove'
  before?: unknown
  after?: unknown
  /** A write-only secret: shown as (sensitive), compared by presence only. */
  sensitive?: boolean
}

export interface ResourceChange {
  /** e.g. `provider/campaign/Spring Renewals`. */
  address: string
  kind: KindName
  provider: string
  /** The logical identity. */
  name: string
  action: PlanAction
  /** Why the change is blocked or in error, in one sentence. */
  reason?: string
  /** Field-level differences (empty for noop; every desired field for create). */
  fields: FieldChange[]
  /** The desired spec as declared (secrets as SecretValue); what apply sends. */
  desired: Spec
  /** The live resource's server id (absent for create). */
  liveId?: string | number
  /** sha256 of the canonical normalised live object (absent for create). */
  liveFingerprint?: string
  /** The normalised live spec, for naming fields that moved since the plan (absent for create). */
  live?: Spec
  /** Live lifecycle status where the platform has one (e.g. `scheduled`). */
  liveStatus?: string
  /** Who last changed the live resource, as the platform says (absent for create). */
  liveUpdatedBy?: string
  /** When the live resource was last changed, as the platform says (absent for create). */
  liveUpdatedAt?: string
  /**
   * Something about the live resource the user should know that is not a change: e.g. a campaign
   * that is paused on the platform while its file does not manage `paused`.
   */
  notice?: string
  /** Addresses that must be applied first (a batch waits for its campaign). */
  dependsOn: string[]
  /** Where the resource is declared. */
  source?: { file: string; line: number }
}

/** A live resource of a managed kind that no file declares: reported, never touched. */
export interface UnmanagedResource {
  address: string
  kind: KindName
  provider: string
  name: string
  id: string | number
}

/**
 * Where a provider's changes go, as shown in every output (so a sandbox is never mistaken for
 * production). A saved plan is bound to its targets: apply refuses it where any of these differ.
 */
export interface PlanTarget {
  provider: string
  type: ProviderType
  /** e.g. `sandbox (.cac/sandbox.json)` or `https://api.example.com`: origin and path only, never userinfo or query. */
  target: string
  /** The organisation the provider names, where its platform has one (never the key). */
  orgId?: string
  /** The workspace the provider names, where its platform has one. */
  workspaceId?: string
}

export type PlanSummary = Record<PlanAction, number> & { unmanaged: number }

export interface Plan {
  targets: PlanTarget[]
  /** Sorted by address. */
  changes: ResourceChange[]
  /** Sorted by address. */
  unmanaged: UnmanagedResource[]
  summary: PlanSummary
}

/** True when applying the plan would change something. */
export function hasPendingChanges(plan: Plan): boolean {
  return plan.summary.create + plan.summary.update + plan.summary.blocked > 0
}
