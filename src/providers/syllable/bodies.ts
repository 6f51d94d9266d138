/**
 * Request bodies for the Syllable writes. These are the only functions of the provider that may
 * reveal a webhook secret, and only into a body that goes straight to the API.
 */
import type { Spec } from '../../model/plan.js'
import { isSecretReference, isSecretValue } from '../../model/secret.js'
import type { ApiBatch, ApiCampaign, ApiWebhook } from './api.js'
import { isRecord } from '../../model/values.js'
import {
  HMAC_SECRET,
  canonicalCallerId,
  canonicalClockTime,
  canonicalInstant,
  canonicalVoicemailDetection,
  canonicalWeekdays,
  isDeclaredSecret,
} from './canonical.js'
import { normaliseDesiredBatch } from './normalise.js'

type Body = Record<string, unknown>

/**
 * Fields of a live campaign that a PUT must not carry back: what the server owns, and what has its
 * own rules below (the label pair, webhooks). Every other live field is carried back, including
 * fields this version of cac does not know, so that a newer platform setting is not reset by a
 * full replacement (the API ignores keys it does not take, as pydantic models do).
 */
const NOT_CARRIED = new Set(['id', 'agent_id', 'created_at', 'updated_at', 'last_updated_by', 'label', 'labels', 'webhooks'])

/** Input fields that are not nullable: a null read back is left out so the server applies its default. */
const NOT_NULLABLE = new Set(['hourly_rate', 'retry_count', 'include_unknown_line_types', 'campaign_variables', 'active_days'])

/**
 * A value as sent: the forms the API documents (caller_id as text, "HH:MM:SS", weekdays once each
 * in week order), and voicemail detection without null keys (the API lists every key it knows, null
 * where unset; sending those back would store nulls where nothing was). Everything else as is.
 */
function wireValue(field: string, value: unknown): unknown {
  switch (field) {
    case 'caller_id':
      return canonicalCallerId(value)
    case 'daily_start_time':
    case 'daily_end_time':
      return canonicalClockTime(value)
    case 'active_days':
      return canonicalWeekdays(value)
    case 'voicemail_detection':
      return canonicalVoicemailDetection(value)
    default:
      return value
  }
}

/** The four keys OutboundCampaignInput requires, present even when a value is missing. */
function withRequiredKeys(body: Body): Body {
  body.campaign_variables ??= {}
  if (!('caller_id' in body)) body.caller_id = null
  body.active_days ??= []
  return body
}

/** POST body of a new campaign: the declared fields (defaults are the server's), secrets revealed. */
export function campaignCreateBody(desired: Spec): Body {
  const body: Body = {}
  for (const [field, value] of Object.entries(desired)) {
    if (field === 'webhooks') continue
    body[field] = wireValue(field, value)
  }
  if (Array.isArray(desired.webhooks)) body.webhooks = desired.webhooks.map((webhook) => desiredWebhookBody(webhook, undefined))
  return withRequiredKeys(body)
}

/**
 * PUT body of a campaign update. The PUT replaces the whole campaign, so it carries every declared
 * field plus the live value of every optional field the file leaves out: what the file does not
 * manage stays as it is.
 */
export function campaignUpdateBody(desired: Spec, live: ApiCampaign): Body {
  const body: Body = {}
  for (const [field, value] of Object.entries(live)) {
    if (NOT_CARRIED.has(field) || value === undefined || (value === null && NOT_NULLABLE.has(field))) continue
    body[field] = wireValue(field, value)
  }
  for (const [field, value] of Object.entries(desired)) {
    if (!NOT_CARRIED.has(field)) body[field] = wireValue(field, value)
  }
  Object.assign(body, labelPairBody(desired, live))
  body.webhooks = updateWebhooksBody(desired, live)
  return withRequiredKeys(body)
}

/**
 * `label` (deprecated) and `labels` are one setting: labels win when not empty, otherwise label
 * counts as labels [label]. When the file declares one of the two, the other is sent so that the
 * result reads back as the file says: the live label is kept only while non-empty labels make it
 * irrelevant, and live labels are cleared when the file speaks through label alone.
 */
