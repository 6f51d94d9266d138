import { ApiError, ok, type ApiRequest, type RouteDefinition } from '../http-kit.js'
import { OrderedRecords } from '../ordered-records.js'
import type { PlatformContext } from '../platform.js'
import type { SandboxStore } from '../store.js'
import { bodyValidator, ParameterReader, RequestValidationError, type ValidationEntry } from '../request-validation.js'
import { CAMPAIGN_PROPERTIES, type CampaignProperty } from './enums.js'
import { listPage, readListQuery, type ListableFields } from './listing.js'
import { OUTBOUND_CAMPAIGN_INPUT } from './schemas.js'
import { ownEntry, putEntry, type StoredCampaign, type StoredTargetFilters, type SyllableState } from './state.js'
import { rejectIf, validateInto } from './validation.js'
import { reconcileWebhooks, REDACTED, webhookResponse, withoutSecrets, type WebhookInput } from './webhooks.js'

const CAMPAIGNS_PATH = '/api/v1/outbound/campaigns'
const CAMPAIGN_PATH = `${CAMPAIGNS_PATH}/{campaign_id}`

/** OutboundCampaignInput after schema validation. */
interface CampaignInput {
  campaign_name: string
  description?: string | null
  mode?: string | null
  sms_session_ttl?: number | null
  label?: string | null
  labels?: string[] | null
  campaign_variables: Record<string, string>
  daily_start_time?: string | null
  daily_end_time?: string | null
  source?: string | null
  caller_id: string | number | null
  hourly_rate?: number
  max_daily_calls?: number | null
  retry_count?: number
  retry_interval?: string | null
  active_days: string[]
  voicemail_detection?: Record<string, unknown> | null
  allowed_line_types?: string[] | null
  include_unknown_line_types?: boolean
  target_filters?: { match?: string; on_unknown?: string; rules?: { field: string; op: string; values?: string[] }[] } | null
  webhooks?: WebhookInput[]
}

/** The fields of a campaign that come from the request body (everything but server-owned fields). */
type CampaignSettings = Omit<StoredCampaign, 'id' | 'agent_id' | 'created_at' | 'updated_at' | 'last_updated_by' | 'webhooks'>

/** VoicemailDetectionConfig's declared keys, shown as null when unset (unknown keys are kept too). */
const VOICEMAIL_DETECTION_KEYS = [
  'mode',
  'voicemail_detection_overall_timeout',
  'voicemail_detection_pre_speech_timeout',
  'voicemail_detection_post_speech_timeout',
  'voicemail_detection_speech_threshold',
  'voicemail_detection_v2_pre_speech_timeout',
] as const

const CAMPAIGN_LISTING: ListableFields<CampaignProperty> = {
  properties: CAMPAIGN_PROPERTIES,
  integerFields: ['id'],
  exactFields: [],
  timestampField: 'updated_at',
}

const validateCampaignBody = bodyValidator<CampaignInput>(OUTBOUND_CAMPAIGN_INPUT, {
  secretPaths: [['webhooks', '*', 'auth_values']],
})

/** Validates an OutboundCampaignInput body; no 422 it raises ever carries a webhook secret. */
function readCampaignInput(body: unknown): CampaignInput {
  try {
    return validateCampaignBody(acceptSeedForms(body))
  } catch (error) {
    if (error instanceof RequestValidationError) throw new RequestValidationError(error.entries.map(withoutSecretInput))
    throw error
  }
}

function withoutSecretInput(entry: ValidationEntry): ValidationEntry {
  const aboutSecret = entry.loc.includes('auth_values') || entry.loc.includes('hmac_secret')
  return { ...entry, input: aboutSecret ? REDACTED : withoutSecrets(entry.input) }
}

/**
 * The seed document sends `active_days` as a JSON-encoded string (`"[\"mon\", \"tue\"]"`); the spec
 * wants a list. Both are accepted: a string that decodes to a list is replaced by that list before
 * validation (and is then checked like any list); anything else is left for the schema to reject.
 */
function acceptSeedForms(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body
  const activeDays = (body as Record<string, unknown>).active_days
  if (typeof activeDays !== 'string') return body
  let decoded: unknown
  try {
    decoded = JSON.parse(activeDays)
  } catch {
    return body
  }
  return Array.isArray(decoded) ? { ...body, active_days: decoded } : body
}

