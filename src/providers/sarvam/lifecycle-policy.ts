/**
 * What the Sarvam platform allows to change, and when (sarvam.md §2.2, §4). Pure: the planner
 * calls these with the live campaign and the field diff.
 */
import type { FieldChange, Spec } from '../../model/plan.js'
import type { LifecycleDrift, LiveResource, PlanOptions, Verdict } from '../../model/provider.js'
import { changedFields, createOnlyVerdict } from '../kind-handler.js'
import { CAMPAIGN_KIND } from './kinds.js'

/** Why each create-only field cannot change (declared with the kind). */
export const CREATE_ONLY_REASONS: Readonly<Record<string, string>> = CAMPAIGN_KIND.createOnly

export const ENDED_REASON = 'campaign has ended: it can no longer be changed'
export const CANCELLED_REASON = 'campaign was cancelled: it can no longer be changed'
export const ACTIVE_REASON =
  'campaign is active: updates are only allowed when it is scheduled or paused; ' +
  'run apply with --pause-to-update to pause it, update it, and resume it'

export const LEFT_PAUSED_NOTICE =
  'paused on the platform, and its file does not manage `paused`: apply leaves it paused (write `paused: false` to have apply resume it)'

/** A campaign may be paused because an update with --pause-to-update could not resume it: say so. */
export function leftPausedNotice(input: { live: LiveResource; desired: Spec }): string | undefined {
  return input.live.status === 'paused' && typeof input.desired.paused !== 'boolean' ? LEFT_PAUSED_NOTICE : undefined
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
  const createOnly = createOnlyVerdict(CAMPAIGN_KIND, changed)
  if (createOnly) return createOnly
  if (live.status === 'active' && !options.pauseToUpdate && !asksToPause(fields)) return { action: 'blocked', reason: ACTIVE_REASON }
  return undefined
}

/**
 * A campaign cancelled on the platform can never run again, whatever its file says: drift reports
 * its status. (One that ended is not reported: campaigns end on their own at end_timestamp.)
 */
export function cancelledOutsideFiles(live: LiveResource): LifecycleDrift | undefined {
  return live.status === 'cancelled' ? { field: 'status', expected: 'scheduled, active or paused', live: 'cancelled' } : undefined
}

/** An ended or cancelled campaign can never change again: a file cannot manage it. */
export function finishedCampaign(live: LiveResource): string | undefined {
  return live.status === 'ended' || live.status === 'cancelled' ? `the campaign is ${live.status} on the platform: it can no longer be changed, so a file cannot manage it` : undefined
}
