/** The planner's per-kind rules for Syllable. */
import type { KindName } from '../../model/kinds.js'
import { resourceAddress } from '../../model/resource.js'
import type { KindRules } from '../../model/provider.js'

/** Why a plan cannot move a batch to another campaign (the API refuses a changed campaign_id). */
export const BATCH_CAMPAIGN_IS_CREATE_ONLY = "a batch's campaign cannot change after creation; give the batch a new batch_id"

/** Campaigns: identity is the name, every other field can be updated, nothing blocks an update. */
const CAMPAIGN_RULES: KindRules = {
  createOnly: [],
  dependsOn: () => [],
  assess: () => undefined,
}

/**
 * Batches: created under a campaign (which must be applied first) and never moved. The planner
 * learns the first from `createOnly`; `assess` gives it the reason in the user's terms.
 */
const BATCH_RULES: KindRules = {
  createOnly: ['campaign'],
  dependsOn: (resource) =>
    typeof resource.spec.campaign === 'string' ? [resourceAddress(resource.provider, 'SyllableCampaign', resource.spec.campaign)] : [],
  assess: ({ fields }) =>
    fields.some((field) => field.path[0] === 'campaign') ? { action: 'error', reason: BATCH_CAMPAIGN_IS_CREATE_ONLY } : undefined,
}

export function syllableRules(kind: KindName): KindRules {
  if (kind === 'SyllableCampaign') return CAMPAIGN_RULES
  if (kind === 'SyllableBatch') return BATCH_RULES
  throw new Error(`the Syllable provider does not manage ${kind}`)
}
