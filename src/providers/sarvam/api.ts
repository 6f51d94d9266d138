/**
 * The Sarvam scheduling API's campaign endpoints (shared/api/sarvam.md §1), over the one HTTP client.
 * Only transport and shapes live here; what to do with the answers is decided by the callers.
 */
import type { HttpClient } from '../../http/client.js'
import { NotFoundError } from '../../http/errors.js'
import { DEFAULT_LIST_BOUNDS, checkItemCount, readConcurrently, readWithoutRepeats, type ListBounds, type PageRead } from '../list-reading.js'
import { integer, list, optionalText, readAnswer, record, same, ShapeProblem, text, unexpected } from '../response-shape.js'
import type { CampaignStatus } from './normalise.js'
import type { SarvamSettings } from './platform.js'

/** CampaignSummary: returned by create, update, status and as list items. */
export interface CampaignSummary {
  name: string
  campaign_id: string
  status: CampaignStatus
  app_id: string
  created_by: string
  created_at: string
  updated_at: string
  description: string | null
  app_type?: string
  app_version?: number | null
  updated_by?: string | null
  [field: string]: unknown
}

/** CampaignDetail: GET /campaigns/{id}. */
export interface CampaignDetail extends CampaignSummary {
  app_config: Record<string, unknown>
  start_timestamp: string
  end_timestamp: string
  allowed_schedule: Record<string, unknown>
  webhook_config?: Record<string, unknown> | null
}

export interface CampaignPage {
  items: CampaignSummary[]
  total: number
  limit: number
  offset: number
}

export type StatusAction = 'pause' | 'resume' | 'cancel'

/** The largest page the list endpoint serves (sarvam.md §3: limit 1–100). */
export const PAGE_LIMIT = 100

/** The path of the service inside the API host; the docs give the base URL as https://apps.sarvam.ai/api/scheduling. */
const SCHEDULING_PREFIX = '/api/scheduling'

/**
 * Where the campaigns of the provider's org and workspace live, as a path for the client.
 *
 * The client's base URL is normally the API root (the sandbox, or https://apps.sarvam.ai), so the
 * path carries `/api/scheduling`. A user who copied the documented base URL into cac.yaml gets a
 * client whose base already ends in `/api/scheduling`; the prefix is then left out, so that both
 * spellings of the url work. `clientBase` is the client's base URL (the sandbox serves at its root).
 */
export function campaignsPath(provider: string, settings: SarvamSettings, clientBase: string): string {
  const orgId = settings.orgId?.trim()
  const workspaceId = settings.workspaceId?.trim()
  if (!orgId || !workspaceId) {
    throw new Error(`provider ${provider}: a sarvam provider needs org_id and workspace_id in cac.yaml`)
  }
  const prefix = basePathOf(clientBase).replace(/\/+$/, '').endsWith(SCHEDULING_PREFIX) ? '' : SCHEDULING_PREFIX
  return `${prefix}/v1/orgs/${encodeURIComponent(orgId)}/workspaces/${encodeURIComponent(workspaceId)}/campaigns`
}

function basePathOf(base: string): string {
  try {
    return new URL(base).pathname
  } catch {
    return ''
  }
}

export class SarvamApi {
  constructor(
    private readonly client: HttpClient,
    /** e.g. `/api/scheduling/v1/orgs/acme/workspaces/outbound/campaigns`. */
    readonly campaignsPath: string,
    private readonly bounds: ListBounds = DEFAULT_LIST_BOUNDS,
  ) {}

  /** One page of the list, oldest first so that campaigns created while we page only add to the end. */
  async listPage(offset: number, search?: string): Promise<CampaignPage> {
    return (await this.readPage(offset, search)).page
  }

  /**
   * Every campaign of the list (optionally filtered by `search`), each once: the first page, then
   * all the others at once, stepping by the page size the server served, since `total` tells how
   * many there are. Bounded (pages, items); a campaign_id served twice is refused after one fresh
   * read of the list.
   */
  listAll(search?: string): Promise<CampaignSummary[]> {
    return readWithoutRepeats(() => this.readPages(search), (campaign) => campaign.campaign_id, 'campaign_id')
  }

  /**
   * The campaigns named exactly `name`. The API's `search` is a free-text filter (a substring
   * match in practice, case-insensitive), so the exact match is done here.
   */
  async findByName(name: string): Promise<CampaignSummary[]> {
    const found = await this.listAll(name)
    return found.filter((campaign) => campaign.name === name)
  }

