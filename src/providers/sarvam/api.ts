/**
 * The Sarvam scheduling API's campaign endpoints (shared/api/sarvam.md §1), over the one HTTP client.
 * Only transport and shapes live here; what to do with the answers is decided by the callers.
 */
import type { ProviderConfig } from '../../config/project-config.js'
import type { HttpClient } from '../../http/client.js'
import { NotFoundError } from '../../http/errors.js'
import type { CampaignStatus } from './normalise.js'

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
 * spellings of the url work. `clientBase` is that base URL (the provider's target when it is a
 * URL; the sandbox target is not one, and the sandbox serves at its root).
 */
export function campaignsPath(config: ProviderConfig, clientBase: string): string {
  const orgId = config.orgId?.trim()
  const workspaceId = config.workspaceId?.trim()
  if (!orgId || !workspaceId) {
    throw new Error(`provider ${config.name}: a sarvam provider needs org_id and workspace_id in cac.yaml`)
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
  ) {}

  /** One page of the list, oldest first so that campaigns created while we page only add to the end. */
  async listPage(offset: number, search?: string): Promise<CampaignPage> {
    const response = await this.client.get<CampaignPage>(this.campaignsPath, {
      query: { offset, limit: PAGE_LIMIT, sort_by: 'created_at', sort_order: 'asc', search },
    })
    return response.body
  }

  /**
   * Every campaign of the list (optionally filtered by `search`): the first page, then all the
   * others at once, since `total` tells how many there are. A campaign seen on two pages (the list
   * moved while we read it) is kept once.
   */
  async listAll(search?: string): Promise<CampaignSummary[]> {
    const first = await this.listPage(0, search)
    // The server may serve smaller pages than asked for; step by what it actually served.
    const limit = first.limit > 0 ? first.limit : PAGE_LIMIT
    const offsets: number[] = []
    for (let offset = limit; offset < first.total; offset += limit) offsets.push(offset)
    const rest = await Promise.all(offsets.map((offset) => this.listPage(offset, search)))
    const byId = new Map<string, CampaignSummary>()
    for (const page of [first, ...rest]) for (const item of page.items) byId.set(item.campaign_id, item)
    return [...byId.values()]
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
      return (await this.client.get<CampaignDetail>(this.campaignPath(id))).body
    } catch (error) {
      if (error instanceof NotFoundError) return undefined
      throw error
    }
  }

  async create(body: Record<string, unknown>): Promise<CampaignSummary> {
    return (await this.client.post<CampaignSummary>(this.campaignsPath, { json: body })).body
  }

  async patch(id: string, body: Record<string, unknown>): Promise<CampaignSummary> {
    return (await this.client.patch<CampaignSummary>(this.campaignPath(id), { json: body })).body
  }

  async setStatus(id: string, action: StatusAction): Promise<CampaignSummary> {
    return (await this.client.put<CampaignSummary>(`${this.campaignPath(id)}/status`, { json: { action } })).body
  }

  private campaignPath(id: string): string {
    return `${this.campaignsPath}/${encodeURIComponent(id)}`
  }
}
