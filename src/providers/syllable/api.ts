/**
 * The Syllable outbound endpoints cac uses, over the one HTTP client: typed request helpers and the
 * list pagination. No retry logic here: the client retries reads and PUTs, and creates are made safe
 * by the callers (see create.ts).
 */
import type { HttpClient, QueryValue } from '../../http/client.js'
import { NotFoundError } from '../../http/errors.js'

export const CAMPAIGNS_PATH = '/api/v1/outbound/campaigns'
export const BATCHES_PATH = '/api/v1/outbound/batches'

/** The largest page asked for: one request covers most accounts, more pages follow concurrently. */
export const DEFAULT_PAGE_SIZE = 1000

/** OutboundCampaignWebhookResponse. */
export interface ApiWebhook {
  id: number
  url: string
  request_method: string
  trigger_statuses: string[]
  auth_value_keys?: string[] | null
}

/** OutboundCampaign: only what cac reads by name is typed; the rest is carried as is. */
export interface ApiCampaign {
  id: number
  campaign_name: string
  updated_at?: string
  last_updated_by?: string
  webhooks?: ApiWebhook[] | null
  [field: string]: unknown
}

/** CommunicationBatch (or BatchDetails, which adds counts). */
export interface ApiBatch {
  batch_id: string
  campaign_id: number
  status?: string
  deleted_at?: string | null
  last_updated_at?: string | null
  last_updated_by?: string
  [field: string]: unknown
}

/** ListResponse_OutboundCampaign_ / ListResponse_CommunicationBatch_. */
interface ListResponse<T> {
  items: T[]
  page: number
  page_size: number
  total_pages?: number | null
  total_count?: number | null
}

type Query = Record<string, QueryValue>

export class SyllableApi {
  constructor(
    private readonly client: HttpClient,
    private readonly pageSize: number = DEFAULT_PAGE_SIZE,
  ) {}

  listCampaigns(query: Query = {}): Promise<ApiCampaign[]> {
    return this.listAll<ApiCampaign>(CAMPAIGNS_PATH, query, (campaign) => String(campaign.id))
  }

  /** Batches that are not deleted (deletion is soft: a deleted batch keeps its id but is gone). */
  async listBatches(query: Query = {}): Promise<ApiBatch[]> {
    return (await this.listAll<ApiBatch>(BATCHES_PATH, query, (batch) => batch.batch_id)).filter(isNotDeleted)
  }

  /**
   * Campaigns whose campaign_name is exactly `name`. The server's search matches substrings (and
   * may ignore case), so the exact comparison is made here.
   */
  async campaignsNamed(name: string): Promise<ApiCampaign[]> {
    const matches = await this.listCampaigns({ search_fields: ['campaign_name'], search_field_values: [name] })
    return matches.filter((campaign) => campaign.campaign_name === name)
  }

  async getCampaign(id: string | number): Promise<ApiCampaign | undefined> {
    return orUndefinedWhenMissing(async () => (await this.client.get<ApiCampaign>(campaignPath(id))).body)
  }

  async getBatch(batchId: string): Promise<ApiBatch | undefined> {
    const batch = await orUndefinedWhenMissing(async () => (await this.client.get<ApiBatch>(batchPath(batchId))).body)
    return batch && isNotDeleted(batch) ? batch : undefined
  }

  async createCampaign(body: Record<string, unknown>): Promise<ApiCampaign> {
    return (await this.client.post<ApiCampaign>(CAMPAIGNS_PATH, { json: body })).body
  }

  async replaceCampaign(id: string | number, body: Record<string, unknown>): Promise<ApiCampaign> {
    return (await this.client.put<ApiCampaign>(campaignPath(id), { json: body })).body
  }

  /** Deletes a campaign; one that is already gone (404) counts as deleted. */
  async deleteCampaign(id: string | number): Promise<void> {
    await orUndefinedWhenMissing(() => this.client.delete(campaignPath(id)))
  }

  async createBatch(body: Record<string, unknown>): Promise<ApiBatch> {
    return (await this.client.post<ApiBatch>(BATCHES_PATH, { json: body })).body
  }

  async updateBatch(batchId: string, body: Record<string, unknown>): Promise<ApiBatch> {
    return (await this.client.put<ApiBatch>(batchPath(batchId), { json: body })).body
  }

  /**
   * Every item of a list endpoint: page 0 first (it tells how many pages there are), then all other
   * pages at once. An item that moved between pages while they were read appears once.
   */
  private async listAll<T>(path: string, query: Query, keyOf: (item: T) => string): Promise<T[]> {
    const first = await this.page<T>(path, query, 0)
    const pages = pageCount(first)
    const rest =
      pages === undefined
        ? await this.pagesUntilShort<T>(path, query, first)
        : await Promise.all(range(1, pages).map((page) => this.page<T>(path, query, page)))
    const byKey = new Map<string, T>()
    for (const item of [first, ...rest].flatMap((response) => response.items ?? [])) {
      const key = keyOf(item)
      if (!byKey.has(key)) byKey.set(key, item)
    }
    return [...byKey.values()]
  }

  /** Without a page count (total_pages and total_count are nullable), pages are read until one is short. */
  private async pagesUntilShort<T>(path: string, query: Query, first: ListResponse<T>): Promise<ListResponse<T>[]> {
    const pages: ListResponse<T>[] = []
    let last = first
    for (let page = 1; isFullPage(last); page += 1) {
      last = await this.page<T>(path, query, page)
      pages.push(last)
    }
    return pages
  }

  private async page<T>(path: string, query: Query, page: number): Promise<ListResponse<T>> {
    return (await this.client.get<ListResponse<T>>(path, { query: { ...query, page, limit: this.pageSize } })).body
  }
}

export function campaignPath(id: string | number): string {
  return `${CAMPAIGNS_PATH}/${encodeURIComponent(String(id))}`
}

export function batchPath(batchId: string): string {
  return `${BATCHES_PATH}/${encodeURIComponent(batchId)}`
}

/** Pages in all, from the first page's answer (the server may cap page_size below the limit asked). */
function pageCount(first: ListResponse<unknown>): number | undefined {
  if (typeof first.total_pages === 'number') return first.total_pages
  if (typeof first.total_count === 'number' && first.page_size > 0) return Math.ceil(first.total_count / first.page_size)
  return undefined
}

function isNotDeleted(batch: ApiBatch): boolean {
  return batch.deleted_at === undefined || batch.deleted_at === null
}

function isFullPage(response: ListResponse<unknown>): boolean {
  const count = response.items?.length ?? 0
  return count > 0 && count >= response.page_size
}

function range(from: number, to: number): number[] {
  const out: number[] = []
  for (let i = from; i < to; i += 1) out.push(i)
  return out
}

async function orUndefinedWhenMissing<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read()
  } catch (error) {
    if (error instanceof NotFoundError) return undefined
    throw error
  }
}
