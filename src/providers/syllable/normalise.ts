/**
 * Live Syllable objects and file specs, both brought to the file's shape so that the planner's
 * diff is empty exactly when nothing needs to change. Pure functions: values in, values out.
 *
 * The two sides differ in one respect: a live object is normalised whole (every field of the file
 * format, server defaults filled in), while a desired spec keeps only the fields the file declares,
 * because a field the file leaves out is not managed and must not appear as a change.
 */
import type { Spec } from '../../model/plan.js'
import { isRecord } from '../../model/values.js'
import {
  HMAC_SECRET,
  canonicalCallerId,
  canonicalClockTime,
  canonicalInstant,
  canonicalLabels,
  canonicalLineTypes,
  canonicalRequestMethod,
  canonicalSet,
  canonicalTargetFilters,
  canonicalVariables,
  canonicalVoicemailDetection,
  canonicalWeekdays,
  isDeclaredSecret,
  secretPresent,
} from './canonical.js'

type Canonicaliser = (value: unknown) => unknown

const orNull: Canonicaliser = (value) => (value === undefined ? null : value)
const withDefault =
  (fallback: unknown): Canonicaliser =>
  (value) =>
    value === undefined || value === null ? fallback : value

const hourlyRateOrDefault = withDefault(1)
const retryCountOrDefault = withDefault(0)
const includeUnknownLineTypesOrDefault = withDefault(true)

/**
 * Every campaign field of the file format except the label pair and webhooks (handled apart), with
 * the canonical form of its value; the same function serves both sides. Server defaults (hourly_rate
 * 1, retry_count 0, include_unknown_line_types true) stand in for a missing value.
 */
export const CAMPAIGN_FIELDS: Readonly<Record<string, Canonicaliser>> = {
  campaign_name: orNull,
  description: orNull,
  mode: orNull,
  sms_session_ttl: orNull,
  campaign_variables: canonicalVariables,
  daily_start_time: canonicalClockTime,
  daily_end_time: canonicalClockTime,
  source: orNull,
  caller_id: canonicalCallerId,
  hourly_rate: hourlyRateOrDefault,
  max_daily_calls: orNull,
  retry_count: retryCountOrDefault,
  retry_interval: orNull,
  active_days: (value) => canonicalWeekdays(value ?? []),
  voicemail_detection: canonicalVoicemailDetection,
  allowed_line_types: canonicalLineTypes,
  include_unknown_line_types: includeUnknownLineTypesOrDefault,
  target_filters: canonicalTargetFilters,
}

/**
 * A live OutboundCampaign in the file's shape: CAMPAIGN_FIELDS in their order, each through its
 * canonical form, then the label pair and the webhooks. Only the format's fields are read, so
 * everything the server owns (id, agent_id, created_at, updated_at, last_updated_by, webhook ids)
 * stays out. Written out field by field rather than looped over the table: a list holds thousands
 * of campaigns, and named fields are several times faster to read and write than looked-up ones
 * (a test holds this to the table, field for field).
 */
export function normaliseLiveCampaign(raw: unknown): Spec {
  const campaign = isRecord(raw) ? raw : {}
  return {
    campaign_name: orNull(campaign.campaign_name),
    description: orNull(campaign.description),
    mode: orNull(campaign.mode),
    sms_session_ttl: orNull(campaign.sms_session_ttl),
    campaign_variables: canonicalVariables(campaign.campaign_variables),
    daily_start_time: canonicalClockTime(campaign.daily_start_time),
    daily_end_time: canonicalClockTime(campaign.daily_end_time),
    source: orNull(campaign.source),
    caller_id: canonicalCallerId(campaign.caller_id),
    hourly_rate: hourlyRateOrDefault(campaign.hourly_rate),
    max_daily_calls: orNull(campaign.max_daily_calls),
    retry_count: retryCountOrDefault(campaign.retry_count),
    retry_interval: orNull(campaign.retry_interval),
    active_days: canonicalWeekdays(campaign.active_days ?? []),
    voicemail_detection: canonicalVoicemailDetection(campaign.voicemail_detection),
    allowed_line_types: canonicalLineTypes(campaign.allowed_line_types),
    include_unknown_line_types: includeUnknownLineTypesOrDefault(campaign.include_unknown_line_types),
    target_filters: canonicalTargetFilters(campaign.target_filters),
    labels: canonicalLabels(campaign.labels, campaign.label),
    webhooks: Array.isArray(campaign.webhooks) ? campaign.webhooks.map(normaliseLiveWebhook) : [],
  }
}

