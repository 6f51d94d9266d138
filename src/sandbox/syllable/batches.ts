import { ApiError, ok, type ApiRequest, type RouteDefinition } from '../http-kit.js'
import { OrderedRecords } from '../ordered-records.js'
import type { PlatformContext } from '../platform.js'
import type { SandboxStore } from '../store.js'
import { bodyValidator, ParameterReader, type ValidationEntry } from '../request-validation.js'
import { findCampaign } from './campaigns.js'
import { BATCH_PROPERTIES, type BatchProperty, type BatchStatus, type RequestStatus } from './enums.js'
import { listPage, readListQuery, type ListableFields } from './listing.js'
import {
  BATCH_DELETE_FORM,
  COMMUNICATION_BATCH_INPUT,
  COMMUNICATION_BATCH_UPDATE,
  COMMUNICATION_REQUEST,
  REFERENCE_IDS,
} from './schemas.js'
import { ownEntry, putEntry, type StoredBatch, type StoredRequest, type SyllableState } from './state.js'
import { invalidDateTime, normaliseInstant, rejectIf, validateInto } from './validation.js'

const BATCHES_PATH = '/api/v1/outbound/batches'
const BATCH_PATH = `${BATCHES_PATH}/{batch_id}`

interface BatchInput {
  batch_id: string
  campaign_id: number
  expires_on?: string | null
  paused?: boolean | null
  call_rate?: number | null
  auto_call_rate?: boolean
}

interface BatchUpdate {
  paused?: boolean | null
  expires_on?: string | null
  call_rate?: number | null
  auto_call_rate?: boolean | null
  batch_id?: string
  campaign_id?: number
  last_updated_by?: string | null
}

interface RequestInput {
  reference_id: string
  target: string
  request_variables: Record<string, string>
}

const BATCH_LISTING: ListableFields<BatchProperty> = {
  properties: BATCH_PROPERTIES,
  integerFields: ['campaign_id'],
  exactFields: ['status'],
  timestampField: 'last_updated_at',
}

const validateBatchInput = bodyValidator<BatchInput>(COMMUNICATION_BATCH_INPUT)
const validateBatchUpdate = bodyValidator<BatchUpdate>(COMMUNICATION_BATCH_UPDATE)
const validateRequestInput = bodyValidator<RequestInput>(COMMUNICATION_REQUEST)
const validateReferenceIds = bodyValidator<string[]>(REFERENCE_IDS)
const validateDeleteForm = bodyValidator<{ delete_reason: string }>(BATCH_DELETE_FORM)

/**
 * A batch's status is derived, never stored: deleted → CANCELED; past its expiry → EXPIRED; on hold
 * → PAUSED; otherwise ACTIVE once it holds requests, PENDING before. (FAILED belongs to file
 * uploads, which the sandbox does not emulate.)
 */
export function batchStatus(batch: StoredBatch, now: number): BatchStatus {
  if (batch.deleted_at !== null) return 'CANCELED'
  if (batch.expires_on !== null && Date.parse(batch.expires_on) <= now) return 'EXPIRED'
  if (batch.paused === true) return 'PAUSED'
  return batch.requests.length > 0 ? 'ACTIVE' : 'PENDING'
}

/** CommunicationBatch: every property of the spec (null where unset) plus the newer auto_call_rate pair. */
function batchResponse(batch: StoredBatch, now: number): Record<string, unknown> {
  return {
    batch_id: batch.batch_id,
    campaign_id: batch.campaign_id,
    expires_on: batch.expires_on,
    paused: batch.paused,
    call_rate: batch.call_rate,
    auto_call_rate: batch.auto_call_rate,
    // Derived by the platform from dialing history; the sandbox never dials.
    auto_call_rate_baseline: null,
    status: batchStatus(batch, now),
    upload_filename: null,
    dispatch_id: null,
    created_at: batch.created_at,
    deleted_at: batch.deleted_at,
    deleted_reason: batch.deleted_reason,
    last_updated_at: batch.last_updated_at,
    last_updated_by: batch.last_updated_by,
    error_message: null,
  }
}

