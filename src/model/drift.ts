/**
 * What `cac drift` reports: per resource, whether the platform still matches the files, and if
 * not, whether someone changed it behind git's back (drifted), the files moved on since cac's
 * last apply (pending), it is gone (missing), or no file declares it (unmanaged).
 */
import type { FieldPath, PlanTarget } from './plan.js'

export type DriftState = 'drifted' | 'pending' | 'missing' | 'unmanaged' | 'in-sync' | 'error'

/** The order states are listed in, and the words the summary counts them with. */
export const DRIFT_STATES: readonly DriftState[] = ['drifted', 'missing', 'pending', 'unmanaged', 'error', 'in-sync']

/** States that can be asked to raise the alarm besides drifted and missing (`--fail-on`). */
export const WIDENING_STATES = ['pending', 'unmanaged'] as const
export type WideningState = (typeof WIDENING_STATES)[number]

/** One field where the platform differs from the file. */
export interface DriftField {
  path: FieldPath
  /** `add`: the platform lacks it; `change`: another value; `remove`: the platform holds what the file drops. */
  kind: 'add' | 'change' | 'remove'
  file?: unknown
  live?: unknown
  /** A write-only secret: compared by presence only, its value never shown. */
  sensitive: boolean
  /** The line of the field in its definition file (or of its nearest declared parent). */
  line?: number
  /** A lifecycle the platform moved (no file field): `file` says in words what the files imply. */
  lifecycle?: boolean
}

export interface DriftEntry {
  address: string
  kind: string
  provider: string
  name: string
  state: DriftState
  /** The differences that count (not ignored). */
  fields: DriftField[]
  /** How many differences an ignore pattern left out. */
  ignored: number
  /** Why the resource is in error, or what else the platform says (a lifecycle that moved). */
  reason?: string
  /** Who last changed the live resource, and when, as the platform records it. */
  changedBy?: string
  changedAt?: string
  /** Who created the live resource, where the platform records it (unmanaged resources). */
  createdBy?: string
  liveId?: string | number
  /** Where the resource is declared. */
  source?: { file: string; line: number }
}

export interface DriftSummary {
  drifted: number
  missing: number
  pending: number
  unmanaged: number
  error: number
  inSync: number
  /** Differences left out by ignore patterns, over all resources. */
  ignored: number
}

export interface DriftReport {
  targets: PlanTarget[]
  /** Sorted by address; in-sync resources included. */
  entries: DriftEntry[]
  summary: DriftSummary
  /** Providers with no `actor` in cac.yaml: every difference there is counted as drift. */
  withoutActor: string[]
  /** Ignore patterns that matched no difference. */
  unusedIgnores: string[]
}
