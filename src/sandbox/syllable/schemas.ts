/**
 * JSON Schemas of the Syllable request bodies, written from the published spec's components.schemas.
 * Nullable fields use `type: [T, 'null']` rather than the spec's `anyOf`, so that one bad value gives
 * one pydantic-style error instead of one per branch. Unknown properties are allowed (and ignored),
 * as pydantic models do by default.
 */
import {
  CHANNEL_MANAGER_STATUSES,
  DAYS_OF_WEEK,
  FILTER_OPS,
  LINE_TYPE_BUCKETS,
  TARGET_FILTER_MATCHES,
  TARGET_FILTER_ON_UNKNOWN,
  VOICEMAIL_DETECTION_MODES,
} from './enums.js'

const nullable = (type: string, extra: object = {}) => ({ type: [type, 'null'], ...extra })
const stringMap = { type: 'object', additionalProperties: { type: 'string' } }
const nullableEnum = (values: readonly string[]) => ({ enum: [...values, null] })
const dateTime = { type: ['string', 'null'], format: 'date-time' }
const rate = nullable('integer', { minimum: 1, maximum: 3600 })

const voicemailDetectionConfig = {
  type: ['object', 'null'],
  properties: {
    mode: nullableEnum(VOICEMAIL_DETECTION_MODES),
    voicemail_detection_overall_timeout: nullable('number'),
    voicemail_detection_pre_speech_timeout: nullable('number'),
    voicemail_detection_post_speech_timeout: nullable('number'),
    voicemail_detection_speech_threshold: nullable('number'),
    voicemail_detection_v2_pre_speech_timeout: nullable('number'),
  },
}

const targetFilters = {
  type: ['object', 'null'],
  properties: {
    match: { enum: TARGET_FILTER_MATCHES },
    on_unknown: { enum: TARGET_FILTER_ON_UNKNOWN },
    rules: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'op'],
        properties: {
          field: { type: 'string' },
          op: { enum: FILTER_OPS },
          values: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
}

const webhookInput = {
  type: 'object',
  required: ['trigger_statuses', 'url', 'request_method'],
  properties: {
    trigger_statuses: { type: 'array', items: { enum: CHANNEL_MANAGER_STATUSES } },
    url: { type: 'string' },
    request_method: { type: 'string' },
    id: nullable('integer'),
    auth_values: { type: ['object', 'null'], additionalProperties: { type: ['string', 'null'] } },
  },
}

/** OutboundCampaignInput: the body of campaign create and of the full-replacement PUT. */
export const OUTBOUND_CAMPAIGN_INPUT = {
  type: 'object',
  required: ['campaign_name', 'campaign_variables', 'caller_id', 'active_days'],
  properties: {
    campaign_name: { type: 'string' },
    description: nullable('string'),
    mode: nullable('string'),
    sms_session_ttl: nullable('integer'),
    label: nullable('string'),
    labels: nullable('array', { items: { type: 'string' } }),
    campaign_variables: stringMap,
    daily_start_time: nullable('string'),
    daily_end_time: nullable('string'),
    source: nullable('string'),
    // The spec types it string|null; the seed document's example sends a bare number.
    caller_id: { type: ['string', 'integer', 'null'] },
    hourly_rate: { type: 'integer', minimum: 1, maximum: 3600 },
    max_daily_calls: nullable('integer'),
    retry_count: { type: 'integer' },
    retry_interval: nullable('string'),
    active_days: { type: 'array', items: { enum: DAYS_OF_WEEK } },
    voicemail_detection: voicemailDetectionConfig,
    allowed_line_types: nullable('array', { items: { enum: LINE_TYPE_BUCKETS } }),
    include_unknown_line_types: { type: 'boolean' },
    target_filters: targetFilters,
    webhooks: { type: 'array', items: webhookInput },
  },
} as const

/** CommunicationBatchInput: the body of batch create (`auto_call_rate` is in the newer spec only). */
export const COMMUNICATION_BATCH_INPUT = {
  type: 'object',
  required: ['batch_id', 'campaign_id'],
  properties: {
    batch_id: { type: 'string', minLength: 1 },
    campaign_id: { type: 'integer' },
    expires_on: dateTime,
    paused: nullable('boolean'),
    call_rate: rate,
    auto_call_rate: { type: 'boolean' },
  },
} as const

/**
 * CommunicationBatchUpdate (partial), widened to the seed document's body, which carries the whole
 * CommunicationBatch: `batch_id`, `campaign_id` and `last_updated_by` are checked or used, the rest
 * of the seed's fields (count, status, created_at, …) are not setters and are ignored.
 */
export const COMMUNICATION_BATCH_UPDATE = {
  type: 'object',
  properties: {
    paused: nullable('boolean'),
    expires_on: dateTime,
    call_rate: rate,
    auto_call_rate: nullable('boolean'),
    batch_id: { type: 'string' },
    campaign_id: { type: 'integer' },
    last_updated_by: nullable('string'),
  },
} as const

/** CommunicationRequest: one target added to a batch. */
export const COMMUNICATION_REQUEST = {
  type: 'object',
  required: ['reference_id', 'target', 'request_variables'],
  properties: {
    reference_id: { type: 'string' },
    target: { type: 'string' },
    request_variables: stringMap,
  },
} as const

/** The body of remove-requests: a JSON list of reference ids. */
export const REFERENCE_IDS = { type: 'array', items: { type: 'string' } } as const

/** Body_outbound_batch_delete (a form body). */
export const BATCH_DELETE_FORM = {
  type: 'object',
  required: ['delete_reason'],
  properties: { delete_reason: { type: 'string' } },
} as const