/** The stored settings of a body: omitted optional fields get their defaults (PUT replaces all). */
function campaignSettings(input: CampaignInput): CampaignSettings {
  return {
    campaign_name: input.campaign_name,
    description: input.description ?? null,
    mode: input.mode ?? null,
    sms_session_ttl: input.sms_session_ttl ?? null,
    label: input.label ?? null,
    labels: input.labels ?? null,
    campaign_variables: input.campaign_variables,
    daily_start_time: input.daily_start_time ?? null,
    daily_end_time: input.daily_end_time ?? null,
    source: input.source ?? null,
    // The seed's example sends a number; the published response type is text, so store text.
    caller_id: typeof input.caller_id === 'number' ? String(input.caller_id) : input.caller_id,
    hourly_rate: input.hourly_rate ?? 1,
    max_daily_calls: input.max_daily_calls ?? null,
    retry_count: input.retry_count ?? 0,
    retry_interval: input.retry_interval ?? null,
    active_days: [...input.active_days],
    voicemail_detection: input.voicemail_detection ?? null,
    allowed_line_types: input.allowed_line_types ?? null,
    include_unknown_line_types: input.include_unknown_line_types ?? true,
    target_filters: input.target_filters ? targetFiltersWithDefaults(input.target_filters) : null,
  }
}

function targetFiltersWithDefaults(filters: NonNullable<CampaignInput['target_filters']>): StoredTargetFilters {
  return {
    match: filters.match ?? 'all',
    on_unknown: filters.on_unknown ?? 'include',
    rules: (filters.rules ?? []).map((rule) => ({ field: rule.field, op: rule.op, values: rule.values ?? [] })),
  }
}

/** OutboundCampaign: every property of the spec, null where unset; secrets only as key names. */
export function campaignResponse(campaign: StoredCampaign): Record<string, unknown> {
  return {
    campaign_name: campaign.campaign_name,
    description: campaign.description,
    mode: campaign.mode,
    sms_session_ttl: campaign.sms_session_ttl,
    label: campaign.label,
    labels: campaign.labels,
    campaign_variables: campaign.campaign_variables,
    daily_start_time: campaign.daily_start_time,
    daily_end_time: campaign.daily_end_time,
    source: campaign.source,
    caller_id: campaign.caller_id,
    hourly_rate: campaign.hourly_rate,
    max_daily_calls: campaign.max_daily_calls,
    retry_count: campaign.retry_count,
    retry_interval: campaign.retry_interval,
    active_days: campaign.active_days,
    voicemail_detection: campaign.voicemail_detection && voicemailDetectionResponse(campaign.voicemail_detection),
    allowed_line_types: campaign.allowed_line_types,
    include_unknown_line_types: campaign.include_unknown_line_types,
    target_filters: campaign.target_filters,
    id: campaign.id,
    agent_id: campaign.agent_id,
    created_at: campaign.created_at,
    updated_at: campaign.updated_at,
    last_updated_by: campaign.last_updated_by,
    webhooks: campaign.webhooks.map(webhookResponse),
  }
}

/** A searchable field of a campaign as its response shows it, without building the whole response. */
function campaignField(campaign: StoredCampaign, field: string): unknown {
  if (field === 'voicemail_detection') return campaign.voicemail_detection && voicemailDetectionResponse(campaign.voicemail_detection)
  return (campaign as unknown as Record<string, unknown>)[field]
}

function voicemailDetectionResponse(config: Record<string, unknown>): Record<string, unknown> {
  const declared = Object.fromEntries(VOICEMAIL_DETECTION_KEYS.map((key) => [key, null]))
  return { ...declared, ...config }
}

export function findCampaign(state: SyllableState, id: number): StoredCampaign {
  const campaign = ownEntry(state.campaigns, String(id))
  if (!campaign) throw new ApiError(404, `Campaign ${id} not found`)
  return campaign
}

/** Reads the `campaign_id` path parameter and the body together, so one 422 reports both. */
function readCampaignUpdate(request: ApiRequest): { id: number; input: CampaignInput } {
  const reader = new ParameterReader(request)
  const id = reader.pathInt('campaign_id')
  const input = validateInto(reader, () => readCampaignInput(request.body))
  reader.done()
  return { id, input: input! }
}

function readCampaignId(request: ApiRequest): number {
  const reader = new ParameterReader(request)
  const id = reader.pathInt('campaign_id')
  reader.done()
  return id
}

function allocateWebhookId(state: SyllableState): () => number {
  return () => state.next_webhook_id++
}

