import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import { dirname } from 'node:path'

import { PLAN_ACTIONS, type Plan, type PlanAction, type PlanTarget, type ResourceChange, type Spec } from '../model/plan.js'
import type { StaleChange } from '../model/apply-outcome.js'
import { isSecretReference, SecretValue } from '../model/secret.js'
import { knownSecrets } from '../model/secret-scrubber.js'
import type { LiveResource, PlanOptions } from '../model/provider.js'
import { canonicalJson, fingerprint } from './build-plan.js'
import { diffSpecs } from '../model/spec-diff.js'
import { formatFieldPath } from '../model/values.js'
import { MAX_PLAN_DEPTH, nestsDeeperThan, PlanFileError, readPlanRecord, type ChangeRecord } from './plan-file-shape.js'

export { PlanFileError } from './plan-file-shape.js'

export const PLAN_FILE_FORMAT_VERSION = 1

/** Plan files larger than this are refused before they are parsed. */
export const MAX_PLAN_FILE_BYTES = 64 * 1024 * 1024

export interface SavedPlan {
  plan: Plan
  options: PlanOptions
  createdAt: string
  checksum: string
}

/**
 * The plan file: canonical JSON (keys sorted, two-space indent), a format version, the targets it
 * is bound to, every change with its field diff, the desired spec (secrets as `{"$env": NAME}`,
 * never values), the fingerprint and normalised form of the live object, and a checksum over it.
 * The checksum guards against accidents (a truncated or hand-edited file), not against someone
 * who recomputes it: apply re-checks a plan against the project (see saved-plan-check).
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
    targets: plan.targets.map(targetToJson),
    changes: plan.changes.map(changeToJson),
  }
}

function checksumOf(body: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(body)).digest('hex')}`
}

function targetToJson(target: PlanTarget): Record<string, unknown> {
  const out: Record<string, unknown> = { provider: target.provider, type: target.type, target: target.target }
  if (target.orgId !== undefined) out.org_id = target.orgId
  if (target.workspaceId !== undefined) out.workspace_id = target.workspaceId
  return out
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

/**
 * Reads a plan file: size, format, checksum, then every field (see plan-file-shape). Secrets come
 * back as SecretValues read from `env`. Dependencies are left empty: apply recomputes them from
 * the kinds' rules rather than trusting the file.
 */
export function parsePlanFile(text: string, env: Readonly<Record<string, string | undefined>>): SavedPlan {
  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes > MAX_PLAN_FILE_BYTES) throw tooLarge(bytes)
  let document: Record<string, unknown>
  try {
    document = JSON.parse(text) as Record<string, unknown>
  } catch {
    throw new PlanFileError('is not a cac plan file (not JSON)')
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document) || document.tool !== 'cac') {
    throw new PlanFileError('is not a cac plan file')
  }
  if (document.format_version !== PLAN_FILE_FORMAT_VERSION) {
    const version = typeof document.format_version === 'number' ? String(document.format_version) : 'missing or not a number'
    throw new PlanFileError(`has format_version ${version}; this cac reads ${PLAN_FILE_FORMAT_VERSION}: make the plan again`)
  }
  if (nestsDeeperThan(document, MAX_PLAN_DEPTH)) {
    throw new PlanFileError(`nests deeper than ${MAX_PLAN_DEPTH} levels; cac never writes such a plan`)
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
  const record = readPlanRecord(document)
  const changes = record.changes.map((change) => toResourceChange(change, env))
  const summary = Object.fromEntries(PLAN_ACTIONS.map((action) => [action, changes.filter((c) => c.action === action).length]))
  return {
    plan: {
      targets: record.targets,
      changes,
      unmanaged: record.unmanaged,
      summary: { ...(summary as Record<PlanAction, number>), unmanaged: record.unmanaged.length },
    },
    options: { pauseToUpdate: record.pauseToUpdate },
    createdAt: record.createdAt,
    checksum,
  }
}

/** The plan file limit as messages state it. */
function planFileLimitText(): string {
  return `${MAX_PLAN_FILE_BYTES / (1024 * 1024)} MiB`
}

function tooLarge(bytes: number): PlanFileError {
  return new PlanFileError(`is ${(bytes / (1024 * 1024)).toFixed(1)} MiB, over the ${planFileLimitText()} limit for a plan file`)
}

/** Refuses a plan file by its size on disk, before reading it into memory. */
export function checkPlanFileSize(bytes: number): void {
  if (bytes > MAX_PLAN_FILE_BYTES) throw tooLarge(bytes)
}

function toResourceChange(record: ChangeRecord, env: Readonly<Record<string, string | undefined>>): ResourceChange {
  const change: ResourceChange = {
    address: record.address,
    kind: record.kind,
    provider: record.provider,
    name: record.name,
    action: record.action,
    fields: record.fields,
    desired: reviveSecrets(record.desired, env) as Spec,
    dependsOn: [],
  }
  if (record.reason !== undefined) change.reason = record.reason
  if (record.liveId !== undefined) change.liveId = record.liveId
  if (record.liveFingerprint !== undefined) change.liveFingerprint = record.liveFingerprint
  if (record.live !== undefined) change.live = record.live
  if (record.liveStatus !== undefined) change.liveStatus = record.liveStatus
  if (record.source !== undefined) change.source = record.source
  return change
}

function reviveSecrets(value: unknown, env: Readonly<Record<string, string | undefined>>): unknown {
  if (isSecretReference(value)) {
    const set = Object.hasOwn(env, value.$env) ? env[value.$env] : undefined
    return new SecretValue(value.$env, typeof set === 'string' && set !== '' ? set : undefined)
  }
  if (Array.isArray(value)) return value.map((item) => reviveSecrets(item, env))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, reviveSecrets(item, env)]))
  }
  return value
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

/**
 * Saves a plan for `cac apply FILE`: written to a temporary file beside it and renamed, so a reader
 * never sees half a plan. A platform may echo a secret in a live value: the file gets none.
 */
export async function writePlanFile(path: string, plan: Plan, options: PlanOptions, createdAt = new Date().toISOString()): Promise<void> {
  await fs.mkdir(dirname(path), { recursive: true })
  const temporary = `${path}.${process.pid}.tmp`
  await fs.writeFile(temporary, serialisePlan(knownSecrets.scrubValues(plan), options, createdAt))
  await fs.rename(temporary, path)
}

/** A plan file's text, refused by its size before it is read into memory. */
export async function readPlanFileText(path: string): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
  try {
    const stat = await fs.stat(path)
    if (!stat.isFile()) return { ok: false, message: 'is not a regular file' }
    checkPlanFileSize(stat.size)
    return { ok: true, text: await fs.readFile(path, 'utf8') }
  } catch (error) {
    if (error instanceof PlanFileError) return { ok: false, message: error.message }
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
    return { ok: false, message: missing ? 'does not exist' : 'cannot be read' }
  }
}
