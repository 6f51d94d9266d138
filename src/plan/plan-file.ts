import { createHash } from 'node:crypto'

import { KIND_NAMES, type KindName } from '../model/kinds.js'
import { PLAN_ACTIONS, type FieldChange, type Plan, type PlanAction, type ResourceChange, type Spec } from '../model/plan.js'
import { isSecretReference, SecretValue } from '../model/secret.js'
import type { LiveResource, PlanOptions } from '../providers/provider.js'
import { canonicalJson, fingerprint } from './build-plan.js'
import { diffSpecs, formatFieldPath } from './diff.js'

export const PLAN_FILE_FORMAT_VERSION = 1

/** A saved plan that cannot be used: not a plan, another format, edited after it was written. */
export class PlanFileError extends Error {}

export interface SavedPlan {
  plan: Plan
  options: PlanOptions
  createdAt: string
  checksum: string
}

/**
 * The plan file: canonical JSON (keys sorted, two-space indent), a format version, every change
 * with its field diff, the desired spec (secrets as `{"$env": NAME}`, never values), the
 * fingerprint and normalised form of the live object, and a checksum over all of it.
 */
export function serialisePlan(plan: Plan, options: PlanOptions, createdAt: string): string {
  const body = planBody(plan, options)
  const document = {
    ...body,
    created_at: createdAt,
    summary: plan.summary,
    unmanaged: plan.unmanaged,
    checksum: checksumOf(body),
  }
  return `${JSON.stringify(JSON.parse(canonicalJson(document)), null, 2)}\n`
}

function planBody(plan: Plan, options: PlanOptions) {
  return {
    format_version: PLAN_FILE_FORMAT_VERSION,
    tool: 'cac',
    options: { pause_to_update: options.pauseToUpdate },
    targets: plan.targets,
    changes: plan.changes.map(changeToJson),
  }
}

function checksumOf(body: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(body)).digest('hex')}`
}

function changeToJson(change: ResourceChange): Record<string, unknown> {
  const out: Record<string, unknown> = {
    address: change.address,
    kind: change.kind,
    provider: change.provider,
    name: change.name,
    action: change.action,
    fields: change.fields,
    desired: JSON.parse(JSON.stringify(change.desired)) as unknown,
    depends_on: change.dependsOn,
  }
  if (change.reason !== undefined) out.reason = change.reason
  if (change.liveId !== undefined) out.live_id = change.liveId
  if (change.liveFingerprint !== undefined) out.live_fingerprint = change.liveFingerprint
  if (change.live !== undefined) out.live = change.live
  if (change.liveStatus !== undefined) out.live_status = change.liveStatus
  if (change.source !== undefined) out.source = change.source
  return out
}

/** Reads a plan file: format, checksum, shape. Secrets come back as SecretValues read from `env`. */
export function parsePlanFile(text: string, env: Readonly<Record<string, string | undefined>>): SavedPlan {
  let document: Record<string, unknown>
  try {
    document = JSON.parse(text) as Record<string, unknown>
  } catch {
    throw new PlanFileError('is not a cac plan file (not JSON)')
  }
  if (document === null || typeof document !== 'object' || document.tool !== 'cac') throw new PlanFileError('is not a cac plan file')
  if (document.format_version !== PLAN_FILE_FORMAT_VERSION) {
    throw new PlanFileError(`has format_version ${String(document.format_version)}; this cac reads ${PLAN_FILE_FORMAT_VERSION}: make the plan again`)
  }
  const body = {
    format_version: document.format_version,
    tool: document.tool,
    options: document.options,
    targets: document.targets,
    changes: document.changes,
  }
  const checksum = checksumOf(body)
  if (document.checksum !== checksum) {
    throw new PlanFileError('was changed after it was written (its checksum does not match): make the plan again')
  }
  const options = document.options as { pause_to_update?: unknown }
  const changes = (document.changes as Record<string, unknown>[]).map((raw) => changeFromJson(raw, env))
  const summary = Object.fromEntries(PLAN_ACTIONS.map((action) => [action, changes.filter((c) => c.action === action).length]))
  const unmanaged = Array.isArray(document.unmanaged) ? (document.unmanaged as Plan['unmanaged']) : []
  return {
    plan: {
      targets: document.targets as Plan['targets'],
      changes,
      unmanaged,
      summary: { ...(summary as Record<PlanAction, number>), unmanaged: unmanaged.length },
    },
    options: { pauseToUpdate: options?.pause_to_update === true },
    createdAt: String(document.created_at ?? ''),
    checksum,
  }
}

function changeFromJson(raw: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): ResourceChange {
  if (!KIND_NAMES.includes(raw.kind as KindName) || !PLAN_ACTIONS.includes(raw.action as PlanAction)) {
    throw new PlanFileError(`has a change cac does not understand (${String(raw.address)})`)
  }
  const change: ResourceChange = {
    address: String(raw.address),
    kind: raw.kind as KindName,
    provider: String(raw.provider),
    name: String(raw.name),
    action: raw.action as PlanAction,
    fields: raw.fields as FieldChange[],
    desired: reviveSecrets(raw.desired, env) as Spec,
    dependsOn: (raw.depends_on as string[]) ?? [],
  }
  if (typeof raw.reason === 'string') change.reason = raw.reason
  if (raw.live_id !== undefined) change.liveId = raw.live_id as string | number
  if (typeof raw.live_fingerprint === 'string') change.liveFingerprint = raw.live_fingerprint
  if (raw.live !== undefined) change.live = raw.live as Spec
  if (typeof raw.live_status === 'string') change.liveStatus = raw.live_status
  if (raw.source !== undefined) change.source = raw.source as { file: string; line: number }
  return change
}

function reviveSecrets(value: unknown, env: Readonly<Record<string, string | undefined>>): unknown {
  if (isSecretReference(value)) return new SecretValue(value.$env, env[value.$env] === '' ? undefined : env[value.$env])
  if (Array.isArray(value)) return value.map((item) => reviveSecrets(item, env))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, reviveSecrets(item, env)]))
  }
  return value
}

/** A planned change the platform no longer matches. */
export interface StaleChange {
  address: string
  /** One sentence: what moved. */
  reason: string
}

/**
 * Compares the live state the plan was made against with what the platform holds now, for the
 * changes the plan would make. A create is stale if the resource now exists; an update if the
 * resource is gone or any of its fields moved (named).
 */
export function findStaleChanges(plan: Plan, fresh: ReadonlyMap<string, LiveResource | undefined>): StaleChange[] {
  const stale: StaleChange[] = []
  for (const change of plan.changes) {
    if (change.action !== 'create' && change.action !== 'update') continue
    const now = fresh.get(change.address)
    if (change.action === 'create') {
      if (now) stale.push({ address: change.address, reason: `was created on the platform since the plan (id ${String(now.id)})` })
      continue
    }
    if (!now) {
      stale.push({ address: change.address, reason: 'was deleted on the platform since the plan' })
      continue
    }
    if (fingerprint(now.spec) === change.liveFingerprint) continue
    const moved = change.live ? diffSpecs(change.live, { ...change.live, ...now.spec }).map((field) => formatFieldPath(field.path)) : []
    const who = now.updatedBy ? ` by ${now.updatedBy}` : ''
    const when = now.updatedAt ? ` at ${now.updatedAt}` : ''
    stale.push({
      address: change.address,
      reason: `changed on the platform since the plan${who}${when}${moved.length > 0 ? `: ${moved.join(', ')}` : ''}`,
    })
  }
  return stale
}
