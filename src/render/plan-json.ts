import type { FieldChange, Plan, ResourceChange } from '../model/plan.js'
import { maskSecrets, targetsToJson } from './values.js'
import { formatFieldPath } from '../model/values.js'

export const PLAN_JSON_FORMAT_VERSION = 1

/**
 * The plan for tools: a versioned envelope with a stable key order. Every change is listed (noop
 * included); secrets appear only as "(sensitive)".
 */
export function planToJson(plan: Plan): string {
  const body = {
    format_version: PLAN_JSON_FORMAT_VERSION,
    targets: targetsToJson(plan.targets),
    summary: {
      create: plan.summary.create,
      update: plan.summary.update,
      blocked: plan.summary.blocked,
      error: plan.summary.error,
      noop: plan.summary.noop,
      unmanaged: plan.summary.unmanaged,
    },
    changes: plan.changes.map(changeToJson),
    unmanaged: plan.unmanaged.map((u) => ({ address: u.address, kind: u.kind, provider: u.provider, name: u.name, id: u.id })),
  }
  return `${JSON.stringify(body, maskSecrets, 2)}\n`
}

function changeToJson(change: ResourceChange) {
  return {
    address: change.address,
    kind: change.kind,
    provider: change.provider,
    name: change.name,
    action: change.action,
    reason: change.reason ?? null,
    live_id: change.liveId ?? null,
    live_status: change.liveStatus ?? null,
    notice: change.notice ?? null,
    fields: change.fields.map(fieldToJson),
  }
}

/** Field values are normalised values: a secret in them is already the "(sensitive)" marker. */
function fieldToJson(field: FieldChange) {
  return {
    path: formatFieldPath(field.path),
    kind: field.kind,
    before: field.before ?? null,
    after: field.after ?? null,
    sensitive: field.sensitive === true,
  }
}
