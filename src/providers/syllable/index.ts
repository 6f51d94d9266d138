/**
 * The Syllable provider: outbound campaigns and batches. Every Syllable quirk lives in this folder:
 * the list pagination, the campaign PUT that replaces everything, write-only webhook secrets, the
 * batch that names its campaign by id, and creates that must not be repeated blind.
 */
import type { HttpClient } from '../../http/client.js'
import type { KindName } from '../../model/kinds.js'
import type { ResourceChange, Spec } from '../../model/plan.js'
import { resourceAddress, type Resource } from '../../model/resource.js'
import type { ApplyContext, ChangeOutcome, FollowUp, KindRules, LiveResource, Provider, ProviderFactoryInput } from '../../model/provider.js'
import { DEFAULT_PAGE_SIZE, SyllableApi, type ApiCampaign } from './api.js'
import { applyBatchChange } from './apply-batch.js'
import { applyCampaignChange, firstCopy, LateCopyWatch } from './apply-campaign.js'
import { createRetryOf, type CreateRetryPolicy } from '../safe-create.js'
import { batchToLive, campaignNamesById, campaignToLive } from './live.js'
import { normaliseDesiredBatch, normaliseDesiredCampaign } from './normalise.js'
import { syllableRules } from './rules.js'

export { BATCH_CAMPAIGN_IS_CREATE_ONLY } from './rules.js'
export {
  normaliseDesiredBatch,
  normaliseDesiredCampaign,
  normaliseDesiredWebhook,
  normaliseLiveBatch,
  normaliseLiveCampaign,
  normaliseLiveWebhook,
} from './normalise.js'

/** Who batch updates name in last_updated_by when cac.yaml sets no `actor`. */
export const DEFAULT_ACTOR = 'cac@localhost'

/** Tuning for tests and benchmarks; the defaults suit real use. */
export interface SyllableProviderOptions {
  /** `limit` of each list request (default 1000). */
  pageSize?: number
  /** How a create is repeated after an ambiguous failure (attempts, backoff, sleep). */
  createRetry?: Partial<CreateRetryPolicy>
}

type RefreshTarget = { kind: KindName; name: string; id?: string | number }
type CampaignLookup = (id: number) => Promise<ApiCampaign | undefined>

export function createSyllableProvider(input: ProviderFactoryInput, options: SyllableProviderOptions = {}): Provider {
  return new SyllableProvider(input, options)
}

class SyllableProvider implements Provider {
  readonly type = 'syllable' as const
  readonly kinds: readonly KindName[] = ['SyllableCampaign', 'SyllableBatch']
  readonly name: string
  readonly target: string
  private readonly client: HttpClient
  private readonly api: SyllableApi
  private readonly createRetry: CreateRetryPolicy
  private readonly actor: string
  private readonly lateCopies: LateCopyWatch

  constructor(input: ProviderFactoryInput, options: SyllableProviderOptions) {
    this.name = input.config.name
    this.target = input.target
    this.client = input.client
    this.api = new SyllableApi(input.client, options.pageSize ?? DEFAULT_PAGE_SIZE)
    this.createRetry = { ...createRetryOf(input.retry), ...options.createRetry }
    this.actor = input.config.actor?.trim() || DEFAULT_ACTOR
    this.lateCopies = new LateCopyWatch(this.name)
  }

  rules(kind: KindName): KindRules {
    return syllableRules(kind)
  }

  normaliseDesired(resource: Resource): Spec {
    if (resource.kind === 'SyllableCampaign') return normaliseDesiredCampaign(resource.spec)
    if (resource.kind === 'SyllableBatch') return normaliseDesiredBatch(resource.spec)
    throw new Error(`the Syllable provider does not manage ${resource.kind}`)
  }

  /**
   * Everything from the two list endpoints, never one request per resource. Campaigns are read
   * whenever batches are, because a batch names its campaign by id and the file by name.
   */
  async readLive(kinds: readonly KindName[]): Promise<LiveResource[]> {
    const wantCampaigns = kinds.includes('SyllableCampaign')
    const wantBatches = kinds.includes('SyllableBatch')
    if (!wantCampaigns && !wantBatches) return []
    const [listed, batches] = await Promise.all([this.api.listCampaigns(), wantBatches ? this.api.listBatches() : []])
    const campaigns = await this.settleCopies(listed)
    const names = campaignNamesById(campaigns)
    return [
      ...(wantCampaigns ? campaigns.map((campaign) => campaignToLive(this.name, campaign)) : []),
      ...batches.map((batch) => batchToLive(this.name, batch, names)),
    ]
  }