/** BatchDetails: the batch plus its requests counted by request_status. */
function batchDetailsResponse(batch: StoredBatch, now: number): Record<string, unknown> {
  const counts: Record<string, number> = {}
  for (const request of batch.requests) counts[request.request_status] = (counts[request.request_status] ?? 0) + 1
  // No channel_manager_status is ever set here, so each breakdown has only its total ("counts omitted if none").
  const detailed = Object.fromEntries(Object.entries(counts).map(([status, total]) => [status, { total_count: total }]))
  return { ...batchResponse(batch, now), status_counts: counts, detailed_status_counts: detailed }
}

/** CommunicationRequestResult: every property of the spec; nothing has been dialed yet. */
function resultRow(request: StoredRequest): Record<string, unknown> {
  return {
    reference_id: request.reference_id,
    target: request.target,
    request_variables: request.request_variables,
    channel_manager_sid: null,
    created_at: request.created_at,
    sent_at: null,
    attempt_count: 0,
    session_id: null,
    conversation_id: null,
    request_status: request.request_status,
    channel_manager_status: null,
    insights_status: null,
    insights: null,
    line_type: null,
    enrichment: null,
  }
}

/** A batch that exists and is not deleted: deleted batches answer 404 like unknown ones. */
function findLiveBatch(state: SyllableState, batchId: string): StoredBatch {
  const batch = ownEntry(state.batches, batchId)
  if (!batch || batch.deleted_at !== null) throw new ApiError(404, `Batch ${batchId} not found`)
  return batch
}

/** Reads the `batch_id` path parameter and the body together, so one 422 reports every problem. */
function readBatchRequest<T>(request: ApiRequest, validate: (body: unknown) => T): { batchId: string; body: T } {
  const reader = new ParameterReader(request)
  const batchId = reader.pathString('batch_id')
  const body = validateInto(reader, () => validate(request.body))
  reader.done()
  return { batchId, body: body! }
}

/** Stored form of an `expires_on` (UTC); pushes a problem when it is no real instant. */
function storedExpiry(value: string | null | undefined, problems: ValidationEntry[]): string | null {
  if (value === undefined || value === null) return null
  const instant = normaliseInstant(value)
  if (instant === undefined) problems.push(invalidDateTime(['body', 'expires_on'], value))
  return instant ?? null
}

const autoCallRateNeedsExpiry = (loc: (string | number)[], input: unknown): ValidationEntry => ({
  type: 'value_error',
  loc,
  msg: 'Value error, auto_call_rate derives the call rate from the time left until expires_on, so it requires expires_on',
  input,
})

/**
 * The form field `delete_reason`. Only a form body carries it (a JSON body is a missing field, as
 * for FastAPI's Form parameters), and an empty value counts as missing, as FastAPI treats forms.
 */
function readDeleteReason(request: ApiRequest): string {
  const isForm = request.contentType === 'application/x-www-form-urlencoded'
  const fields = isForm && request.body !== null && typeof request.body === 'object' ? (request.body as Record<string, string>) : {}
  const present = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== ''))
  return validateDeleteForm(present).delete_reason
}

function createBatch(request: ApiRequest, { store, clock, actor }: PlatformContext) {
  const input = validateBatchInput(request.body)
  const problems: ValidationEntry[] = []
  const expiresOn = storedExpiry(input.expires_on, problems)
  if (input.auto_call_rate === true && expiresOn === null && problems.length === 0) {
    problems.push(autoCallRateNeedsExpiry(['body', 'auto_call_rate'], true))
  }
  rejectIf(problems)

  const state = store.state.syllable
  // An unknown campaign is a 404, as for every other route that names one.
  findCampaign(state, input.campaign_id)
  const existing = ownEntry(state.batches, input.batch_id)
  if (existing) {
    const note = existing.deleted_at === null ? '' : ' (a deleted batch keeps its id)'
    throw new ApiError(409, `Batch ${input.batch_id} already exists${note}`)
  }
  const now = clock.nowIso()
  const batch: StoredBatch = {
    batch_id: input.batch_id,
    campaign_id: input.campaign_id,
    sequence: state.next_batch_sequence++,
    expires_on: expiresOn,
    paused: input.paused ?? null,
    call_rate: input.call_rate ?? null,
    auto_call_rate: input.auto_call_rate ?? false,
    created_at: now,
    last_updated_at: now,
    last_updated_by: actor,
    deleted_at: null,
    deleted_reason: null,
    requests: [],
  }
  putEntry(state.batches, batch.batch_id, batch)
  liveBatches(store).insert(batch)
  store.changed('syllable', 'next_batch_sequence')
  store.changed('syllable', 'batches', batch.batch_id)
  return ok(batchResponse(batch, clock.now()), true)
}

