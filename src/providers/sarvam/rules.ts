/**
 * What the Sarvam platform allows to change, and when (sarvam.md §2.2, §4). Pure: the planner
 * calls these with the live campaign and the field diff.
 */
import type { FieldChange } from '../../model/plan.js'
import type { KindRules, LiveResource, PlanOptions, Verdict } from '../../model/provider.js'

export const CREATE_ONLY_FIELDS = ['start_timestamp'] as const

/** Why each create-only field cannot change; the planner can show it next to the field. */
export const CREATE_ONLY_REASONS: Readonly<Record<string, string>> = {
  start_timestamp: 'start_timestamp can only be set when the campaign is created',
}

export const ENDED_REASON = 'campaign has ended: it can no longer be changed'
export const CANCELLED_REASON = 'campaign was cancelled: it can no longer be changed'
export const ACTIVE_REASON =
  'campaign is active: updates are only allowed when it is scheduled or paused; ' +
  'run apply with --pause-to-update to pause it, update it, and resume it'

export const LEFT_PAUSED_NOTICE =
  'paused on the platform, and its file does not manage `paused`: apply leaves it paused (write `paused: false` to have apply resume it)'

export const sarvamCampaignRules: KindRules = {
  createOnly: CREATE_ONLY_FIELDS,
  dependsOn: () => [],
  assess: assessCampaignChange,
  // A campaign may be paused because an update with --pause-to-update could not resume it: say so.
  notice: ({ live, desired }) => (live.status === 'paused' && typeof desired.paused !== 'boolean' ? LEFT_PAUSED_NOTICE : undefined),
}

/** The top-level spec fields a diff touches. */
export function changedFields(fields: readonly FieldChange[]): Set<string> {
  return new Set(fields.map((field) => String(field.path[0])))
}

/** True when the diff asks for the campaign to end up paused. */
export function asksToPause(fields: readonly FieldChange[]): boolean {
  return fields.some((field) => field.path.length === 1 && field.path[0] === 'paused' && field.after === true)
}

/**
 * The verdict on updating a live campaign, or undefined when the update can go ahead.
 * - ended and cancelled campaigns take no change at all;
 * - `paused` alone is a status action, allowed in any other status;
 * - a create-only field is an error in the file, whatever the status;
 * - an active campaign cannot be patched: blocked, unless --pause-to-update, or unless the file
 *   pauses it anyway (then cac pauses first and patches the paused campaign, with nothing to resume).
 */
export function assessCampaignChange(input: { live: LiveResource; fields: FieldChange[]; options: PlanOptions }): Verdict | undefined {
  const { live, fields, options } = input
  if (fields.length === 0) return undefined
  if (live.status === 'ended') return { action: 'blocked', reason: ENDED_REASON }
  if (live.status === 'cancelled') return { action: 'blocked', reason: CANCELLED_REASON }
  const changed = changedFields(fields)
  changed.delete('paused')
  if (changed.size === 0) return undefined
  const createOnly = CREATE_ONLY_FIELDS.find((field) => changed.has(field))
  if (createOnly) return { action: 'error', reason: CREATE_ONLY_REASONS[createOnly]! }
  if (live.status === 'active' && !options.pauseToUpdate && !asksToPause(fields)) return { action: 'blocked', reason: ACTIVE_REASON }
  return undefined
}