  /**
   * Campaign names are not unique on the platform, and a run that races another one makes a second
   * copy for a moment before it removes it (see apply-campaign.ts). A list that shows a name twice is
   * read again for that name after short waits; copies that stay are left for the planner to report.
   */
  private async settleCopies(campaigns: ApiCampaign[]): Promise<ApiCampaign[]> {
    const counts = new Map<string, number>()
    for (const campaign of campaigns) counts.set(campaign.campaign_name, (counts.get(campaign.campaign_name) ?? 0) + 1)
    let repeated = [...counts].filter(([, count]) => count > 1).map(([name]) => name)
    if (repeated.length === 0) return campaigns
    const fresh = new Map<string, ApiCampaign[]>()
    for (const delayMs of this.createRetry.settleDelaysMs) {
      await this.createRetry.sleep(delayMs)
      const reread = await Promise.all(repeated.map(async (name) => [name, await this.api.campaignsNamed(name)] as const))
      for (const [name, copies] of reread) fresh.set(name, copies)
      repeated = reread.filter(([, copies]) => copies.length > 1).map(([name]) => name)
      if (repeated.length === 0) break
    }
    return [...campaigns.filter((campaign) => !fresh.has(campaign.campaign_name)), ...[...fresh.values()].flat()]
  }

  async refresh(targets: readonly RefreshTarget[]): Promise<Map<string, LiveResource | undefined>> {
    // Batches name their campaign by id: each campaign is fetched once, however many batches share it.
    const campaigns = new Map<number, Promise<ApiCampaign | undefined>>()
    const campaignById = (id: number): Promise<ApiCampaign | undefined> => {
      if (!campaigns.has(id)) campaigns.set(id, this.api.getCampaign(id))
      return campaigns.get(id)!
    }
    const entries = await Promise.all(
      targets.map(async (target) => {
        const address = resourceAddress(this.name, target.kind, target.name)
        return [address, await this.refreshOne(target, campaignById)] as const
      }),
    )
    return new Map(entries)
  }

  private refreshOne(target: RefreshTarget, campaignById: CampaignLookup): Promise<LiveResource | undefined> {
    if (target.kind === 'SyllableCampaign') return this.refreshCampaign(target)
    if (target.kind === 'SyllableBatch') return this.refreshBatch(target, campaignById)
    throw new Error(`the Syllable provider does not manage ${target.kind}`)
  }

  /** By id when there is one; by exact name for a planned create (did it appear since?). */
  private async refreshCampaign(target: RefreshTarget): Promise<LiveResource | undefined> {
    let campaign: ApiCampaign | undefined
    if (target.id === undefined) campaign = firstCopy(await this.api.campaignsNamed(target.name))
    else campaign = await this.api.getCampaign(target.id)
    // Renamed since the plan: nothing lives at this address any more.
    if (!campaign || campaign.campaign_name !== target.name) return undefined
    return campaignToLive(this.name, campaign)
  }

  private async refreshBatch(target: RefreshTarget, campaignById: CampaignLookup): Promise<LiveResource | undefined> {
    const batch = await this.api.getBatch(String(target.id ?? target.name))
    if (!batch) return undefined
    const campaign = await campaignById(Number(batch.campaign_id))
    return batchToLive(this.name, batch, campaignNamesById(campaign ? [campaign] : []))
  }

  apply(change: ResourceChange, context: ApplyContext): Promise<ChangeOutcome> {
    if (change.kind === 'SyllableCampaign') return applyCampaignChange(this.api, this.createRetry, this.lateCopies, change, context)
    if (change.kind === 'SyllableBatch') {
      return applyBatchChange({ api: this.api, policy: this.createRetry, actor: this.actor }, change, context)
    }
    return Promise.reject(new Error(`the Syllable provider does not manage ${change.kind}`))
  }

  settle(): Promise<FollowUp[]> {
    return this.lateCopies.settle()
  }

  async close(): Promise<void> {
    await this.client.close()
  }
}
