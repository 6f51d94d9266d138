/**
 * Reads the JSON of a saved plan field by field. A plan file is input a person (or anyone with
 * write access to a CI artifact) may have edited, and its checksum can be recomputed by anyone, so
 * nothing in it is used before its type, its place and its consistency with the rest are checked.
 * Every failure names the JSON path (`changes[3].desired`), never a value that could be a secret.
 */
import type { KindName } from '../model/kinds.js'
import { PLAN_ACTIONS, type FieldChange, type PlanAction, type PlanTarget, type UnmanagedResource } from '../model/plan.js'
import { KIND_NAMES, PROVIDER_TYPES, isKindName, isProviderType, kindOf, resourceAddress } from '../platforms.js'

/** A saved plan that cannot be used: not a plan, another format, edited after it was written, malformed. */
export class PlanFileError extends Error {}

/** Plans nest no deeper than their specs do; anything far deeper was not written by cac. */
export const MAX_PLAN_DEPTH = 64

const FIELD_KINDS: readonly FieldChange['kind'][] = ['add', 'change', 'remove']
const FINGERPRINT = /^sha256:[0-9a-f]{64}$/
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

const TOP_LEVEL_FIELDS = ['format_version', 'tool', 'options', 'targets', 'changes', 'created_at', 'summary', 'unmanaged', 'checksum']
const TARGET_FIELDS = ['provider', 'type', 'target', 'org_id', 'workspace_id']
const CHANGE_FIELDS = [
  'address',
  'kind',
  'provider',
  'name',
  'action',
  'fields',
  'desired',
  'depends_on',
  'reason',
  'live_id',
  'live_fingerprint',
  'live',
  'live_status',
  'source',
]
const FIELD_CHANGE_FIELDS = ['path', 'kind', 'before', 'after', 'sensitive']
const UNMANAGED_FIELDS = ['address', 'kind', 'provider', 'name', 'id']

type JsonObject = Record<string, unknown>

/** A change as read from the file: every field checked; secrets still in their `{"$env": NAME}` form. */
export interface ChangeRecord {
  address: string
  kind: KindName
  provider: string
  name: string
  action: PlanAction
  fields: FieldChange[]
  desired: JsonObject
  reason?: string
  liveId?: string | number
  liveFingerprint?: string
  live?: JsonObject
  liveStatus?: string
  source?: { file: string; line: number }
}

export interface PlanRecord {
  pauseToUpdate: boolean
  targets: PlanTarget[]
  changes: ChangeRecord[]
  unmanaged: UnmanagedResource[]
  createdAt: string
}

/** True when the value nests deeper than `max` (counted without recursion, so any depth is safe to ask about). */
export function nestsDeeperThan(root: unknown, max: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }]
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!
    if (value === null || typeof value !== 'object') continue
    if (depth >= max) return true
    for (const child of Object.values(value)) stack.push({ value: child, depth: depth + 1 })
  }
  return false
}

/** Checks the whole document (already known to be a cac plan of this format, with a matching checksum). */
export function readPlanRecord(document: JsonObject): PlanRecord {
  onlyFields(document, TOP_LEVEL_FIELDS, '')
  const options = objectAt(document.options, 'options')
  onlyFields(options, ['pause_to_update'], 'options')
  const pauseToUpdate = booleanAt(options.pause_to_update, 'options.pause_to_update')

  const targets = arrayAt(document.targets, 'targets').map((raw, i) => readTarget(raw, `targets[${i}]`))
  const targetByProvider = new Map<string, PlanTarget>()
  targets.forEach((target, i) => {
    if (targetByProvider.has(target.provider)) fail(`targets[${i}].provider`, `provider ${JSON.stringify(target.provider)} is listed twice`)
    targetByProvider.set(target.provider, target)
  })

  const changes = arrayAt(document.changes, 'changes').map((raw, i) => readChange(raw, `changes[${i}]`, targetByProvider))
  const seen = new Set<string>()
  changes.forEach((change, i) => {
    if (seen.has(change.address)) fail(`changes[${i}].address`, `${JSON.stringify(change.address)} has more than one change`)
    seen.add(change.address)
  })

  const unmanaged = document.unmanaged === undefined ? [] : arrayAt(document.unmanaged, 'unmanaged').map((raw, i) => readUnmanaged(raw, `unmanaged[${i}]`))
  const createdAt = document.created_at === undefined ? '' : stringAt(document.created_at, 'created_at')
  if (document.summary !== undefined) objectAt(document.summary, 'summary') // Recounted from the changes, never read.
  return { pauseToUpdate, targets, changes, unmanaged, createdAt }
}

