import type { Loc, ValidationEntry } from '../request-validation.js'
import { HMAC_SECRET_KEY } from './enums.js'
import type { StoredWebhook } from './state.js'

/** A webhook as the request body carries it (already schema-checked). */
export interface WebhookInput {
  trigger_statuses: string[]
  url: string
  request_method: string
  id?: number | null
  auth_values?: Record<string, string | null> | null
}

/** What a secret looks like wherever the sandbox would otherwise echo it. */
export const REDACTED = '**********'

const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const HMAC_MIN_BYTES = 32
const HMAC_MAX_BYTES = 512

/**
 * Why an hmac_secret is unusable, or undefined when it is fine: standard Base64 (RFC 4648, padded)
 * of 32–512 bytes. Written here rather than shared with the CLI's own check on purpose: the emulator
 * stands for the platform, so a mistake in the client's rule must not be mirrored by the server.
 */
function hmacSecretProblem(value: string): string | undefined {
  if (value === '' || !STANDARD_BASE64.test(value)) return 'hmac_secret must be standard Base64 (RFC 4648)'
  const bytes = Buffer.from(value, 'base64').length
  if (bytes < HMAC_MIN_BYTES || bytes > HMAC_MAX_BYTES) {
    return `hmac_secret must decode to ${HMAC_MIN_BYTES}-${HMAC_MAX_BYTES} bytes of key material, not ${bytes}`
  }
  return undefined
}

const secretError = (loc: Loc, message: string): ValidationEntry => ({
  type: 'value_error',
  loc,
  msg: `Value error, ${message}`,
  input: REDACTED,
})

/**
 * The auth value keys a webhook keeps after this request: a string sets the value (checked), null
 * keeps the stored one (which must exist), and a key left out removes it.
 */
function reconcileAuthValueKeys(
  authValues: Record<string, string | null> | null | undefined,
  stored: StoredWebhook | undefined,
  loc: Loc,
  problems: ValidationEntry[],
): string[] {
  const keys: string[] = []
  for (const [key, value] of Object.entries(authValues ?? {})) {
    const valueLoc = [...loc, 'auth_values', key]
    if (key !== HMAC_SECRET_KEY) {
      problems.push(secretError(valueLoc, `only the key "${HMAC_SECRET_KEY}" is allowed in auth_values`))
      continue
    }
    if (value === null) {
      if (!stored?.auth_value_keys.includes(key)) {
        problems.push(secretError(valueLoc, `${key} is null but no value is stored to keep; send the value`))
        continue
      }
    } else {
      const problem = hmacSecretProblem(value)
      if (problem) {
        problems.push(secretError(valueLoc, problem))
        continue
      }
    }
    keys.push(key)
  }
  return keys
}

export interface WebhookReconciliation {
  webhooks: StoredWebhook[]
  problems: ValidationEntry[]
}

/**
 * The webhooks a campaign has after a create or a full-replacement PUT. Entries with an `id` of
 * this campaign update that webhook, entries without one are new (on create every entry is new,
 * whatever it carries), and stored webhooks the body leaves out are deleted.
 *
 * An `id` that is not one of this campaign's webhooks (or is listed twice) is a 422 on that entry:
 * the body is what is wrong, and 422 is the one error the SDKs parse into fields.
 */
export function reconcileWebhooks(
  inputs: WebhookInput[],
  stored: StoredWebhook[] | undefined,
  allocateId: () => number,
): WebhookReconciliation {
  const problems: ValidationEntry[] = []
  const byId = new Map((stored ?? []).map((webhook) => [webhook.id, webhook]))
  const claimed = new Set<number>()
  const planned: { input: WebhookInput; previous: StoredWebhook | undefined; authKeys: string[] }[] = []

  inputs.forEach((input, index) => {
    const loc: Loc = ['body', 'webhooks', index]
    const requestedId = stored === undefined ? undefined : (input.id ?? undefined)
    let previous: StoredWebhook | undefined
    if (requestedId !== undefined) {
      previous = byId.get(requestedId)
      if (!previous || claimed.has(requestedId)) {
        const reason = previous ? 'is listed more than once' : 'is not a webhook of this campaign'
        problems.push({ type: 'value_error', loc: [...loc, 'id'], msg: `Value error, webhook ${requestedId} ${reason}`, input: requestedId })
        return
      }
      claimed.add(requestedId)
    }
    planned.push({ input, previous, authKeys: reconcileAuthValueKeys(input.auth_values, previous, loc, problems) })
  })

  if (problems.length > 0) return { webhooks: [], problems }
  // Ids are allocated only once the whole body is known to be valid, so a rejected request uses none.
  const webhooks = planned.map(({ input, previous, authKeys }) => ({
    id: previous?.id ?? allocateId(),
    trigger_statuses: [...input.trigger_statuses],
    url: input.url,
    request_method: input.request_method,
    auth_value_keys: authKeys,
  }))
  return { webhooks, problems }
}

/** OutboundCampaignWebhookResponse: the auth value keys that are set, never their values. */
export function webhookResponse(webhook: StoredWebhook): Record<string, unknown> {
  return {
    trigger_statuses: [...webhook.trigger_statuses],
    url: webhook.url,
    request_method: webhook.request_method,
    id: webhook.id,
    auth_value_keys: webhook.auth_value_keys.length > 0 ? [...webhook.auth_value_keys] : null,
  }
}

/**
 * A copy of a value with everything under an `auth_values` key replaced, for the `input` echoes of
 * 422 answers: the framework redacts the paths it is told about, this also covers a body whose shape
 * is so wrong that the secret sits somewhere unexpected (e.g. `webhooks` sent as an object).
 */
export function withoutSecrets(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(withoutSecrets)
  const copy: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    let safe: unknown
    if (key === 'auth_values') safe = redactAuthValues(item)
    else if (key === HMAC_SECRET_KEY) safe = item === null ? null : REDACTED
    else safe = withoutSecrets(item)
    Object.defineProperty(copy, key, { value: safe, enumerable: true, writable: true, configurable: true })
  }
  return copy
}

/** Keeps the shape of an auth_values object (its keys and nulls), hides every value. */
function redactAuthValues(authValues: unknown): unknown {
  if (authValues === null) return null
  if (typeof authValues !== 'object' || Array.isArray(authValues)) return REDACTED
  return Object.fromEntries(Object.entries(authValues).map(([key, value]) => [key, value === null ? null : REDACTED]))
}