/** A SyllableCampaign spec from a file, in the same shape (only the fields it declares). */
export function normaliseDesiredCampaign(spec: Spec): Spec {
  const out: Spec = {}
  for (const field of Object.keys(spec)) {
    const value = spec[field]
    if (field === 'label' || field === 'labels') continue
    const canonical = CAMPAIGN_FIELDS[field]
    if (canonical) out[field] = canonical(value)
    else if (field === 'webhooks') out.webhooks = Array.isArray(value) ? value.map(normaliseDesiredWebhook) : []
    // Not a field of the format (the schema forbids it): shown as is rather than hidden.
    else out[field] = value
  }
  // Declaring either of the pair manages the campaign's labels as a whole.
  if ('label' in spec || 'labels' in spec) out.labels = canonicalLabels(spec.labels, spec.label)
  return out
}

/**
 * A live webhook: the server's `id` dropped, and the write-only secret, echoed only as a key name
 * in `auth_value_keys`, turned into the presence marker. No secret: no `auth_values` key.
 */
export function normaliseLiveWebhook(raw: unknown): Spec {
  const webhook = isRecord(raw) ? raw : {}
  const out = webhookBase(webhook)
  if (Array.isArray(webhook.auth_value_keys) && webhook.auth_value_keys.includes(HMAC_SECRET)) out.auth_values = secretPresent()
  return out
}

/** A desired webhook: a declared hmac_secret (a SecretValue) becomes the presence marker. */
export function normaliseDesiredWebhook(raw: unknown): Spec {
  const webhook = isRecord(raw) ? raw : {}
  const out = webhookBase(webhook)
  if (isRecord(webhook.auth_values) && isDeclaredSecret(webhook.auth_values[HMAC_SECRET])) out.auth_values = secretPresent()
  return out
}

function webhookBase(webhook: Record<string, unknown>): Spec {
  return {
    url: webhook.url,
    request_method: canonicalRequestMethod(webhook.request_method),
    trigger_statuses: canonicalSet(webhook.trigger_statuses ?? []),
  }
}

/** The batch setters, with the canonical form of each (the same on both sides). */
const BATCH_SETTERS: Record<string, Canonicaliser> = {
  expires_on: canonicalInstant,
  // A batch that was never put on hold reads paused: null; it dials, exactly like paused: false.
  paused: withDefault(false),
  call_rate: orNull,
  auto_call_rate: withDefault(false),
}

/** The fields a batch update can change (CommunicationBatchUpdate). */
export const BATCH_SETTER_FIELDS: readonly string[] = Object.keys(BATCH_SETTERS)
const BATCH_SETTER_ENTRIES = Object.entries(BATCH_SETTERS)

/** How a live batch names a campaign the campaign list does not know (never a real campaign_name). */
export function unknownCampaignName(campaignId: unknown): string {
  return `(unknown campaign id ${String(campaignId)})`
}

/**
 * A live CommunicationBatch in the file's shape: `campaign_id` becomes `campaign: <campaign_name>`
 * through the live campaigns, and everything the server owns (status, counts, timestamps, upload
 * and deletion details, the auto-call-rate baseline) is left out.
 */
export function normaliseLiveBatch(raw: unknown, campaignNameById: ReadonlyMap<number, string>): Spec {
  const batch = isRecord(raw) ? raw : {}
  const campaignId = Number(batch.campaign_id)
  const spec: Spec = {
    batch_id: batch.batch_id,
    campaign: campaignNameById.get(campaignId) ?? unknownCampaignName(batch.campaign_id),
  }
  for (const [field, canonical] of BATCH_SETTER_ENTRIES) spec[field] = canonical(batch[field])
  return spec
}

/** A SyllableBatch spec from a file, in the same shape (only the fields it declares). */
export function normaliseDesiredBatch(spec: Spec): Spec {
  const out: Spec = {}
  for (const field of Object.keys(spec)) {
    const canonical = BATCH_SETTERS[field]
    out[field] = canonical ? canonical(spec[field]) : spec[field]
  }
  return out
}
