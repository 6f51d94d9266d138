/** Live Syllable objects as LiveResources: identity, server id, normalised spec, who and when. */
import { resourceAddress } from '../../model/resource.js'
import type { LiveResource } from '../../model/provider.js'
import type { ApiBatch, ApiCampaign } from './api.js'
import { normaliseLiveBatch, normaliseLiveCampaign } from './normalise.js'

export function campaignToLive(provider: string, campaign: ApiCampaign): LiveResource {
  const live: LiveResource = {
    kind: 'SyllableCampaign',
    provider,
    name: campaign.campaign_name,
    address: resourceAddress(provider, 'SyllableCampaign', campaign.campaign_name),
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
    kind: 'SyllableBatch',
    provider,
    name: batch.batch_id,
    address: resourceAddress(provider, 'SyllableBatch', batch.batch_id),
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
