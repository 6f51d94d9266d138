/**
 * Reading Sarvam campaigns into LiveResources: the whole list for a plan, single campaigns for a
 * refresh.
 */
import type { KindName } from '../../model/kinds.js'
import type { Resource } from '../../model/resource.js'
import { resourceAddress } from '../../model/resource.js'
import type { LiveResource } from '../../model/provider.js'
import type { CampaignDetail, CampaignSummary, SarvamApi } from './api.js'
import { normaliseCampaignSummary, normaliseLiveCampaign } from './normalise.js'

export const KIND: KindName = 'SarvamCampaign'

/** A detail (full spec, comparable) or a summary (name and status only, for unmanaged campaigns). */
export function toLiveResource(provider: string, campaign: CampaignDetail | CampaignSummary, detailed: boolean): LiveResource {
  const live: LiveResource = {
    kind: KIND,
    provider,
    name: campaign.name,
    address: resourceAddress(provider, KIND, campaign.name),
    id: campaign.campaign_id,
    spec: detailed ? normaliseLiveCampaign(campaign) : normaliseCampaignSummary(campaign),
    raw: campaign,
    status: campaign.status,
  }
  if (typeof campaign.updated_at === 'string') live.updatedAt = campaign.updated_at
  if (typeof campaign.updated_by === 'string') live.updatedBy = campaign.updated_by
  return live
}

/**
 * Every campaign of the workspace. The list gives summaries only (no app_config, no schedule), so
 * the detail of each campaign the files declare is fetched, all at once: the API has no way to
 * list details, which makes this the one place where a GET per resource cannot be avoided.
 * Campaigns no file declares keep their summary: they are only reported as unmanaged.
 */
export async function readLiveCampaigns(api: SarvamApi, provider: string, declared: readonly Resource[]): Promise<LiveResource[]> {
  const declaredNames = new Set(declared.filter((r) => r.kind === KIND && r.provider === provider).map((r) => r.name))
  const summaries = oneCampaignPerName(await api.listAll())
  return Promise.all(
    summaries.map(async (summary) => {
      if (!declaredNames.has(summary.name)) return toLiveResource(provider, summary, false)
      // No DELETE exists, so a campaign cannot vanish between the list and this read; if the
      // server says 404 anyway, its summary is the best we know.
      const detail = await api.get(summary.campaign_id)
      return detail ? toLiveResource(provider, detail, true) : toLiveResource(provider, summary, false)
    }),
  )
}

export interface RefreshTarget {
  kind: KindName
  name: string
  id?: string | number
}

/** Re-reads campaigns by id, or by name when no id is known; keyed by the target's address. */
export async function refreshCampaigns(
  api: SarvamApi,
  provider: string,
  targets: readonly RefreshTarget[],
): Promise<Map<string, LiveResource | undefined>> {
  const mine = targets.filter((target) => target.kind === KIND)
  const entries = await Promise.all(
    mine.map(async (target) => {
      const detail = await readOne(api, target)
      return [resourceAddress(provider, KIND, target.name), detail ? toLiveResource(provider, detail, true) : undefined] as const
    }),
  )
  return new Map(entries)
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
