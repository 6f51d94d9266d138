/**
 * The Syllable outbound endpoints cac uses, over the one HTTP client: typed request helpers, the
 * shape check of every answer (syllable.md §2), and the bounded list pagination. No retry logic
 * here: the client retries reads and PUTs, and creates are made safe by the callers.
 */
import type { HttpClient, QueryValue } from '../../http/client.js'
import { NotFoundError } from '../../http/errors.js'
import { DEFAULT_LIST_BOUNDS, checkItemCount, readConcurrently, readWithoutRepeats, type ListBounds, type PageRead } from '../list-reading.js'
import { integer, list, optionalInteger, optionalText, readAnswer, record, same, ShapeProblem, text, unexpected } from '../response-shape.js'

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

/** One page of ListResponse_OutboundCampaign_ / ListResponse_CommunicationBatch_, checked. */
interface ListPage<T> {
  items: T[]
  page: number
  pageSize: number
  totalPages?: number
  totalCount?: number
}

type Query = Record<string, QueryValue>
type ItemReader<T> = (value: unknown, where: string) => T

const ignoreItem = (): void => undefined

export class SyllableApi {
  constructor(
    private readonly client: HttpClient,
    private readonly pageSize: number = DEFAULT_PAGE_SIZE,
    private readonly bounds: ListBounds = DEFAULT_LIST_BOUNDS,
  ) {}

  /** Every campaign of the list; `onItem` sees each one as soon as its page has come in (and passed its check). */
  listCampaigns(query: Query = {}, onItem?: (campaign: ApiCampaign) => void): Promise<ApiCampaign[]> {
    return this.listAll(CAMPAIGNS_PATH, query, readCampaign, (campaign) => String(campaign.id), 'campaign id', onItem)
  }

  /** Batches that are not deleted (deletion is soft: a deleted batch keeps its id but is gone). */
  async listBatches(query: Query = {}): Promise<ApiBatch[]> {
    return (await this.listAll(BATCHES_PATH, query, readBatch, (batch) => batch.batch_id, 'batch_id')).filter(isNotDeleted)
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
    return orUndefinedWhenMissing(async () =>
      readAnswer(await this.client.get(campaignPath(id)), (body) => {
        const campaign = readCampaign(body, '')
        same(campaign.id, id, 'id')
        return campaign
      }),
    )
  }

  async getBatch(batchId: string): Promise<ApiBatch | undefined> {
    const batch = await orUndefinedWhenMissing(async () =>
      readAnswer(await this.client.get(batchPath(batchId)), (body) => {
        const found = readBatch(body, '')
        same(found.batch_id, batchId, 'batch_id')
        return found
      }),
    )
    return batch && isNotDeleted(batch) ? batch : undefined
  }

  /** The created campaign: an object with a safe-integer id and the campaign_name sent. */
  async createCampaign(body: Record<string, unknown>): Promise<ApiCampaign> {
    const response = await this.client.post(CAMPAIGNS_PATH, { json: body })
    return readAnswer(response, (answer) => {
      const campaign = readCampaign(answer, '')
      same(campaign.campaign_name, String(body.campaign_name), 'campaign_name', 'the one sent')
      return campaign
    })
  }

  async replaceCampaign(id: string | number, body: Record<string, unknown>): Promise<ApiCampaign> {
    const response = await this.client.put(campaignPath(id), { json: body })
    return readAnswer(response, (answer) => {
      const campaign = readCampaign(answer, '')
      same(campaign.id, id, 'id')
      same(campaign.campaign_name, String(body.campaign_name), 'campaign_name', 'the one sent')
      return campaign
    })
  }

  /**
   * Deletes a campaign (its answer is unspecified JSON or empty). True when it was deleted, false
   * when it was already gone (404).
   */
  async deleteCampaign(id: string | number): Promise<boolean> {
    try {
      await this.client.delete(campaignPath(id), { allowEmptyBody: true })
      return true
    } catch (error) {
      if (error instanceof NotFoundError) return false
      throw error
    }
  }