function readTarget(raw: unknown, path: string): PlanTarget {
  const record = objectAt(raw, path)
  onlyFields(record, TARGET_FIELDS, path)
  const type = record.type
  if (!isProviderType(type)) fail(`${path}.type`, `must be one of ${PROVIDER_TYPES.join(', ')}`)
  const target: PlanTarget = {
    provider: nonEmptyStringAt(record.provider, `${path}.provider`),
    type,
    target: nonEmptyStringAt(record.target, `${path}.target`),
  }
  if (record.org_id !== undefined) target.orgId = stringAt(record.org_id, `${path}.org_id`)
  if (record.workspace_id !== undefined) target.workspaceId = stringAt(record.workspace_id, `${path}.workspace_id`)
  return target
}

function readChange(raw: unknown, path: string, targets: ReadonlyMap<string, PlanTarget>): ChangeRecord {
  const record = objectAt(raw, path)
  onlyFields(record, CHANGE_FIELDS, path)
  const kind = record.kind
  if (!isKindName(kind)) fail(`${path}.kind`, `must be one of ${KIND_NAMES.join(', ')}`)
  const provider = nonEmptyStringAt(record.provider, `${path}.provider`)
  const target = targets.get(provider)
  if (!target) fail(`${path}.provider`, `names provider ${JSON.stringify(provider)}, which the plan has no target for`)
  const needed = kindOf(kind).providerType
  if (target.type !== needed) {
    fail(`${path}.provider`, `a ${kind} needs a ${needed} provider; the plan's target ${JSON.stringify(provider)} is of type ${target.type}`)
  }
  const action = record.action
  if (!PLAN_ACTIONS.includes(action as PlanAction)) fail(`${path}.action`, `must be one of ${PLAN_ACTIONS.join(', ')}`)
  const desired = objectAt(record.desired, `${path}.desired`)
  checkSecretReferences(desired, `${path}.desired`)
  const name = nonEmptyStringAt(record.name, `${path}.name`)
  const identityField = kindOf(kind).identityField
  if (desired[identityField] !== name) {
    fail(`${path}.name`, `must equal desired.${identityField} (the ${kind}'s identity)`)
  }
  const address = stringAt(record.address, `${path}.address`)
  const expected = resourceAddress(provider, kind, name)
  if (address !== expected) fail(`${path}.address`, `must be ${JSON.stringify(expected)} (provider/${kindOf(kind).noun}/name)`)
  // Read only for its shape: dependencies are recomputed from the kind's rules at apply time.
  arrayAt(record.depends_on, `${path}.depends_on`).forEach((item, i) => stringAt(item, `${path}.depends_on[${i}]`))

  const change: ChangeRecord = {
    address,
    kind,
    provider,
    name,
    action: action as PlanAction,
    fields: arrayAt(record.fields, `${path}.fields`).map((item, i) => readFieldChange(item, `${path}.fields[${i}]`)),
    desired,
  }
  if (record.reason !== undefined) change.reason = stringAt(record.reason, `${path}.reason`)
  if (record.live_id !== undefined) change.liveId = idAt(record.live_id, `${path}.live_id`)
  if (record.live_fingerprint !== undefined) {
    const fingerprint = stringAt(record.live_fingerprint, `${path}.live_fingerprint`)
    if (!FINGERPRINT.test(fingerprint)) fail(`${path}.live_fingerprint`, 'must be sha256: and 64 hex digits')
    change.liveFingerprint = fingerprint
  }
  if (record.live !== undefined) change.live = objectAt(record.live, `${path}.live`)
  if (record.live_status !== undefined) change.liveStatus = stringAt(record.live_status, `${path}.live_status`)
  if (record.source !== undefined) change.source = readSource(record.source, `${path}.source`)

  if (change.action === 'create') {
    for (const field of ['live_id', 'live_fingerprint', 'live'] as const) {
      if (record[field] !== undefined) fail(`${path}.${field}`, 'a create has no live resource')
    }
  }
  if (change.action === 'update') {
    for (const field of ['live_id', 'live_fingerprint', 'live'] as const) {
      if (record[field] === undefined) fail(`${path}.${field}`, 'an update needs the live resource it was planned against')
    }
  }
  return change
}