/**
 * A partial update: only the setters present in the body change (an explicit null clears paused,
 * expires_on or call_rate; a null auto_call_rate leaves it as is, since it is never null). The
 * seed's extra fields are accepted: batch_id / campaign_id must match, last_updated_by is recorded.
 */
function updateBatch(request: ApiRequest, { store, clock, actor }: PlatformContext) {
  const { batchId, body } = readBatchRequest(request, validateBatchUpdate)
  const current = findLiveBatch(store.state.syllable, batchId)
  const problems: ValidationEntry[] = []
  if (body.batch_id !== undefined && body.batch_id !== current.batch_id) {
    problems.push({ type: 'value_error', loc: ['body', 'batch_id'], msg: 'Value error, batch_id cannot be changed', input: body.batch_id })
  }
  if (body.campaign_id !== undefined && body.campaign_id !== current.campaign_id) {
    problems.push({ type: 'value_error', loc: ['body', 'campaign_id'], msg: 'Value error, campaign_id cannot be changed', input: body.campaign_id })
  }
  const updated: StoredBatch = { ...current }
  if ('paused' in body) updated.paused = body.paused ?? null
  if ('expires_on' in body) updated.expires_on = storedExpiry(body.expires_on, problems)
  if ('call_rate' in body) updated.call_rate = body.call_rate ?? null
  if (typeof body.auto_call_rate === 'boolean') updated.auto_call_rate = body.auto_call_rate
  if (updated.auto_call_rate && updated.expires_on === null && problems.length === 0) {
    const loc = 'auto_call_rate' in body ? ['body', 'auto_call_rate'] : ['body', 'expires_on']
    problems.push(autoCallRateNeedsExpiry(loc, 'auto_call_rate' in body ? body.auto_call_rate : body.expires_on))
  }
  rejectIf(problems)

  updated.last_updated_at = clock.nowIso()
  updated.last_updated_by = typeof body.last_updated_by === 'string' && body.last_updated_by !== '' ? body.last_updated_by : actor
  putEntry(store.state.syllable.batches, batchId, updated)
  liveBatches(store).replace(current, updated)
  store.changed('syllable', 'batches', batchId)
  return ok(batchResponse(updated, clock.now()), true)
}

/** A soft delete: the batch keeps its id (a new batch cannot reuse it) but leaves every read. */
function deleteBatch(request: ApiRequest, { store, clock, actor }: PlatformContext) {
  const reader = new ParameterReader(request)
  const batchId = reader.pathString('batch_id')
  const reason = validateInto(reader, () => readDeleteReason(request))
  reader.done()
  const batch = findLiveBatch(store.state.syllable, batchId)
  const now = clock.nowIso()
  batch.deleted_at = now
  batch.deleted_reason = reason!
  batch.last_updated_at = now
  batch.last_updated_by = actor
  liveBatches(store).remove(batch)
  store.changed('syllable', 'batches', batchId)
  return ok(batchResponse(batch, clock.now()), true)
}

/**
 * Adds one request. A reference_id or target already in the batch is stored with request_status
 * DUPLICATE rather than refused: the platform keeps and reports duplicates (RequestStatus and
 * status_counts have DUPLICATE), and its dialer de-duplicates by target number.
 */
