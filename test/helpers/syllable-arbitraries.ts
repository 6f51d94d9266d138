import fc from 'fast-check'

import type { Spec } from '../../src/model/plan.js'
import { SecretValue } from '../../src/model/secret.js'

/** Arbitraries of valid SyllableCampaign specs (the property tests check them against the schema too). */
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export const LINE_TYPES = ['mobile', 'landline', 'voip'] as const
export const STATUSES = ['COMPLETED', 'NO-ANSWER', 'BUSY', 'FAILED', 'IN-PROGRESS', 'CANCELED', 'DELIVERED', 'MACHINE', 'HUMAN'] as const
export const FILTER_OPS = ['in', 'not_in', 'eq', 'neq', 'exists', 'not_exists'] as const

// --- arbitraries of valid SyllableCampaign specs (they are checked against the schema too) -------

export const shortText = fc.stringMatching(/^[A-Za-z0-9 .,'-]{0,16}$/)
export const nullable = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.oneof(fc.constant(null), arb)

/** Clock times in every form a file may use: "9:05", "09:05", "09:05:30". */
export const clockTime = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fc.constantFrom('h:mm', 'hh:mm', 'hh:mm:ss'))
  .map(([h, m, s, form]) => {
    const mm = String(m).padStart(2, '0')
    if (form === 'h:mm') return `${h}:${mm}`
    if (form === 'hh:mm') return `${String(h).padStart(2, '0')}:${mm}`
    return `${String(h).padStart(2, '0')}:${mm}:${String(s).padStart(2, '0')}`
  })

export const hmacSecret = fc.uint8Array({ minLength: 32, maxLength: 96 }).map((bytes) => new SecretValue('SYLLABLE_HMAC_SECRET', Buffer.from(bytes).toString('base64')))

export const webhook = fc.record(
  {
    url: fc.constantFrom('a', 'b', 'c', 'd').map((path) => `https://hooks.example.com/${path}`),
    request_method: fc.constantFrom('POST', 'PUT', 'PATCH'),
    trigger_statuses: fc.shuffledSubarray([...STATUSES]),
    auth_values: fc.oneof(fc.record({ hmac_secret: hmacSecret }), fc.constant({})),
  },
  { requiredKeys: ['url', 'request_method', 'trigger_statuses'] },
)

export const targetFilterRule = fc.record(
  {
    field: fc.constantFrom('line_type', 'carrier_name', 'mcc', 'mnc'),
    op: fc.constantFrom(...FILTER_OPS),
    values: fc.array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { maxLength: 3 }),
  },
  { requiredKeys: ['field', 'op'] },
)

export const targetFilters = fc.record(
  { match: fc.constantFrom('all', 'any'), on_unknown: fc.constantFrom('include', 'exclude'), rules: fc.array(targetFilterRule, { maxLength: 3 }) },
  { requiredKeys: [] },
)

export const quarterSeconds = fc.integer({ min: 0, max: 240 }).map((n) => n / 4)
export const voicemailDetection = fc.record(
  {
    mode: nullable(fc.constantFrom('v1', 'v2')),
    voicemail_detection_overall_timeout: nullable(quarterSeconds),
    voicemail_detection_pre_speech_timeout: nullable(quarterSeconds),
    voicemail_detection_post_speech_timeout: nullable(quarterSeconds),
    voicemail_detection_v2_pre_speech_timeout: nullable(quarterSeconds),
  },
  { requiredKeys: [] },
)

/** The optional fields of a campaign, each present or not. */
export const optionalCampaignFields = fc.record(
  {
    description: nullable(shortText),
    mode: nullable(fc.constantFrom('voice', 'sms', 'email')),
    sms_session_ttl: nullable(fc.integer({ min: 0, max: 1440 })),
    label: nullable(fc.stringMatching(/^[a-z]{1,8}$/)),
    labels: nullable(fc.uniqueArray(fc.stringMatching(/^[a-z]{1,8}$/), { maxLength: 3 })),
    daily_start_time: nullable(clockTime),
    daily_end_time: nullable(clockTime),
    source: nullable(fc.constantFrom('+19032900844', 'reminders@example.com')),
    hourly_rate: fc.integer({ min: 1, max: 3600 }),
    max_daily_calls: nullable(fc.integer({ min: 0, max: 5000 })),
    retry_count: fc.integer({ min: 0, max: 10 }),
    retry_interval: nullable(fc.constantFrom('30m', '12h', '7d')),
    voicemail_detection: nullable(voicemailDetection),
    allowed_line_types: nullable(fc.shuffledSubarray([...LINE_TYPES])),
    include_unknown_line_types: fc.boolean(),
    target_filters: nullable(targetFilters),
    webhooks: fc.uniqueArray(webhook, { selector: (w) => w.url, maxLength: 3 }),
  },
  { requiredKeys: [] },
)

export const requiredCampaignFields = fc.record({
  campaign_variables: fc.dictionary(fc.stringMatching(/^[a-z_]{1,8}$/), shortText, { maxKeys: 3 }),
  caller_id: nullable(fc.stringMatching(/^\+?1[0-9]{10}$/)),
  active_days: fc.shuffledSubarray([...DAYS]),
})

export const campaignSpec = fc.tuple(requiredCampaignFields, optionalCampaignFields).map(([required, optional]) => ({ ...required, ...optional }) as Spec)