function readFieldChange(raw: unknown, path: string): FieldChange {
  const record = objectAt(raw, path)
  onlyFields(record, FIELD_CHANGE_FIELDS, path)
  const fieldPath = arrayAt(record.path, `${path}.path`)
  if (fieldPath.length === 0) fail(`${path}.path`, 'must name at least one field')
  fieldPath.forEach((segment, i) => {
    const ok = typeof segment === 'string' || (typeof segment === 'number' && Number.isSafeInteger(segment) && segment >= 0)
    if (!ok) fail(`${path}.path[${i}]`, 'must be a field name or a list index')
  })
  const kind = record.kind
  if (!FIELD_KINDS.includes(kind as FieldChange['kind'])) fail(`${path}.kind`, `must be one of ${FIELD_KINDS.join(', ')}`)
  const change: FieldChange = { path: fieldPath as (string | number)[], kind: kind as FieldChange['kind'] }
  if ('before' in record) change.before = record.before
  if ('after' in record) change.after = record.after
  if (record.sensitive !== undefined) change.sensitive = booleanAt(record.sensitive, `${path}.sensitive`)
  return change
}

function readSource(raw: unknown, path: string): { file: string; line: number } {
  const record = objectAt(raw, path)
  onlyFields(record, ['file', 'line'], path)
  const line = record.line
  if (typeof line !== 'number' || !Number.isSafeInteger(line) || line < 1) fail(`${path}.line`, 'must be a line number (an integer from 1)')
  return { file: stringAt(record.file, `${path}.file`), line }
}

function readUnmanaged(raw: unknown, path: string): UnmanagedResource {
  const record = objectAt(raw, path)
  onlyFields(record, UNMANAGED_FIELDS, path)
  const kind = record.kind
  if (!isKindName(kind)) fail(`${path}.kind`, `must be one of ${KIND_NAMES.join(', ')}`)
  return {
    address: stringAt(record.address, `${path}.address`),
    kind,
    provider: stringAt(record.provider, `${path}.provider`),
    name: stringAt(record.name, `${path}.name`),
    id: idAt(record.id, `${path}.id`),
  }
}

/**
 * A `{"$env": …}` object is how a plan names a secret: its one key, a variable name. (Where it may
 * appear, and which names, is checked against the project at apply time.)
 */
function checkSecretReferences(value: unknown, path: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkSecretReferences(item, `${path}[${i}]`))
    return
  }
  if (value === null || typeof value !== 'object') return
  const record = value as JsonObject
  if ('$env' in record) {
    if (Object.keys(record).length !== 1) fail(path, 'a secret reference {"$env": NAME} has no other keys')
    if (typeof record.$env !== 'string' || !VARIABLE_NAME.test(record.$env)) {
      fail(`${path}.$env`, 'must be an environment variable name (letters, digits and underscores)')
    }
    return
  }
  for (const [key, item] of Object.entries(record)) checkSecretReferences(item, path === '' ? key : `${path}.${key}`)
}

function fail(path: string, problem: string): never {
  throw new PlanFileError(`is malformed at ${path === '' ? 'its top level' : path}: ${problem}`)
}

function onlyFields(record: JsonObject, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) fail(path === '' ? key : `${path}.${key}`, 'is not a field of a cac plan')
  }
}

function objectAt(value: unknown, path: string): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, 'must be an object')
  return value as JsonObject
}

function arrayAt(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'must be a list')
  return value
}

function stringAt(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'must be a string')
  return value
}

function nonEmptyStringAt(value: unknown, path: string): string {
  const text = stringAt(value, path)
  if (text === '') fail(path, 'must not be empty')
  return text
}

function booleanAt(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, 'must be true or false')
  return value
}

function idAt(value: unknown, path: string): string | number {
  if (typeof value === 'string' && value !== '') return value
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value
  fail(path, 'must be a server id (a string or an integer)')
}
