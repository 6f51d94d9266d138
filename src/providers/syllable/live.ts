/** Live Syllable objects as LiveResources: identity, server id, normalised spec, who and when. */
import { addressOf } from '../../model/resource.js'
import type { LiveResource } from '../../model/provider.js'
import type { ApiBatch, ApiCampaign } from './api.js'
import { BATCH_KIND, CAMPAIGN_KIND } from './kinds.js'
import { normaliseLiveBatch, normaliseLiveCampaign } from './normalise.js'

export function campaignToLive(provider: string, campaign: ApiCampaign): LiveResource {
  const live: LiveResource = {
    kind: CAMPAIGN_KIND.name,
    provider,
    name: campaign.campaign_name,
    address: addressOf(provider, CAMPAIGN_KIND, campaign.campaign_name),
    id: campaign.id,
    spec: normaliseLiveCampaign(campaign),
    raw: campaign,
  }
  if (typeof campaign.updated_at === 'string') live.updatedAt = campaign.updated_at
  if (typeof campaign.last_updated_by === 'string') live.updatedBy = campaign.last_updated_by
  return live
}

export function batchToLive(provider: string, batch: ApiBatch, campaignNameById: ReadonlyMap<number, string>): LiveResource {
  const live: LiveResource = {
    kind: BATCH_KIND.name,
    provider,
    name: batch.batch_id,
    address: addressOf(provider, BATCH_KIND, batch.batch_id),
    id: batch.batch_id,
    spec: normaliseLiveBatch(batch, campaignNameById),
    raw: batch,
  }
  if (typeof batch.status === 'string') live.status = batch.status
  // created_at stands in for a batch that was never updated (last_updated_at is nullable).
  const updatedAt = batch.last_updated_at ?? batch.created_at
  if (typeof updatedAt === 'string') live.updatedAt = updatedAt
  if (typeof batch.last_updated_by === 'string') live.updatedBy = batch.last_updated_by
  return live
}

/** The id → campaign_name map batches are normalised through. */
export function campaignNamesById(campaigns: readonly ApiCampaign[]): Map<number, string> {
  return new Map(campaigns.map((campaign) => [Number(campaign.id), campaign.campaign_name]))
}