/** The campaigns in id order (the default order of the list), kept up to date by every change. */
function campaignsById(store: SandboxStore): OrderedRecords<StoredCampaign> {
  return store.derived('syllable.campaigns by id', (state) => new OrderedRecords(Object.values(state.syllable.campaigns), (a, b) => a.id - b.id))
}

function listCampaigns(request: ApiRequest, { store }: PlatformContext) {
  const query = readListQuery(request, CAMPAIGN_LISTING)
  return ok(listPage(campaignsById(store).all, campaignResponse, query, CAMPAIGN_LISTING, campaignField))
}

function createCampaign(request: ApiRequest, { store, clock, actor }: PlatformContext) {
  const input = readCampaignInput(request.body)
  const state = store.state.syllable
  const { webhooks, problems } = reconcileWebhooks(input.webhooks ?? [], undefined, allocateWebhookId(state))
  rejectIf(problems)
  const now = clock.nowIso()
  // Built onto the settings object rather than spread into a new one: V8 keeps a spread of this
  // many fields in a slow (dictionary) layout, which makes every list of a large account slow.
  const campaign: StoredCampaign = Object.assign(campaignSettings(input), {
    id: state.next_campaign_id++,
    agent_id: null,
    created_at: now,
    updated_at: now,
    last_updated_by: actor,
    webhooks,
  })
  putEntry(state.campaigns, String(campaign.id), campaign)
  campaignsById(store).insert(campaign)
  store.changed('syllable', 'next_campaign_id')
  store.changed('syllable', 'next_webhook_id')
  store.changed('syllable', 'campaigns', String(campaign.id))
  return ok(campaignResponse(campaign), true)
}

function getCampaign(request: ApiRequest, { store }: PlatformContext) {
  return ok(campaignResponse(findCampaign(store.state.syllable, readCampaignId(request))))
}

/** A full replacement: the body is the whole campaign, and what it omits returns to the default. */
function replaceCampaign(request: ApiRequest, { store, clock, actor }: PlatformContext) {
  const { id, input } = readCampaignUpdate(request)
  const state = store.state.syllable
  const current = findCampaign(state, id)
  const { webhooks, problems } = reconcileWebhooks(input.webhooks ?? [], current.webhooks, allocateWebhookId(state))
  rejectIf(problems)
  const updated: StoredCampaign = Object.assign(campaignSettings(input), {
    id: current.id,
    agent_id: current.agent_id,
    created_at: current.created_at,
    updated_at: clock.nowIso(),
    last_updated_by: actor,
    webhooks,
  })
  putEntry(state.campaigns, String(id), updated)
  campaignsById(store).replace(current, updated)
  store.changed('syllable', 'next_webhook_id')
  store.changed('syllable', 'campaigns', String(id))
  return ok(campaignResponse(updated), true)
}

/**
 * Deleting a campaign that still has (not deleted) batches is refused with 409: the platform does
 * not document the case, and silently orphaning the batches, or deleting them, would hide it.
 */
function deleteCampaign(request: ApiRequest, { store }: PlatformContext) {
  const id = readCampaignId(request)
  const state = store.state.syllable
  const campaign = findCampaign(state, id)
  const batchIds = Object.values(state.batches)
    .filter((batch) => batch.campaign_id === id && batch.deleted_at === null)
    .map((batch) => batch.batch_id)
  if (batchIds.length > 0) {
    const listed = batchIds.slice(0, 5).join(', ') + (batchIds.length > 5 ? ', …' : '')
    const noun = batchIds.length === 1 ? 'batch' : 'batches'
    throw new ApiError(409, `Campaign ${id} still has ${batchIds.length} ${noun} (${listed}); delete them first`)
  }
  delete state.campaigns[String(id)]
  campaignsById(store).remove(campaign)
  store.changed('syllable', 'campaigns', String(id))
  return ok({ id, deleted: true }, true)
}

export const campaignRoutes: RouteDefinition<PlatformContext>[] = [
  { method: 'GET', template: CAMPAIGNS_PATH, handler: listCampaigns },
  { method: 'POST', template: CAMPAIGNS_PATH, handler: createCampaign },
  { method: 'GET', template: CAMPAIGN_PATH, handler: getCampaign },
  { method: 'PUT', template: CAMPAIGN_PATH, handler: replaceCampaign },
  { method: 'DELETE', template: CAMPAIGN_PATH, handler: deleteCampaign },
]
