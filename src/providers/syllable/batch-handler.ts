/** The SyllableBatch handler: batches are created under a campaign (named by id on the API, by name in files) and never moved. */
import type { Spec } from '../../model/plan.js'
import { addressOf } from '../../model/resource.js'
import { withoutDefaults } from '../file-spec.js'
import type { KindHandler } from '../kind-handler.js'
import { createBatch, updateBatch } from './apply-batch.js'
import { settledCampaigns } from './campaign-handler.js'
import { BATCH_KIND, CAMPAIGN_KIND } from './kinds.js'
import { batchToLive, campaignNamesById } from './live.js'
import { normaliseDesiredBatch } from './normalise.js'
import type { SyllableSession } from './session.js'

/** The server's defaults, left out of a file spec made from a live batch. */
const BATCH_DEFAULTS: Spec = { paused: false, auto_call_rate: false }

export const batchHandler: KindHandler<SyllableSession> = {
  kind: BATCH_KIND,
  /** Campaigns are read along (once per read, shared with the campaign handler) to name each batch's campaign. */
  async list(session, { shared }) {
    const [campaigns, batches] = await Promise.all([settledCampaigns(session, shared), session.api.listBatches()])
    const names = campaignNamesById(campaigns)
    return batches.map((batch) => batchToLive(session.provider, batch, names))
  },
  /** Batches name their campaign by id: each campaign is fetched once per refresh, however many batches share it. */
  async refresh(session, target, shared) {
    const batch = await session.api.getBatch(String(target.id ?? target.name))
    if (!batch) return undefined
    const campaignId = Number(batch.campaign_id)
    const campaign = await shared.once(`campaign ${campaignId}`, () => session.api.getCampaign(campaignId))
    return batchToLive(session.provider, batch, campaignNamesById(campaign ? [campaign] : []))
  },
  normalise: normaliseDesiredBatch,
  toFileSpec: (live) => withoutDefaults(live.spec, BATCH_DEFAULTS, ['batch_id', 'campaign']),
  create: createBatch,
  update: updateBatch,
  dependsOn: (resource) =>
    typeof resource.spec.campaign === 'string' ? [addressOf(resource.provider, CAMPAIGN_KIND, resource.spec.campaign)] : [],
}
