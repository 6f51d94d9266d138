/** The SyllableCampaign handler: read, normalise, create (safely) and replace campaigns. */
import type { Spec } from '../../model/plan.js'
import type { LiveResource } from '../../model/provider.js'
import type { SharedReads } from '../kind-handler.js'
import type { KindHandler } from '../kind-handler.js'
import { envPlaceholder, secretVariableName, withoutDefaults } from '../file-spec.js'
import { isRecord } from '../../model/values.js'
import type { ApiCampaign } from './api.js'
import { createCampaign, firstCopy, updateCampaign } from './apply-campaign.js'
import { HMAC_SECRET } from './canonical.js'
import { CAMPAIGN_KIND } from './kinds.js'
import { campaignToLive } from './live.js'
import { normaliseDesiredCampaign } from './normalise.js'
import type { SyllableSession } from './session.js'

/** The server's defaults, left out of a file spec made from a live campaign. */
const CAMPAIGN_DEFAULTS: Spec = { hourly_rate: 1, retry_count: 0, include_unknown_line_types: true, webhooks: [] }
/** Fields the schema requires in every file. */
const REQUIRED = ['campaign_name', 'campaign_variables', 'caller_id', 'active_days']

export const campaignHandler: KindHandler<SyllableSession> = {
  kind: CAMPAIGN_KIND,
  async list(session, { shared }) {
    return (await settledCampaigns(session, shared)).map((campaign) => liveCampaignOf(session.provider, campaign))
  },
  /** By id when there is one; by exact name for a planned create (did it appear since?). */
  async refresh(session, target) {
    let campaign: ApiCampaign | undefined
    if (target.id === undefined) campaign = firstCopy(await session.api.campaignsNamed(target.name))
    else campaign = await session.api.getCampaign(target.id)
    // Renamed since the plan: nothing lives at this address any more.
    if (!campaign || campaign.campaign_name !== target.name) return undefined
    return campaignToLive(session.provider, campaign)
  },
  normalise: normaliseDesiredCampaign,
  toFileSpec(live) {
    const spec = withoutDefaults(live.spec, CAMPAIGN_DEFAULTS, REQUIRED)
    if (Array.isArray(spec.webhooks)) {
      spec.webhooks = spec.webhooks.map((webhook, index) => webhookFileSpec(webhook, [live.name, 'webhook', index + 1]))
    }
    return spec
  },
  create: (session, change) => createCampaign(session, change.desired),
  update: updateCampaign,
}

/** A webhook as a file writes it; a stored secret becomes a `${env:…}` placeholder named after the campaign. */
function webhookFileSpec(webhook: unknown, nameParts: readonly (string | number)[]): unknown {
  if (!isRecord(webhook) || !isRecord(webhook.auth_values)) return webhook
  const variable = secretVariableName('syllable', ...nameParts, HMAC_SECRET)
  return { ...webhook, auth_values: { [HMAC_SECRET]: envPlaceholder(variable) } }
}

/**
 * Every campaign of the account, once per read (batches are named through them too). Campaign
 * names are not unique on the platform, and a run that races another one makes a second copy for
 * a moment before it removes it (see apply-campaign.ts). A list that shows a name twice is read
 * again for that name after short waits; copies that stay are left for the planner to report.
 */
export function settledCampaigns(session: SyllableSession, shared: SharedReads): Promise<ApiCampaign[]> {
  return shared.once('campaigns', async () => settleCopies(session, await session.api.listCampaigns({}, (campaign) => liveCampaignOf(session.provider, campaign))))
}

/**
 * Each campaign of a list is turned into a live resource as its page comes in, while the other
 * pages are on their way (list then finds it done); a campaign read again by name is turned when
 * it is asked for. Keyed by the answer's own objects, which nothing changes once read.
 */
const liveCampaigns = new WeakMap<ApiCampaign, LiveResource>()

function liveCampaignOf(provider: string, campaign: ApiCampaign): LiveResource {
  const known = liveCampaigns.get(campaign)
  if (known !== undefined && known.provider === provider) return known
  const live = campaignToLive(provider, campaign)
  liveCampaigns.set(campaign, live)
  return live
}

async function settleCopies(session: SyllableSession, campaigns: ApiCampaign[]): Promise<ApiCampaign[]> {
  const counts = new Map<string, number>()
  for (const campaign of campaigns) counts.set(campaign.campaign_name, (counts.get(campaign.campaign_name) ?? 0) + 1)
  let repeated = [...counts].filter(([, count]) => count > 1).map(([name]) => name)
  if (repeated.length === 0) return campaigns
  const fresh = new Map<string, ApiCampaign[]>()
  for (const delayMs of session.creates.settleDelaysMs) {
    await session.creates.sleep(delayMs)
    const reread = await Promise.all(repeated.map(async (name) => [name, await session.api.campaignsNamed(name)] as const))
    for (const [name, copies] of reread) fresh.set(name, copies)
    repeated = reread.filter(([, copies]) => copies.length > 1).map(([name]) => name)
    if (repeated.length === 0) break
  }
  return [...campaigns.filter((campaign) => !fresh.has(campaign.campaign_name)), ...[...fresh.values()].flat()]
}