  async createBatch(body: Record<string, unknown>): Promise<ApiBatch> {
    const response = await this.client.post(BATCHES_PATH, { json: body })
    return readAnswer(response, (answer) => {
      const batch = readBatch(answer, '')
      same(batch.batch_id, String(body.batch_id), 'batch_id', 'the one sent')
      same(batch.campaign_id, String(body.campaign_id), 'campaign_id', 'the one sent')
      return batch
    })
  }

  async updateBatch(batchId: string, body: Record<string, unknown>): Promise<ApiBatch> {
    const response = await this.client.put(batchPath(batchId), { json: body })
    return readAnswer(response, (answer) => {
      const batch = readBatch(answer, '')
      same(batch.batch_id, batchId, 'batch_id')
      return batch
    })
  }

  /**
   * Every item of a list endpoint, each once. Page 0 first: with a count (total_count, else
   * total_pages) and the page size the server actually served, all other pages are read
   * concurrently (as many at once as the client has connections);
   * without one, pages are read until an empty or short one. Both are bounded (pages, items), and
   * an id served twice is refused after one fresh read of the list.
   */
  private listAll<T>(path: string, query: Query, readItem: ItemReader<T>, keyOf: (item: T) => string, what: string, onItem?: (item: T) => void): Promise<T[]> {
    return readWithoutRepeats(() => this.readPages(path, query, readItem, keyOf, onItem ?? ignoreItem), keyOf, what)
  }

  /**
   * The pages of a list; `onItem` sees the items of each page once it has passed its checks. Those
   * of page 0 are handed over only once the other pages are asked for: the server is then already
   * at work on them.
   */
  private async readPages<T>(path: string, query: Query, readItem: ItemReader<T>, keyOf: (item: T) => string, onItem: (item: T) => void): Promise<PageRead<T>[]> {
    const first = await this.page(path, query, 0, readItem)
    const planned = this.plannedPages(first)
    if (planned !== undefined) {
      const rest = readConcurrently(range(1, planned), this.client.concurrency, async (page) => {
        const read = await this.page(path, query, page, readItem)
        read.items.forEach(onItem)
        return read
      })
      try {
        first.items.forEach(onItem)
      } catch (error) {
        await rest.catch(() => undefined)
        throw error
      }
      const pages = [first]
      pages.push(...(await rest))
      checkItemCount(
        pages.reduce((sum, page) => sum + page.items.length, 0),
        this.bounds,
        first.response,
      )
      return pages
    }
    first.items.forEach(onItem)
    return this.pagesUntilShort(path, query, first, readItem, keyOf, onItem)
  }

  /** Pages in all from the first page's totals, or undefined when it gives none; refused above the bounds. */
  private plannedPages(first: PageRead<unknown> & { list: ListPage<unknown> }): number | undefined {
    const { pageSize, totalPages, totalCount } = first.list
    let pages: number
    if (totalCount !== undefined) {
      if (totalCount > this.bounds.maxItems) {
        throw unexpected(first.response, `total_count is ${totalCount}, more than the ${this.bounds.maxItems} items cac reads from one list`)
      }
      pages = Math.ceil(totalCount / pageSize)
    } else if (totalPages !== undefined) {
      pages = totalPages
    } else {
      return undefined
    }
    if (pages > this.bounds.maxPages) {
      throw unexpected(first.response, `the list claims ${pages} pages of ${pageSize}, more than the ${this.bounds.maxPages} pages cac reads from one list`)
    }
    if (pages * pageSize > this.bounds.maxItems && totalCount === undefined) {
      throw unexpected(first.response, `total_pages is ${pages} of ${pageSize} items, more than the ${this.bounds.maxItems} items cac reads from one list`)
    }
    return Math.max(1, pages)
  }