  /** The detail of one campaign, or undefined when it does not exist (404). */
  async get(id: string): Promise<CampaignDetail | undefined> {
    try {
      return readAnswer(await this.client.get(this.campaignPath(id)), (body) => {
        const detail = readDetail(body)
        same(detail.campaign_id, id, 'campaign_id')
        return detail
      })
    } catch (error) {
      if (error instanceof NotFoundError) return undefined
      throw error
    }
  }

  /** The created campaign's summary: a non-empty campaign_id and the name sent. */
  async create(body: Record<string, unknown>): Promise<CampaignSummary> {
    return readAnswer(await this.client.post(this.campaignsPath, { json: body }), (answer) => {
      const summary = readSummary(answer, '')
      same(summary.name, String(body.name), 'name', 'the one sent')
      return summary
    })
  }

  async patch(id: string, body: Record<string, unknown>): Promise<CampaignSummary> {
    return readAnswer(await this.client.patch(this.campaignPath(id), { json: body }), (answer) => {
      const summary = readSummary(answer, '')
      same(summary.campaign_id, id, 'campaign_id')
      return summary
    })
  }

  async setStatus(id: string, action: StatusAction): Promise<CampaignSummary> {
    return readAnswer(await this.client.put(`${this.campaignPath(id)}/status`, { json: { action } }), (answer) => {
      const summary = readSummary(answer, '')
      same(summary.campaign_id, id, 'campaign_id')
      return summary
    })
  }

  private campaignPath(id: string): string {
    return `${this.campaignsPath}/${encodeURIComponent(id)}`
  }

  private async readPages(search: string | undefined): Promise<PageRead<CampaignSummary>[]> {
    const first = await this.readPage(0, search)
    const { total, limit } = first.page
    if (total > this.bounds.maxItems) {
      throw unexpected(first.response, `total is ${total}, more than the ${this.bounds.maxItems} items cac reads from one list`)
    }
    const pages = Math.ceil(total / limit)
    if (pages > this.bounds.maxPages) {
      throw unexpected(first.response, `the list claims ${pages} pages of ${limit} (total ${total}), more than the ${this.bounds.maxPages} pages cac reads from one list`)
    }
    const offsets: number[] = []
    for (let offset = limit; offset < total; offset += limit) offsets.push(offset)
    const rest = await readConcurrently(offsets, this.client.concurrency, (offset) => this.readPage(offset, search))
    const all = [first, ...rest]
    checkItemCount(
      all.reduce((sum, page) => sum + page.items.length, 0),
      this.bounds,
      first.response,
    )
    return all
  }

  private async readPage(offset: number, search: string | undefined): Promise<PageRead<CampaignSummary> & { page: CampaignPage }> {
    const response = await this.client.get(this.campaignsPath, {
      query: { offset, limit: PAGE_LIMIT, sort_by: 'created_at', sort_order: 'asc', search },
    })
    const page = readAnswer(response, readCampaignPage)
    return { items: page.items, response, label: `offset ${offset}`, page }
  }
}

// ---- The contract of each answer (sarvam.md §2.3, §3) ----

function field(where: string, name: string): string {
  return where === '' ? name : `${where}.${name}`
}

/** The list envelope: an items array, integer total ≥ 0, limit ≥ 1 and offset ≥ 0. */
function readCampaignPage(body: unknown): CampaignPage {
  const envelope = record(body, 'the answer')
  const items = list(envelope.items, 'items').map((item, index) => readSummary(item, `items[${index}]`))
  const total = integer(envelope.total, 'total', { min: 0 })
  const limit = integer(envelope.limit, 'limit', { min: 1 })
  const offset = integer(envelope.offset, 'offset', { min: 0 })
  if (items.length > limit) throw new ShapeProblem(`items holds ${items.length} entries, more than limit ${limit}`)
  return { items, total, limit, offset }
}

/** CampaignSummary: a non-empty campaign_id, a string name and status. */
function readSummary(value: unknown, where: string): CampaignSummary {
  const summary = record(value, where || 'the answer')
  text(summary.campaign_id, field(where, 'campaign_id'), { nonEmpty: true })
  text(summary.name, field(where, 'name'))
  text(summary.status, field(where, 'status'), { nonEmpty: true })
  optionalText(summary.created_at, field(where, 'created_at'))
  optionalText(summary.updated_at, field(where, 'updated_at'))
  return summary as CampaignSummary
}

/** CampaignDetail: a summary with an app_config object. */
function readDetail(value: unknown): CampaignDetail {
  const detail = readSummary(value, '')
  record(detail.app_config, 'app_config')
  return detail as CampaignDetail
}
