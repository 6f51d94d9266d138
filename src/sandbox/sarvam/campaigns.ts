/**
 * Handlers of the Sarvam campaign endpoints: create, get, update (PATCH) and the status action.
 * The list lives in listing.ts. Every campaign lives in one (org_id, workspace_id) scope and is
 * invisible (404) from any other.
 */
import { ApiError, ok, type ApiRequest, type ApiResponse } from '../http-kit.js'
import { OrderedRecords } from '../ordered-records.js'
import type { PlatformContext } from '../platform.js'
import type { SandboxStore } from '../store.js'
import { bodyValidator, type ValidationEntry } from '../request-validation.js'
import {
  agentConfigProblems,
  allowedScheduleProblems,
  createWindowProblems,
  isObject,
  schemaProblems,
  throwIfAny,
  updateEndProblems,
} from './constraints.js'
import {
  agentConfigSchema,
  allowedScheduleSchema,
  createCampaignSchema,
  keepKnownFields,
  statusActionSchema,
  updateCampaignSchema,
  webhookConfigSchema,
  type CreateCampaignBody,
  type StatusAction,
  type UpdateCampaignBody,
} from './schemas.js'
import { assertUpdatable, settleStatus, statusAfter } from './status.js'
import { scopeKey, type AgentConfig, type AllowedSchedule, type StoredCampaign, type WebhookConfig } from './state.js'
import { campaignSummary, campaignDetail, formatInstant } from './views.js'

const validateCreateBody = bodyValidator<CreateCampaignBody>(createCampaignSchema)
const validateUpdateBody = bodyValidator<UpdateCampaignBody>(updateCampaignSchema)
const validateStatusBody = bodyValidator<{ action: StatusAction }>(statusActionSchema)

/** The campaigns of the request's scope; `forWriting` creates the scope, a read never does. */
export function scopeCampaigns(request: ApiRequest, context: PlatformContext, forWriting = false): Record<string, StoredCampaign> {
  const key = scopeOf(request)
  const workspaces = context.store.state.sarvam.workspaces
  if (forWriting) workspaces[key] ??= {}
  return workspaces[key] ?? {}
}

function scopeOf(request: ApiRequest): string {
  return scopeKey(request.params.org_id ?? '', request.params.workspace_id ?? '')
}

/** The campaigns of one scope by (created_at, creation order), the order of the default list, kept up to date by every create. */
export function campaignsByCreation(store: SandboxStore, scope: string): OrderedRecords<StoredCampaign> {
  return store.derived(`sarvam.campaigns by creation ${scope}`, (state) => {
    const campaigns = Object.hasOwn(state.sarvam.workspaces, scope) ? Object.values(state.sarvam.workspaces[scope]!) : []
    return new OrderedRecords(campaigns, byCreation)
  })
}

/** created_at never changes after creation, so an update leaves the order as it is. */
function byCreation(a: StoredCampaign, b: StoredCampaign): number {
  const left = Date.parse(a.created_at)
  const right = Date.parse(b.created_at)
  return left !== right ? left - right : a.sequence - b.sequence
}

/** Persists a campaign's new value with the next commit. */
function markChanged(request: ApiRequest, context: PlatformContext, campaign: StoredCampaign): void {
  context.store.changed('sarvam', 'workspaces', scopeOf(request), campaign.campaign_id)
}

function findCampaign(request: ApiRequest, context: PlatformContext): StoredCampaign {
  const id = request.params.campaign_id ?? ''
  const campaign = scopeCampaigns(request, context)[id]
  if (!campaign) throw new ApiError(404, `Campaign ${id} not found`)
  return campaign
}

/**
 * cac identifies a Sarvam campaign by its name (DESIGN.md §3), so the emulator keeps names unique
 * per workspace and answers a second campaign of the same name with 409. The docs say nothing; a
 * real service that allowed duplicates would make name-based adoption ambiguous. Ended and
 * cancelled campaigns keep their names. Names compare exactly (case-sensitive).
 */
function assertNameFree(store: SandboxStore, scope: string, name: string, exceptId?: string): void {
  const holder = campaignIdsByName(store, scope).get(name)
  if (holder !== undefined && holder !== exceptId) {
    throw new ApiError(409, `A campaign named '${name}' already exists in this workspace (${holder})`)
  }
}

/** Name → campaign id in one scope (a create costs one lookup, not a scan), kept up to date by create and rename. */
function campaignIdsByName(store: SandboxStore, scope: string): Map<string, string> {
  return store.derived(`sarvam.campaign ids by name ${scope}`, (state) => {
    const byName = new Map<string, string>()
    if (Object.hasOwn(state.sarvam.workspaces, scope)) {
      for (const campaign of Object.values(state.sarvam.workspaces[scope]!)) if (!byName.has(campaign.name)) byName.set(campaign.name, campaign.campaign_id)
    }
    return byName
  })
}

/** Ids look like the docs' example ("camp-a1b2c3d4"): eight hex digits of a counter shared by all scopes. */
function campaignId(number: number): string {
  return `camp-${number.toString(16).padStart(8, '0')}`
}

function storedAgentConfig(appConfig: Record<string, unknown>): AgentConfig {
  return keepKnownFields(agentConfigSchema, appConfig) as AgentConfig
}

function storedSchedule(schedule: Record<string, unknown>): AllowedSchedule {
  return keepKnownFields(allowedScheduleSchema, schedule) as AllowedSchedule
}

function storedWebhook(webhook: Record<string, unknown> | null | undefined): WebhookConfig | null {
  return webhook ? (keepKnownFields(webhookConfigSchema, webhook) as WebhookConfig) : null
}

