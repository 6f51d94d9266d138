/**
 * Reading Sarvam campaigns into LiveResources: the whole list for a plan, single campaigns for a
 * refresh.
 */
import type { Resource } from '../../model/resource.js'
import { addressOf } from '../../model/resource.js'
import type { LiveResource, ReadScope } from '../../model/provider.js'
import type { RefreshTarget } from '../kind-handler.js'
import type { CampaignDetail, CampaignSummary, SarvamApi } from './api.js'
import { CAMPAIGN_KIND } from './kinds.js'
import { normaliseCampaignSummary, normaliseLiveCampaign } from './normalise.js'

/** A detail (full spec, comparable) or a summary (name and status only, for unmanaged campaigns). */
export function toLiveResource(provider: string, campaign: CampaignDetail | CampaignSummary, detailed: boolean): LiveResource {
  const live: LiveResource = {
    kind: CAMPAIGN_KIND.name,
    provider,
    name: campaign.name,
    address: addressOf(provider, CAMPAIGN_KIND, campaign.name),
    id: campaign.campaign_id,
    spec: detailed ? normaliseLiveCampaign(campaign) : normaliseCampaignSummary(campaign),
    raw: campaign,
    status: campaign.status,
  }
  if (typeof campaign.updated_at === 'string') live.updatedAt = campaign.updated_at
  if (typeof campaign.updated_by === 'string') live.updatedBy = campaign.updated_by
  if (typeof campaign.created_by === 'string') live.createdBy = campaign.created_by
  return live
}

/**
 * Every campaign of the workspace. The list gives summaries only (no app_config, no schedule), so
 * the detail of each campaign the files declare (or, with scope `all`, of every campaign) is
 * fetched, all at once: the API has no way to list details, which makes this the one place where a
 * GET per resource cannot be avoided. Other campaigns keep their summary: they are only reported
 * as unmanaged.
 */
export async function readLiveCampaigns(api: SarvamApi, provider: string, declared: readonly Resource[], scope: ReadScope): Promise<LiveResource[]> {
  const declaredNames = new Set(declared.map((resource) => resource.name))
  const summaries = oneCampaignPerName(await api.listAll())
  return Promise.all(
    summaries.map(async (summary) => {
      if (scope !== 'all' && !declaredNames.has(summary.name)) return toLiveResource(provider, summary, false)
      // No DELETE exists, so a campaign cannot vanish between the list and this read; if the
      // server says 404 anyway, its summary is the best we know.
      const detail = await api.get(summary.campaign_id)
      return detail ? toLiveResource(provider, detail, true) : toLiveResource(provider, summary, false)
    }),
  )
}

/** Re-reads a campaign by id, or by name when no id is known. */
export async function refreshCampaign(api: SarvamApi, provider: string, target: RefreshTarget): Promise<LiveResource | undefined> {
  const detail = await readOne(api, target)
  return detail ? toLiveResource(provider, detail, true) : undefined
}

async function readOne(api: SarvamApi, target: RefreshTarget): Promise<CampaignDetail | undefined> {
  if (target.id !== undefined) return api.get(String(target.id))
  const [found] = oneCampaignPerName(await api.findByName(target.name))
  return found ? api.get(found.campaign_id) : undefined
}

const TERMINAL = new Set(['ended', 'cancelled'])

/**
 * Names are unique per workspace on the platform as emulated (a second create gets 409), but if
 * a real service ever lists two campaigns of one name, cac must still see one resource per
 * address: the one that can still change (not ended or cancelled), else the newest.
 */
export function oneCampaignPerName(campaigns: readonly CampaignSummary[]): CampaignSummary[] {
  const chosen = new Map<string, CampaignSummary>()
  for (const campaign of campaigns) {
    const current = chosen.get(campaign.name)
    if (!current || preferred(campaign, current)) chosen.set(campaign.name, campaign)
  }
  return [...chosen.values()]
}

function preferred(candidate: CampaignSummary, current: CampaignSummary): boolean {
  const candidateLive = !TERMINAL.has(candidate.status)
  const currentLive = !TERMINAL.has(current.status)
  if (candidateLive !== currentLive) return candidateLive
  return Date.parse(candidate.created_at) > Date.parse(current.created_at)
}