function addRequest(request: ApiRequest, { store, clock }: PlatformContext) {
  const { batchId, body } = readBatchRequest(request, validateRequestInput)
  const batch = findLiveBatch(store.state.syllable, batchId)
  const repeated = batch.requests.some((r) => r.reference_id === body.reference_id || r.target === body.target)
  const status: RequestStatus = repeated ? 'DUPLICATE' : 'PENDING'
  const stored: StoredRequest = {
    reference_id: body.reference_id,
    target: body.target,
    request_variables: body.request_variables,
    request_status: status,
    created_at: clock.nowIso(),
  }
  batch.requests.push(stored)
  // Only the new request is journaled: a batch may hold many.
  store.changed('syllable', 'batches', batchId, 'requests', String(batch.requests.length - 1))
  return ok(resultRow(stored), true)
}

/** Removes every request with one of the listed reference ids; unknown ids are ignored. */
function removeRequests(request: ApiRequest, { store }: PlatformContext) {
  const { batchId, body } = readBatchRequest(request, validateReferenceIds)
  const batch = findLiveBatch(store.state.syllable, batchId)
  const doomed = new Set(body)
  const before = batch.requests.length
  batch.requests = batch.requests.filter((r) => !doomed.has(r.reference_id))
  const removed = before - batch.requests.length
  if (removed > 0) store.changed('syllable', 'batches', batchId, 'requests')
  return ok({ removed }, removed > 0)
}

/**
 * The batch's requests as result rows. The filters are free strings in the spec: reference_id
 * matches exactly; status (against request_status) and insights_status ignore case.
 */
function batchResults(request: ApiRequest, { store }: PlatformContext) {
  const reader = new ParameterReader(request)
  const batchId = reader.pathString('batch_id')
  const referenceId = reader.queryString('reference_id')
  const status = reader.queryString('status')?.toLowerCase()
  const insightsStatus = reader.queryString('insights_status')?.toLowerCase()
  reader.done()
  const requests = findLiveBatch(store.state.syllable, batchId)
    .requests.filter((r) => referenceId === undefined || r.reference_id === referenceId)
    .filter((r) => status === undefined || r.request_status.toLowerCase() === status)
  // The sandbox never runs insights: every row's insights_status is null, so that filter matches nothing.
  return ok(insightsStatus === undefined ? requests.map(resultRow) : [])
}

/** The batches not deleted, in creation order (the default order of the list), kept up to date by every change. */
function liveBatches(store: SandboxStore): OrderedRecords<StoredBatch> {
  return store.derived('syllable.live batches by sequence', (state) => {
    const live = Object.values(state.syllable.batches).filter((batch) => batch.deleted_at === null)
    return new OrderedRecords(live, (a, b) => a.sequence - b.sequence)
  })
}

function getBatch(request: ApiRequest, { store, clock }: PlatformContext) {
  const batchId = new ParameterReader(request).pathString('batch_id')
  return ok(batchDetailsResponse(findLiveBatch(store.state.syllable, batchId), clock.now()))
}

function listBatches(request: ApiRequest, { store, clock }: PlatformContext) {
  const query = readListQuery(request, BATCH_LISTING)
  const now = clock.now()
  return ok(listPage(liveBatches(store).all, (batch) => batchResponse(batch, now), query, BATCH_LISTING))
}

export const batchRoutes: RouteDefinition<PlatformContext>[] = [
  { method: 'GET', template: BATCHES_PATH, handler: listBatches },
  { method: 'POST', template: BATCHES_PATH, handler: createBatch },
  { method: 'GET', template: BATCH_PATH, handler: getBatch },
  { method: 'PUT', template: BATCH_PATH, handler: updateBatch },
  { method: 'DELETE', template: BATCH_PATH, handler: deleteBatch },
  {
    method: 'POST',
    template: `${BATCH_PATH}/upload_batch`,
    handler: () => {
      throw new ApiError(501, 'upload_batch (CSV upload) is not emulated by the sandbox; add requests one by one with POST /api/v1/outbound/batches/{batch_id}/requests')
    },
  },
  { method: 'GET', template: `${BATCH_PATH}/results`, handler: batchResults },
  { method: 'POST', template: `${BATCH_PATH}/requests`, handler: addRequest },
  { method: 'POST', template: `${BATCH_PATH}/remove-requests`, handler: removeRequests },
]