/** The rules of app_config and allowed_schedule that a schema cannot express; create and update share them. */
function nestedRuleProblems(body: unknown, known: ValidationEntry[]): ValidationEntry[] {
  if (!isObject(body)) return []
  return [
    ...agentConfigProblems(body.app_config, ['body', 'app_config'], known),
    ...allowedScheduleProblems(body.allowed_schedule, ['body', 'allowed_schedule'], known),
  ]
}

function parseCreateBody(body: unknown, now: number): CreateCampaignBody {
  const known = schemaProblems(validateCreateBody, body)
  const rules = nestedRuleProblems(body, known)
  if (isObject(body)) rules.push(...createWindowProblems(body, now, known))
  throwIfAny([...known, ...rules])
  return body as unknown as CreateCampaignBody
}

function parseUpdateBody(body: unknown): UpdateCampaignBody {
  const known = schemaProblems(validateUpdateBody, body)
  throwIfAny([...known, ...nestedRuleProblems(body, known)])
  return body as UpdateCampaignBody
}

/** POST /campaigns: a new campaign always starts `scheduled` (its start is at least 120 s ahead). */
export function createCampaign(request: ApiRequest, context: PlatformContext): ApiResponse {
  const now = context.clock.now()
  const body = parseCreateBody(request.body, now)
  const campaigns = scopeCampaigns(request, context, true)
  assertNameFree(context.store, scopeOf(request), body.name)

  const state = context.store.state.sarvam
  const sequence = state.next_campaign_number
  state.next_campaign_number += 1
  const at = formatInstant(now)
  const campaign: StoredCampaign = {
    campaign_id: campaignId(sequence),
    sequence,
    name: body.name,
    description: body.description ?? null,
    status: 'scheduled',
    app_config: storedAgentConfig(body.app_config),
    start_timestamp: formatInstant(Date.parse(body.start_timestamp)),
    end_timestamp: formatInstant(Date.parse(body.end_timestamp)),
    allowed_schedule: storedSchedule(body.allowed_schedule),
    webhook_config: storedWebhook(body.webhook_config),
    created_by: context.actor,
    created_at: at,
    updated_at: at,
    updated_by: null,
  }
  campaigns[campaign.campaign_id] = campaign
  campaignsByCreation(context.store, scopeOf(request)).insert(campaign)
  campaignIdsByName(context.store, scopeOf(request)).set(campaign.name, campaign.campaign_id)
  context.store.changed('sarvam', 'next_campaign_number')
  markChanged(request, context, campaign)
  return ok(campaignSummary(campaign, now), true)
}

/** GET /campaigns/{campaign_id}: the full detail, with the status as of now. */
export function getCampaign(request: ApiRequest, context: PlatformContext): ApiResponse {
  return ok(campaignDetail(findCampaign(request, context), context.clock.now()))
}

/**
 * PATCH /campaigns/{campaign_id}. Omitted and null fields stay as they are (null never clears:
 * sarvam.md §2.2); a nested object that is sent replaces the stored one. start_timestamp and status
 * are not fields of UpdateCampaign, so if a client sends them they are ignored like any unknown
 * field (pydantic's default), not refused.
 */
export function updateCampaign(request: ApiRequest, context: PlatformContext): ApiResponse {
  const now = context.clock.now()
  const body = parseUpdateBody(request.body)
  const campaign = findCampaign(request, context)
  assertUpdatable(campaign, now)
  // Rules that need the stored campaign run in the handler, after the 404 and 409 checks.
  if (body.end_timestamp != null) throwIfAny(updateEndProblems(body.end_timestamp, Date.parse(campaign.start_timestamp), now))
  if (body.name != null) assertNameFree(context.store, scopeOf(request), body.name, campaign.campaign_id)

  settleStatus(campaign, now)
  if (body.name != null && body.name !== campaign.name) {
    const byName = campaignIdsByName(context.store, scopeOf(request))
    if (byName.get(campaign.name) === campaign.campaign_id) byName.delete(campaign.name)
    byName.set(body.name, campaign.campaign_id)
    campaign.name = body.name
  }
  if (body.description != null) campaign.description = body.description
  if (body.app_config != null) campaign.app_config = storedAgentConfig(body.app_config)
  if (body.webhook_config != null) campaign.webhook_config = storedWebhook(body.webhook_config)
  if (body.end_timestamp != null) campaign.end_timestamp = formatInstant(Date.parse(body.end_timestamp))
  if (body.allowed_schedule != null) campaign.allowed_schedule = storedSchedule(body.allowed_schedule)
  markUpdated(request, campaign, context, now)
  return ok(campaignSummary(campaign, now), true)
}

/** PUT /campaigns/{campaign_id}/status: pause, resume or cancel (see status.ts for what is allowed when). */
export function updateCampaignStatus(request: ApiRequest, context: PlatformContext): ApiResponse {
  const now = context.clock.now()
  const { action } = validateStatusBody(request.body)
  const campaign = findCampaign(request, context)
  campaign.status = statusAfter(action, campaign, now)
  // A status action is a user's change like an edit, so it is recorded the same way (an inference).
  markUpdated(request, campaign, context, now)
  return ok(campaignSummary(campaign, now), true)
}

function markUpdated(request: ApiRequest, campaign: StoredCampaign, context: PlatformContext, now: number): void {
  campaign.updated_at = formatInstant(now)
  campaign.updated_by = context.actor
  markChanged(request, context, campaign)
}
