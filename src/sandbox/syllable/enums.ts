/**
 * The closed value sets of the Syllable outbound API (components.schemas of the published spec).
 * Where the two published spec versions differ, the sandbox accepts the union of both.
 */

export const DAYS_OF_WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

export const LINE_TYPE_BUCKETS = ['mobile', 'landline', 'voip'] as const

export const FILTER_OPS = ['in', 'not_in', 'eq', 'neq', 'exists', 'not_exists'] as const

export const TARGET_FILTER_MATCHES = ['all', 'any'] as const

export const TARGET_FILTER_ON_UNKNOWN = ['include', 'exclude'] as const

export const VOICEMAIL_DETECTION_MODES = ['v1', 'v2'] as const

/**
 * Webhook trigger statuses: the spec's ChannelManagerStatus plus `NO_OUTCOME`, which only the newer
 * (Python SDK) spec has.
 */
export const CHANNEL_MANAGER_STATUSES = [
  'PENDING',
  'DUPLICATE',
  'INVALID',
  'UNEXPECTED_ERROR',
  'FILTERED_LINE_TYPE',
  'NO_OUTCOME',
  'PROCESSED',
  'DROPPED',
  'DEFERRED',
  'BOUNCED',
  'DELIVERED',
  'OPENED',
  'CLICKED',
  'SPAM_REPORT',
  'UNSUBSCRIBED',
  'PRIOR_UNSUBSCRIBED',
  'PRIOR_SPAM_REPORT',
  'PRIOR_DROPPED',
  'PRIOR_BOUNCED',
  'SENT',
  'ACCEPTED',
  'QUEUED',
  'SENDING',
  'UNDELIVERED',
  'DELIVERY_UNKNOWN',
  'DELIVERY_FAILED',
  'IN-PROGRESS',
  'BUSY',
  'CANCELED',
  'COMPLETED',
  'DECLINED',
  'NO-ANSWER',
  'MACHINE',
  'HUMAN',
  'UNKNOWN',
  'FAILED',
  'SIP_NOT_FOUND',
  'SIP_TEMPORARILY_UNAVAILABLE',
  'SIP_LOOP_DETECTED',
  'SIP_DOES_NOT_EXIST_ANYWHERE',
] as const

export const BATCH_STATUSES = ['PENDING', 'ACTIVE', 'PAUSED', 'FAILED', 'CANCELED', 'EXPIRED'] as const
export type BatchStatus = (typeof BATCH_STATUSES)[number]

export const REQUEST_STATUSES = [
  'PENDING',
  'DUPLICATE',
  'INITIATED',
  'CONNECTED',
  'COMPLETED',
  'FAILED',
  'CANCELED',
  'INVALID',
  'SKIPPED',
] as const
export type RequestStatus = (typeof REQUEST_STATUSES)[number]

/** The campaign fields a list can search, order by and project (CampaignProperties). */
export const CAMPAIGN_PROPERTIES = [
  'id',
  'campaign_name',
  'campaign_variables',
  'daily_start_time',
  'daily_end_time',
  'source',
  'mode',
  'caller_id',
  'updated_at',
  'label',
  'labels',
  'voicemail_detection',
] as const
export type CampaignProperty = (typeof CAMPAIGN_PROPERTIES)[number]

/** The batch fields a list can search, order by and project (BatchProperties). */
export const BATCH_PROPERTIES = ['batch_id', 'campaign_id', 'status', 'expires_on', 'last_updated_at'] as const
export type BatchProperty = (typeof BATCH_PROPERTIES)[number]

export const ORDER_BY_DIRECTIONS = ['asc', 'desc'] as const
export type OrderByDirection = (typeof ORDER_BY_DIRECTIONS)[number]

/** The only auth value a webhook may carry. */
export const HMAC_SECRET_KEY = 'hmac_secret'
