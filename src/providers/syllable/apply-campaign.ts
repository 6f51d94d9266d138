/** Applying a SyllableCampaign change: a safe create (with adoption) or a full-replacement update. */
import type { ResourceChange, Spec } from '../../model/plan.js'
import { diffSpecs } from '../../plan/diff.js'
import type { ApplyContext, ApplyOutcome } from '../provider.js'
import type { ApiCampaign, SyllableApi } from './api.js'
import { campaignCreateBody, campaignUpdateBody } from './bodies.js'
import { createSafely, type AdoptResult, type CreateRetryPolicy } from '../safe-create.js'
import { normaliseDesiredCampaign, normaliseLiveCampaign } from './normalise.js'

export async function applyCampaignChange(
  api: SyllableApi,
  policy: CreateRetryPolicy,
  change: ResourceChange,
  context: ApplyContext,
): Promise<ApplyOutcome> {
  if (change.action === 'create') return createCampaign(api, policy, change.desired)
  if (change.action === 'update') return updateCampaign(api, change, context)
  throw new Error(`${change.address}: a ${change.action} change cannot be applied`)
}

async function createCampaign(api: SyllableApi, policy: CreateRetryPolicy, desired: Spec): Promise<ApplyOutcome> {
  const name = String(desired.campaign_name)
  const result = await createSafely<ApiCampaign, ApiCampaign>(
    {
      post: () => api.createCampaign(campaignCreateBody(desired)),
      find: () => onlyCampaignNamed(api, name),
      adopt: (found) => adoptCampaign(api, found, desired),
    },
    policy,
  )
  if ('created' in result) return { id: result.created.id }
  return { id: result.adopted.id, adopted: true, steps: ['adopted', ...result.adopted.steps] }
}

/**
 * The campaign a lost create may have made. Names are not unique on the platform, so more than one
 * match cannot be resolved safely: creating yet another would make things worse.
 */
async function onlyCampaignNamed(api: SyllableApi, name: string): Promise<ApiCampaign | undefined> {
  const matches = await api.campaignsNamed(name)
  if (matches.length > 1) {
    const ids = matches.map((campaign) => campaign.id).join(', ')
    throw new Error(
      `the create of campaign "${name}" failed without an answer, and ${matches.length} campaigns of that name now exist ` +
        `(ids ${ids}); delete the extra ones on the platform, then apply again`,
    )
  }
  return matches[0]
}

/** Takes over a campaign found after a lost create; a PUT follows when it differs from the file. */
async function adoptCampaign(api: SyllableApi, found: ApiCampaign, desired: Spec): Promise<AdoptResult> {
  const differences = diffSpecs(normaliseLiveCampaign(found), normaliseDesiredCampaign(desired))
  if (differences.length === 0) return { id: found.id, steps: [] }
  await api.replaceCampaign(found.id, campaignUpdateBody(desired, found))
  return { id: found.id, steps: ['updated'] }
}

async function updateCampaign(api: SyllableApi, change: ResourceChange, context: ApplyContext): Promise<ApplyOutcome> {
  const live = (context.live?.raw as ApiCampaign | undefined) ?? (await readCampaign(api, change))
  await api.replaceCampaign(live.id, campaignUpdateBody(change.desired, live))
  return { id: live.id }
}

/** The live campaign when the executor has none at hand (the update needs it whole). */
async function readCampaign(api: SyllableApi, change: ResourceChange): Promise<ApiCampaign> {
  if (change.liveId === undefined) throw new Error(`${change.address}: an update needs the live campaign's id`)
  const campaign = await api.getCampaign(change.liveId)
  if (!campaign) throw new Error(`${change.address}: campaign ${change.liveId} no longer exists; plan again`)
  return campaign
}
