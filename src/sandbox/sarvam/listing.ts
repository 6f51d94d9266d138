/**
 * GET /campaigns: filters, sorting and offset pagination (sarvam.md §3).
 *
 * Decisions where the docs are silent:
 * - sort_by accepts created_at (the documented default), updated_at, name and start_timestamp;
 *   anything else is a 422 enum error. Names sort by code point (as a database with a binary
 *   collation would). Ties, common under a frozen clock, fall back to creation order in the same
 *   direction, so pages never overlap or skip.
 * - search is a case-insensitive substring match on the name; campaign_status filters on the
 *   status as of now (the clock-driven one).
 * - next_page_uri / prev_page_uri are relative paths (the request's own path) carrying offset and
 *   limit first, then the request's other query parameters; null at either end. The previous page
 *   of an offset past the end is the last page that has items.
 */
import { ok, type ApiRequest, type ApiResponse } from '../http-kit.js'
import type { PlatformContext } from '../platform.js'
import { ParameterReader } from '../request-validation.js'
import { campaignsByCreation } from './campaigns.js'
import { currentStatus } from './status.js'
import { CAMPAIGN_STATUSES, scopeKey, type StoredCampaign } from './state.js'
import { campaignSummary, type CampaignSummary } from './views.js'

export const SORT_FIELDS = ['created_at', 'updated_at', 'name', 'start_timestamp'] as const
type SortField = (typeof SORT_FIELDS)[number]
const SORT_ORDERS = ['asc', 'desc'] as const

export const DEFAULT_LIMIT = 10
export const MAX_LIMIT = 100

interface ListQuery {
  offset: number
  limit: number
  sortBy: SortField
  sortOrder: (typeof SORT_ORDERS)[number]
  search: string | undefined
  status: (typeof CAMPAIGN_STATUSES)[number] | undefined
}

export interface CampaignPage {
  items: CampaignSummary[]
  total: number
  limit: number
  offset: number
  next_page_uri: string | null
  prev_page_uri: string | null
}

function readListQuery(request: ApiRequest): ListQuery {
  const reader = new ParameterReader(request)
  const query: ListQuery = {
    offset: reader.queryInt('offset', { default: 0, minimum: 0 }),
    limit: reader.queryInt('limit', { default: DEFAULT_LIMIT, minimum: 1, maximum: MAX_LIMIT }),
    sortBy: reader.queryEnum('sort_by', SORT_FIELDS) ?? 'created_at',
    sortOrder: reader.queryEnum('sort_order', SORT_ORDERS) ?? 'desc',
    search: reader.queryString('search') || undefined,
    status: reader.queryEnum('campaign_status', CAMPAIGN_STATUSES),
  }
  reader.done()
  return query
}

export function listCampaigns(request: ApiRequest, context: PlatformContext): ApiResponse {
  const query = readListQuery(request)
  const now = context.clock.now()
  const matching = orderedMatches(request, context, query, now)
  const at = (index: number) => (query.sortOrder === 'asc' ? matching[index]! : matching[matching.length - 1 - index]!)
  const items: CampaignSummary[] = []
  for (let index = query.offset; index < Math.min(matching.length, query.offset + query.limit); index++) items.push(campaignSummary(at(index), now))
  const page: CampaignPage = {
    items,
    total: matching.length,
    limit: query.limit,
    offset: query.offset,
    next_page_uri: null,
    prev_page_uri: null,
  }
  const next = query.offset + query.limit < matching.length ? query.offset + query.limit : undefined
  const prev = query.offset > 0 ? Math.max(0, Math.min(query.offset - query.limit, matching.length - query.limit)) : undefined
  if (next !== undefined) page.next_page_uri = pageUri(request, next, query.limit)
  if (prev !== undefined) page.prev_page_uri = pageUri(request, prev, query.limit)
  return ok(page)
}

/**
 * The matching campaigns in ascending order of the sort field (ties by creation order): the
 * created_at order is kept as campaigns are created, so the default list filters at most and
 * never sorts; another sort field sorts the matches on keys computed once per campaign.
 */
function orderedMatches(request: ApiRequest, context: PlatformContext, query: ListQuery, now: number): readonly StoredCampaign[] {
  const byCreation = campaignsByCreation(context.store, scopeKey(request.params.org_id ?? '', request.params.workspace_id ?? '')).all
  const needle = query.search?.toLowerCase()
  const filtered =
    needle === undefined && query.status === undefined
      ? byCreation
      : byCreation.filter(
          (campaign) =>
            (needle === undefined || campaign.name.toLowerCase().includes(needle)) &&
            (query.status === undefined || currentStatus(campaign, now) === query.status),
        )
  const sortBy = query.sortBy
  if (sortBy === 'created_at') return filtered
  const keyed = filtered.map((campaign) => ({ campaign, key: sortKey(campaign, sortBy) }))
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.campaign.sequence - b.campaign.sequence))
  return keyed.map(({ campaign }) => campaign)
}

function sortKey(campaign: StoredCampaign, field: Exclude<SortField, 'created_at'>): string | number {
  switch (field) {
    case 'name':
      return campaign.name
    case 'start_timestamp':
      return Date.parse(campaign.start_timestamp)
    case 'updated_at':
      return Date.parse(campaign.updated_at)
  }
}

function pageUri(request: ApiRequest, offset: number, limit: number): string {
  const params = new URLSearchParams({ offset: String(offset), limit: String(limit) })
  for (const [key, value] of request.query) {
    if (key !== 'offset' && key !== 'limit') params.append(key, value)
  }
  return `${request.path}?${params.toString()}`
}
