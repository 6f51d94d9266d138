/**
 * The campaign status machine (sarvam.md §4), driven by the sandbox clock.
 *
 *   scheduled ──start_timestamp──▶ active ──end_timestamp──▶ ended
 *   scheduled|active|paused ──end_timestamp──▶ ended
 *   active (and scheduled, an inference) ──pause──▶ paused ──resume──▶ active, or scheduled before the start
 *   scheduled|active|paused ──cancel──▶ cancelled
 *   ended and cancelled are terminal.
 *
 * Clock-driven transitions are derived, not scheduled: every handler asks `currentStatus`, so the
 * list filter, the PATCH guard and the status actions always agree, and moving a frozen clock is
 * enough to drive a campaign through its life. Writes store the derived status (`settleStatus`).
 */
import { ApiError } from '../http-kit.js'
import type { StatusAction } from './schemas.js'
import type { CampaignStatus, StoredCampaign } from './state.js'

/** The status of a campaign at `now`, from its stored status and its timestamps. */
export function currentStatus(campaign: StoredCampaign, now: number): CampaignStatus {
  const stored = campaign.status
  if (stored === 'cancelled' || stored === 'ended') return stored
  if (now >= Date.parse(campaign.end_timestamp)) return 'ended'
  if (stored === 'scheduled' && now >= Date.parse(campaign.start_timestamp)) return 'active'
  return stored
}

/** Writes the derived status into the stored campaign (called before any change to it). */
export function settleStatus(campaign: StoredCampaign, now: number): CampaignStatus {
  campaign.status = currentStatus(campaign, now)
  return campaign.status
}

/** The statuses from which each action is allowed. Pausing a scheduled campaign is an inference (§4). */
const ALLOWED_FROM: Record<StatusAction, readonly CampaignStatus[]> = {
  pause: ['active', 'scheduled'],
  resume: ['paused'],
  cancel: ['scheduled', 'active', 'paused'],
}

/**
 * The status a campaign moves to when `action` is applied at `now`, or a 409 naming the current
 * status and the action. The docs give no code for a wrong-state action; 409 (a conflict with the
 * resource's state) is our choice, see sarvam.md §3.
 */
export function statusAfter(action: StatusAction, campaign: StoredCampaign, now: number): CampaignStatus {
  const status = currentStatus(campaign, now)
  if (!ALLOWED_FROM[action].includes(status)) {
    throw new ApiError(
      409,
      `Cannot ${action} campaign ${campaign.campaign_id}: its status is ${status}, ` +
        `and ${action} is only allowed when it is ${ALLOWED_FROM[action].join(' or ')}`,
    )
  }
  switch (action) {
    case 'pause':
      return 'paused'
    case 'cancel':
      return 'cancelled'
    case 'resume':
      // A campaign paused before it started goes back to waiting for its start.
      return now >= Date.parse(campaign.start_timestamp) ? 'active' : 'scheduled'
  }
}

/** PATCH is documented as allowed only while scheduled or paused. */
export function assertUpdatable(campaign: StoredCampaign, now: number): void {
  const status = currentStatus(campaign, now)
  if (status !== 'scheduled' && status !== 'paused') {
    throw new ApiError(
      409,
      `Campaign ${campaign.campaign_id} is ${status}: updates are only allowed when it is scheduled or paused`,
    )
  }
}
