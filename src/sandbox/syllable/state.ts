/**
 * Stored shapes of the Syllable outbound emulator: plain JSON, persisted in the state file. Every
 * optional field is stored materialised (defaults applied), so the API representation is a
 * projection of the stored record plus derived fields (batch status, webhook auth keys).
 */

export interface StoredWebhook {
  id: number
  trigger_statuses: string[]
  url: string
  request_method: string
  /**
   * Names of the auth values that are set (only `hmac_secret` exists). The values themselves are
   * write-only on the platform and are never kept here: the state file is plain text on disk.
   */
  auth_value_keys: string[]
}

export interface StoredTargetFilterRule {
  field: string
  op: string
  values: string[]
}

export interface StoredTargetFilters {
  match: string
  on_unknown: string
  rules: StoredTargetFilterRule[]
}

export interface StoredCampaign {
  id: number
  campaign_name: string
  description: string | null
  mode: string | null
  sms_session_ttl: number | null
  label: string | null
  labels: string[] | null
  campaign_variables: Record<string, string>
  daily_start_time: string | null
  daily_end_time: string | null
  source: string | null
  /** As sent: a string, null, or a number (the seed document's example sends one). */
  caller_id: string | null
  hourly_rate: number
  max_daily_calls: number | null
  retry_count: number
  retry_interval: string | null
  active_days: string[]
  voicemail_detection: Record<string, unknown> | null
  allowed_line_types: string[] | null
  include_unknown_line_types: boolean
  target_filters: StoredTargetFilters | null
  agent_id: number | null
  created_at: string
  updated_at: string
  last_updated_by: string
  webhooks: StoredWebhook[]
}

export interface StoredRequest {
  reference_id: string
  target: string
  request_variables: Record<string, string>
  request_status: string
  created_at: string
}

export interface StoredBatch {
  batch_id: string
  campaign_id: number
  /** Creation order: batch ids are client-chosen strings, so they cannot give a stable default order. */
  sequence: number
  expires_on: string | null
  paused: boolean | null
  call_rate: number | null
  auto_call_rate: boolean
  created_at: string
  last_updated_at: string
  last_updated_by: string
  deleted_at: string | null
  deleted_reason: string | null
  requests: StoredRequest[]
}

export interface SyllableState {
  next_campaign_id: number
  next_webhook_id: number
  next_batch_sequence: number
  /** By campaign id (as a string key). */
  campaigns: Record<string, StoredCampaign>
  /** By batch_id, soft-deleted batches included (their ids stay taken). */
  batches: Record<string, StoredBatch>
}

export function emptySyllableState(): SyllableState {
  return { next_campaign_id: 1, next_webhook_id: 1, next_batch_sequence: 1, campaigns: {}, batches: {} }
}

// Records are keyed by client-chosen strings, so `__proto__` or `constructor` are possible keys:
// read only own properties and define (never assign) new ones.

export function ownEntry<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined
}

export function putEntry<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true })
}