function labelPairBody(desired: Spec, live: ApiCampaign): Body {
  const declaresLabels = 'labels' in desired
  const declaresLabel = 'label' in desired
  if (!declaresLabels && !declaresLabel) return definedOnly({ labels: live.labels, label: live.label })
  if (declaresLabels && declaresLabel) return { labels: desired.labels, label: desired.label }
  if (declaresLabel) return { labels: null, label: desired.label }
  const labelsDecide = Array.isArray(desired.labels) && desired.labels.length > 0
  return { labels: desired.labels, label: labelsDecide ? (live.label ?? null) : null }
}

/**
 * Webhooks of a PUT. Declared webhooks are matched to live ones by URL, and a match keeps its `id`
 * (so the platform updates that webhook instead of replacing it). Undeclared webhooks are sent back
 * as they are, with `hmac_secret: null`, which keeps a stored secret.
 */
function updateWebhooksBody(desired: Spec, live: ApiCampaign): Body[] {
  const liveWebhooks = live.webhooks ?? []
  if (!('webhooks' in desired)) return liveWebhooks.map(keptWebhookBody)
  const unclaimed = [...liveWebhooks]
  const declared = Array.isArray(desired.webhooks) ? desired.webhooks : []
  return declared.map((webhook) => {
    const url = isRecord(webhook) ? webhook.url : undefined
    const index = unclaimed.findIndex((candidate) => candidate.url === url)
    const match = index === -1 ? undefined : unclaimed.splice(index, 1)[0]
    return desiredWebhookBody(webhook, match)
  })
}

function keptWebhookBody(webhook: ApiWebhook): Body {
  const body: Body = {
    id: webhook.id,
    url: webhook.url,
    request_method: webhook.request_method,
    trigger_statuses: webhook.trigger_statuses,
  }
  if (hasStoredSecret(webhook)) body.auth_values = { [HMAC_SECRET]: null }
  return body
}

/**
 * A declared webhook as sent. Its secret: null when the matched live webhook already stores one
 * (the API keeps it), the revealed value when there is none yet, and no auth_values at all when the
 * file declares no secret (the API then removes a stored one).
 */
function desiredWebhookBody(webhook: unknown, match: ApiWebhook | undefined): Body {
  const declared = isRecord(webhook) ? webhook : {}
  const body: Body = {}
  if (match) body.id = match.id
  body.url = declared.url
  body.request_method = declared.request_method
  body.trigger_statuses = declared.trigger_statuses ?? []
  const secret = isRecord(declared.auth_values) ? declared.auth_values[HMAC_SECRET] : undefined
  if (isDeclaredSecret(secret)) {
    body.auth_values = { [HMAC_SECRET]: match && hasStoredSecret(match) ? null : revealSecret(secret) }
  }
  return body
}

function hasStoredSecret(webhook: ApiWebhook): boolean {
  return Array.isArray(webhook.auth_value_keys) && webhook.auth_value_keys.includes(HMAC_SECRET)
}

/** The secret's value for a request body. The error names the variable, never a value. */
function revealSecret(secret: unknown): string {
  if (isSecretValue(secret)) return secret.reveal()
  if (typeof secret === 'string') return secret
  if (isSecretReference(secret)) throw new Error(`webhook hmac_secret from \${env:${secret.$env}} was not resolved before apply`)
  throw new Error('webhook hmac_secret is not a secret value')
}

function definedOnly(body: Body): Body {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined))
}

/** POST body of a new batch: its id, its campaign's id, and the declared setters. */
export function batchCreateBody(desired: Spec, campaignId: number): Body {
  const body: Body = { batch_id: desired.batch_id, campaign_id: campaignId }
  for (const field of ['expires_on', 'paused', 'call_rate', 'auto_call_rate']) {
    if (field in desired) body[field] = field === 'expires_on' ? canonicalInstant(desired[field]) : desired[field]
  }
  return body
}

/**
 * PUT body of a batch update, as the seed documents it: batch_id, campaign_id and last_updated_by,
 * plus only the setters that change (the update is partial: what is left out stays).
 */
export function batchUpdateBody(desired: Spec, live: ApiBatch, campaignId: number, actor: string, changed: readonly string[]): Body {
  const wanted = normaliseDesiredBatch(desired)
  const body: Body = { batch_id: live.batch_id, campaign_id: campaignId, last_updated_by: actor }
  for (const field of changed) if (field in wanted) body[field] = wanted[field]
  return body
}