  /**
   * Without a page count (total_pages and total_count are nullable), pages are read until one is
   * short, within the bounds. A page that repeats an id already read ends the reading at once (the
   * caller decides what a repeat means), so a server serving one page forever is not read 10,000 times.
   */
  private async pagesUntilShort<T>(
    path: string,
    query: Query,
    first: PageRead<T> & { list: ListPage<T> },
    readItem: ItemReader<T>,
    keyOf: (item: T) => string,
    onItem: (item: T) => void,
  ): Promise<PageRead<T>[]> {
    const pages: PageRead<T>[] = [first]
    const seen = new Set(first.items.map(keyOf))
    let last = first
    while (last.items.length > 0 && last.items.length >= last.list.pageSize) {
      if (pages.length >= this.bounds.maxPages) {
        throw unexpected(last.response, `more than ${this.bounds.maxPages} full pages and no total_pages or total_count: cac reads no more from one list`)
      }
      last = await this.page(path, query, pages.length, readItem)
      last.items.forEach(onItem)
      pages.push(last)
      const before = seen.size
      for (const item of last.items) seen.add(keyOf(item))
      if (seen.size < before + last.items.length) break
      checkItemCount(seen.size, this.bounds, last.response)
    }
    return pages
  }

  private async page<T>(path: string, query: Query, page: number, readItem: ItemReader<T>): Promise<PageRead<T> & { list: ListPage<T> }> {
    const response = await this.client.get(path, { query: { ...query, page, limit: this.pageSize } })
    const checked = readAnswer(response, (body) => {
      const read = readListPage(body, readItem)
      // A server that ignores `page` would serve page 0 again and again.
      if (read.page !== page) throw new ShapeProblem(`page is ${read.page}, expected ${page} (the page asked for)`)
      return read
    })
    return { items: checked.items, response, label: `page ${page}`, list: checked }
  }
}

export function campaignPath(id: string | number): string {
  return `${CAMPAIGNS_PATH}/${encodeURIComponent(String(id))}`
}

export function batchPath(batchId: string): string {
  return `${BATCHES_PATH}/${encodeURIComponent(batchId)}`
}

// ---- The contract of each answer (syllable.md §2.2, §2.6, §2.11) ----

function field(where: string, name: string): string {
  return where === '' ? name : `${where}.${name}`
}

/** ListResponse: an object with an items array, page and page_size, and nullable totals. */
function readListPage<T>(body: unknown, readItem: ItemReader<T>): ListPage<T> {
  const envelope = record(body, 'the answer')
  const items = list(envelope.items, 'items').map((item, index) => readItem(item, `items[${index}]`))
  const page = integer(envelope.page, 'page', { min: 0 })
  const pageSize = integer(envelope.page_size, 'page_size', { min: 1 })
  const totalPages = optionalInteger(envelope.total_pages, 'total_pages', { min: 0 })
  const totalCount = optionalInteger(envelope.total_count, 'total_count', { min: 0 })
  if (items.length > pageSize) throw new ShapeProblem(`items holds ${items.length} entries, more than page_size ${pageSize}`)
  return {
    items,
    page,
    pageSize,
    ...(totalPages !== undefined ? { totalPages } : {}),
    ...(totalCount !== undefined ? { totalCount } : {}),
  }
}

/** OutboundCampaign: a safe-integer id, a non-empty campaign_name, webhooks an array (of objects with ids) or null. */
function readCampaign(value: unknown, where: string): ApiCampaign {
  const campaign = record(value, where || 'the answer')
  integer(campaign.id, field(where, 'id'), { min: 0 })
  text(campaign.campaign_name, field(where, 'campaign_name'), { nonEmpty: true })
  if (campaign.webhooks !== null && campaign.webhooks !== undefined) {
    list(campaign.webhooks, field(where, 'webhooks')).forEach((entry, index) => {
      const webhook = record(entry, `${field(where, 'webhooks')}[${index}]`)
      integer(webhook.id, `${field(where, 'webhooks')}[${index}].id`, { min: 0 })
    })
  }
  return campaign as ApiCampaign
}

/** CommunicationBatch: a non-empty batch_id, an integer campaign_id, deleted_at a string or null. */
function readBatch(value: unknown, where: string): ApiBatch {
  const batch = record(value, where || 'the answer')
  text(batch.batch_id, field(where, 'batch_id'), { nonEmpty: true })
  integer(batch.campaign_id, field(where, 'campaign_id'), { min: 0 })
  optionalText(batch.deleted_at, field(where, 'deleted_at'))
  optionalText(batch.status, field(where, 'status'))
  return batch as ApiBatch
}

function isNotDeleted(batch: ApiBatch): boolean {
  return batch.deleted_at === undefined || batch.deleted_at === null
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
