import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { SENSITIVE, SecretValue } from '../../src/model/secret.js'
import { diffSpecs } from '../../src/model/spec-diff.js'
import { changedSetters } from '../../src/providers/syllable/apply-batch.js'
import { campaignCreateBody, campaignUpdateBody, batchUpdateBody } from '../../src/providers/syllable/bodies.js'
import {
  BATCH_CAMPAIGN_IS_CREATE_ONLY,
  normaliseDesiredBatch,
  normaliseDesiredCampaign,
  normaliseLiveBatch,
  normaliseLiveCampaign,
} from '../../src/providers/syllable/index.js'
import { policyOf } from '../../src/providers/kind-handler.js'
import { CAMPAIGN_FIELDS } from '../../src/providers/syllable/normalise.js'
import { batchHandler, campaignHandler } from '../../src/providers/syllable/index.js'
import { SyllableApi, type ApiBatch, type ApiCampaign } from '../../src/providers/syllable/api.js'
import { HttpClient, type HttpMethod, type HttpResponse, type RequestOptions } from '../../src/http/client.js'
import type { Resource } from '../../src/model/resource.js'

/** A live campaign as the API returns it: every field, nulls where unset, server-owned fields too. */
function liveCampaign(overrides: Record<string, unknown> = {}): ApiCampaign {
  return {
    campaign_name: 'Spring Renewals',
    description: null,
    mode: null,
    sms_session_ttl: null,
    label: null,
    labels: null,
    campaign_variables: { region: 'us-east' },
    daily_start_time: null,
    daily_end_time: null,
    source: null,
    caller_id: '+19995551234',
    hourly_rate: 1,
    max_daily_calls: null,
    retry_count: 0,
    retry_interval: null,
    active_days: ['mon', 'tue'],
    voicemail_detection: null,
    allowed_line_types: null,
    include_unknown_line_types: true,
    target_filters: null,
    id: 7,
    agent_id: 3,
    created_at: '2026-11-01T00:00:00Z',
    updated_at: '2026-11-02T00:00:00Z',
    last_updated_by: 'someone@example.com',
    webhooks: [],
    ...overrides,
  }
}

const REQUIRED = { campaign_name: 'Spring Renewals', campaign_variables: { region: 'us-east' }, caller_id: '+19995551234', active_days: ['mon', 'tue'] }

/** The planner's question: after normalising both sides, is there anything to change? */
const campaignDiff = (live: Record<string, unknown>, desired: Record<string, unknown>) =>
  diffSpecs(normaliseLiveCampaign(liveCampaign(live)), normaliseDesiredCampaign({ ...REQUIRED, ...desired }))

const NAMES = new Map([[7, 'Spring Renewals']])
const liveBatch = (overrides: Record<string, unknown> = {}): ApiBatch => ({
  batch_id: '2026-11-renewals',
  campaign_id: 7,
  expires_on: null,
  paused: null,
  call_rate: null,
  auto_call_rate: false,
  auto_call_rate_baseline: null,
  status: 'PENDING',
  upload_filename: null,
  dispatch_id: null,
  created_at: '2026-11-01T00:00:00Z',
  deleted_at: null,
  deleted_reason: null,
  last_updated_at: '2026-11-01T00:00:00Z',
  last_updated_by: 'someone@example.com',
  error_message: null,
  ...overrides,
})
const batchDiff = (live: Record<string, unknown>, desired: Record<string, unknown>) =>
  diffSpecs(normaliseLiveBatch(liveBatch(live), NAMES), normaliseDesiredBatch({ batch_id: '2026-11-renewals', campaign: 'Spring Renewals', ...desired }))

const secret = (value = 'A'.repeat(43) + '=') => new SecretValue('SYLLABLE_HMAC_SECRET', value)

describe('normaliseLiveCampaign', () => {
  it('keeps the file fields only, with server defaults and canonical forms', () => {
    expect(normaliseLiveCampaign(liveCampaign({ hourly_rate: null, retry_count: undefined, webhooks: null, caller_id: 19995551234 }))).toEqual({
      campaign_name: 'Spring Renewals',
      description: null,
      mode: null,
      sms_session_ttl: null,
      labels: null,
      campaign_variables: { region: 'us-east' },
      daily_start_time: null,
      daily_end_time: null,
      source: null,
      caller_id: '19995551234',
      hourly_rate: 1,
      max_daily_calls: null,
      retry_count: 0,
      retry_interval: null,
      active_days: ['mon', 'tue'],
      voicemail_detection: null,
      allowed_line_types: null,
      include_unknown_line_types: true,
      target_filters: null,
      webhooks: [],
    })
  })

  it('turns a stored secret (echoed as a key name) into the presence marker and drops webhook ids', () => {
    const spec = normaliseLiveCampaign(
      liveCampaign({
        webhooks: [
          { id: 4, url: 'https://a.example.com', request_method: 'post', trigger_statuses: ['NO-ANSWER', 'COMPLETED'], auth_value_keys: ['hmac_secret'] },
          { id: 5, url: 'https://b.example.com', request_method: 'PUT', trigger_statuses: [], auth_value_keys: null },
        ],
      }),
    )
    expect(spec.webhooks).toEqual([
      { url: 'https://a.example.com', request_method: 'POST', trigger_statuses: ['COMPLETED', 'NO-ANSWER'], auth_values: { hmac_secret: SENSITIVE } },
      { url: 'https://b.example.com', request_method: 'PUT', trigger_statuses: [] },
    ])
  })
})

describe('normaliseDesiredCampaign', () => {
  it('keeps only the declared fields (an undeclared field is not managed)', () => {
    expect(Object.keys(normaliseDesiredCampaign({ ...REQUIRED, hourly_rate: 5 })).sort()).toEqual([
      'active_days',
      'caller_id',
      'campaign_name',
      'campaign_variables',
      'hourly_rate',
    ])
  })

  it('shows a declared secret as the marker, never its value', () => {
    const spec = normaliseDesiredCampaign({
      ...REQUIRED,
      webhooks: [{ url: 'https://a.example.com', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_values: { hmac_secret: secret() } }],
    })
    expect(spec.webhooks).toEqual([
      { url: 'https://a.example.com', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_values: { hmac_secret: SENSITIVE } },
    ])
    expect(JSON.stringify(spec)).not.toContain('AAAA')
  })

  it('folds the deprecated label into labels and drops label', () => {
    expect(normaliseDesiredCampaign({ ...REQUIRED, label: 'demo' }).labels).toEqual(['demo'])
    expect(normaliseDesiredCampaign({ ...REQUIRED, label: 'demo' })).not.toHaveProperty('label')
    expect(normaliseDesiredCampaign({ ...REQUIRED, labels: ['a'], label: 'demo' }).labels).toEqual(['a'])
  })
})

describe('equivalent forms are no change (false positives)', () => {
  it.each([
    ['caller_id 19995551234 vs "19995551234"', { caller_id: 19995551234 }, { caller_id: '19995551234' }],
    ['clock time "9:00" vs "09:00:00"', { daily_start_time: '09:00:00' }, { daily_start_time: '9:00' }],
    ['clock time "09:00" vs "09:00:00"', { daily_end_time: '17:00:00' }, { daily_end_time: '17:00' }],
    ['active days in another order, repeated', { active_days: ['tue', 'mon'] }, { active_days: ['mon', 'tue', 'mon'] }],
    ['allowed line types in another order', { allowed_line_types: ['voip', 'mobile'] }, { allowed_line_types: ['mobile', 'voip'] }],
    ['no line-type filter: null vs []', { allowed_line_types: null }, { allowed_line_types: [] }],
    ['labels empty and label set vs labels [label]', { labels: [], label: 'demo' }, { labels: ['demo'] }],
    ['labels null and label set vs label', { labels: null, label: 'demo' }, { label: 'demo' }],
    ['no labels: null vs []', { labels: null }, { labels: [] }],
    [
      'voicemail keys listed as null vs left out',
      { voicemail_detection: { mode: 'v2', voicemail_detection_overall_timeout: 30, voicemail_detection_speech_threshold: null } },
      { voicemail_detection: { mode: 'v2', voicemail_detection_overall_timeout: 30 } },
    ],
    [
      'target filter defaults vs omitted',
      { target_filters: { match: 'all', on_unknown: 'include', rules: [{ field: 'line_type', op: 'exists', values: [] }] } },
      { target_filters: { rules: [{ field: 'line_type', op: 'exists' }] } },
    ],
    [
      'target filters without rules vs rules []',
      { target_filters: { match: 'any', on_unknown: 'exclude', rules: [] } },
      { target_filters: { match: 'any', on_unknown: 'exclude' } },
    ],
    ['webhooks null vs []', { webhooks: null }, { webhooks: [] }],
    ['hourly_rate default vs declared 1', { hourly_rate: null }, { hourly_rate: 1 }],
    ['retry_count default vs declared 0', { retry_count: undefined }, { retry_count: 0 }],
    ['include_unknown_line_types default vs declared true', { include_unknown_line_types: null }, { include_unknown_line_types: true }],
    ['campaign variable 10 vs "10"', { campaign_variables: { region: 'us-east', tier: '10' } }, { campaign_variables: { region: 'us-east', tier: 10 } }],
  ])('%s', (_name, live, desired) => {
    expect(campaignDiff(live, desired)).toEqual([])
  })

  it('webhook trigger statuses are a set, and the method is case-insensitive', () => {
    const live = { webhooks: [{ id: 1, url: 'https://a.example.com', request_method: 'post', trigger_statuses: ['NO-ANSWER', 'COMPLETED'], auth_value_keys: null }] }
    const desired = { webhooks: [{ url: 'https://a.example.com', request_method: 'POST', trigger_statuses: ['COMPLETED', 'NO-ANSWER'] }] }
    expect(campaignDiff(live, desired)).toEqual([])
  })

  it('a stored secret and a declared one compare equal by presence (whatever the value)', () => {
    const live = { webhooks: [{ id: 1, url: 'https://a.example.com', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_value_keys: ['hmac_secret'] }] }
    const desired = { webhooks: [{ url: 'https://a.example.com', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_values: { hmac_secret: secret() } }] }
    expect(campaignDiff(live, desired)).toEqual([])
    // No secret on either side: no auth_values key on either side, an empty mapping is none too.
    const plain = { webhooks: [{ url: 'https://a.example.com', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_values: {} }] }
    expect(campaignDiff({ webhooks: [{ ...live.webhooks[0], auth_value_keys: null }] }, plain)).toEqual([])
  })

  it.each([
    ['paused null vs false', { paused: null }, { paused: false }],
    ['auto_call_rate omitted by the server vs false', { auto_call_rate: undefined }, { auto_call_rate: false }],
    ['expires_on with an offset vs UTC', { expires_on: '2026-12-31T23:59:59.000Z' }, { expires_on: '2027-01-01T01:59:59+02:00' }],
    ['expires_on with and without zero milliseconds', { expires_on: '2026-12-31T00:00:00Z' }, { expires_on: '2026-12-31T00:00:00.000+00:00' }],
    ['call_rate unset vs null', { call_rate: null }, { call_rate: null }],
  ])('batch: %s', (_name, live, desired) => {
    expect(batchDiff(live, desired)).toEqual([])
  })
})

describe('real differences are still reported', () => {
  it('caller ids that differ by a plus sign differ', () => {
    expect(campaignDiff({ caller_id: '19995551234' }, { caller_id: '+19995551234' })).toHaveLength(1)
  })

  it('a secret the file adds to a webhook without one is a sensitive change', () => {
    const live = { webhooks: [{ id: 1, url: 'https://a.example.com', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_value_keys: null }] }
    const desired = { webhooks: [{ url: 'https://a.example.com', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_values: { hmac_secret: secret() } }] }
    const changes = campaignDiff(live, desired)
    expect(changes).toEqual([{ path: ['webhooks', 0, 'auth_values'], kind: 'add', after: { hmac_secret: SENSITIVE }, sensitive: true }])
  })

  it('a label is not the same as different labels', () => {
    expect(campaignDiff({ labels: ['a'], label: 'demo' }, { label: 'demo' })).toHaveLength(1)
  })

  it('a paused batch differs from one that dials; another instant differs', () => {
    expect(batchDiff({ paused: true }, { paused: null })).toHaveLength(1)
    expect(batchDiff({ expires_on: '2026-12-31T23:59:59Z' }, { expires_on: '2026-12-31T23:59:59+01:00' })).toHaveLength(1)
  })
})

describe('normaliseLiveBatch', () => {
  it('names the campaign, drops what the server owns, fills defaults', () => {
    expect(normaliseLiveBatch(liveBatch({ expires_on: '2026-12-31T23:59:59.000Z', call_rate: 20 }), NAMES)).toEqual({
      batch_id: '2026-11-renewals',
      campaign: 'Spring Renewals',
      expires_on: '2026-12-31T23:59:59Z',
      paused: false,
      call_rate: 20,
      auto_call_rate: false,
    })
  })

  it('keeps a millisecond part that is not zero', () => {
    expect(normaliseLiveBatch(liveBatch({ expires_on: '2026-12-31T23:59:59.250+00:00' }), NAMES).expires_on).toBe('2026-12-31T23:59:59.250Z')
  })

  it('never invents a campaign name for an id the campaign list lacks', () => {
    expect(normaliseLiveBatch(liveBatch({ campaign_id: 99 }), NAMES).campaign).toBe('(unknown campaign id 99)')
  })
})

describe('request bodies', () => {
  it('a create sends the declared fields in the documented forms, the secret revealed', () => {
    const body = campaignCreateBody({
      ...REQUIRED,
      caller_id: 19995551234,
      daily_start_time: '9:00',
      active_days: ['tue', 'mon'],
      webhooks: [{ url: 'https://a.example.com', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_values: { hmac_secret: secret('c2VjcmV0') } }],
    })
    expect(body).toEqual({
      ...REQUIRED,
      caller_id: '19995551234',
      daily_start_time: '09:00:00',
      active_days: ['mon', 'tue'],
      webhooks: [{ url: 'https://a.example.com', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_values: { hmac_secret: 'c2VjcmV0' } }],
    })
  })

  it('an update carries live values of undeclared fields and keeps stored secrets with null', () => {
    const live = liveCampaign({
      description: 'set in the console',
      hourly_rate: 30,
      label: 'legacy',
      future_setting: 'a field this cac does not know yet',
      webhooks: [
        { id: 11, url: 'https://a.example.com', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_value_keys: ['hmac_secret'] },
      ],
    })
    const body = campaignUpdateBody({ ...REQUIRED, retry_count: 2 }, live)
    expect(body).toMatchObject({ description: 'set in the console', hourly_rate: 30, retry_count: 2, label: 'legacy', labels: null })
    expect(body.future_setting).toBe('a field this cac does not know yet')
    expect(body.webhooks).toEqual([
      { id: 11, url: 'https://a.example.com', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_values: { hmac_secret: null } },
    ])
    for (const serverOwned of ['id', 'agent_id', 'created_at', 'updated_at', 'last_updated_by']) expect(body).not.toHaveProperty(serverOwned)
  })

  it('an update matches declared webhooks to live ones by url; a secret is resent only where none is stored', () => {
    const unset = new SecretValue('UNSET_VARIABLE', undefined) // reveal() would throw: proves the value is not needed
    const live = liveCampaign({
      webhooks: [
        { id: 11, url: 'https://a.example.com', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_value_keys: ['hmac_secret'] },
        { id: 12, url: 'https://b.example.com', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_value_keys: null },
        { id: 13, url: 'https://gone.example.com', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_value_keys: null },
      ],
    })
    const body = campaignUpdateBody(
      {
        ...REQUIRED,
        webhooks: [
          { url: 'https://b.example.com', request_method: 'PUT', trigger_statuses: ['BUSY'], auth_values: { hmac_secret: secret('bmV3') } },
          { url: 'https://a.example.com', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_values: { hmac_secret: unset } },
          { url: 'https://new.example.com', request_method: 'POST', trigger_statuses: ['COMPLETED'] },
        ],
      },
      live,
    )
    expect(body.webhooks).toEqual([
      { id: 12, url: 'https://b.example.com', request_method: 'PUT', trigger_statuses: ['BUSY'], auth_values: { hmac_secret: 'bmV3' } },
      { id: 11, url: 'https://a.example.com', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_values: { hmac_secret: null } },
      { url: 'https://new.example.com', request_method: 'POST', trigger_statuses: ['COMPLETED'] },
    ])
  })

  it('declaring labels alone clears a live label only when the labels are empty', () => {
    const live = liveCampaign({ label: 'legacy', labels: ['x'] })
    expect(campaignUpdateBody({ ...REQUIRED, labels: ['a'] }, live)).toMatchObject({ labels: ['a'], label: 'legacy' })
    expect(campaignUpdateBody({ ...REQUIRED, labels: [] }, live)).toMatchObject({ labels: [], label: null })
    expect(campaignUpdateBody({ ...REQUIRED, label: 'new' }, live)).toMatchObject({ labels: null, label: 'new' })
  })

  it('a batch update names the batch, its campaign and the actor, plus only the changed setters', () => {
    const desired = { batch_id: '2026-11-renewals', campaign: 'Spring Renewals', paused: true, call_rate: 30, expires_on: '2027-01-01T01:00:00+01:00' }
    const changed = changedSetters(batchDiff({ paused: true, call_rate: 20, expires_on: '2027-01-01T00:00:00Z' }, desired))
    expect(changed).toEqual(['call_rate'])
    expect(batchUpdateBody(desired, liveBatch(), 7, 'ci@example.com', changed)).toEqual({
      batch_id: '2026-11-renewals',
      campaign_id: 7,
      last_updated_by: 'ci@example.com',
      call_rate: 30,
    })
  })
})

describe('rules', () => {
  const batch: Resource = {
    kind: 'SyllableBatch',
    provider: 'syllable',
    name: 'b1',
    address: 'syllable/batch/b1',
    spec: { batch_id: 'b1', campaign: 'Spring Renewals' },
    source: { file: 'x.yaml', documentIndex: 0, line: 1, column: 1 },
  }

  it('a batch depends on its campaign and cannot move to another one', () => {
    const policy = policyOf(batchHandler)
    expect(policy.createOnly).toEqual(['campaign'])
    expect(policy.dependsOn(batch)).toEqual(['syllable/campaign/Spring Renewals'])
    const live = { kind: 'SyllableBatch', provider: 'syllable', name: 'b1', address: 'syllable/batch/b1', id: 'b1', spec: {}, raw: {} } as const
    const options = { pauseToUpdate: false }
    expect(policy.assess({ live, fields: [{ path: ['campaign'], kind: 'change', before: 'A', after: 'B' }], options })).toEqual({
      action: 'error',
      reason: BATCH_CAMPAIGN_IS_CREATE_ONLY,
    })
    expect(policy.assess({ live, fields: [{ path: ['call_rate'], kind: 'change', before: 1, after: 2 }], options })).toBeUndefined()
  })

  it('nothing blocks a campaign update', () => {
    const policy = policyOf(campaignHandler)
    expect(policy.createOnly).toEqual([])
    expect(policy.assess({ live: {} as never, fields: [{ path: ['hourly_rate'], kind: 'change' }], options: { pauseToUpdate: false } })).toBeUndefined()
  })
})

describe('list pagination without a page count', () => {
  /** A client whose list answers come from memory: total_pages/total_count null, page_size capped at 2. */
  class CannedClient extends HttpClient {
    readonly pages: number[] = []
    constructor(private readonly items: { id: number; campaign_name: string }[]) {
      super({ baseUrl: 'http://127.0.0.1:9' })
    }
    override async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
      const page = Number(options.query?.page)
      this.pages.push(page)
      const body = { items: this.items.slice(page * 2, page * 2 + 2), page, page_size: 2, total_pages: null, total_count: null }
      return { method, path, status: 200, headers: {}, body: body as T }
    }
  }

  it('reads pages until a short one when the server gives no totals', async () => {
    const items = [1, 2, 3, 4, 5].map((id) => ({ id, campaign_name: `C${id}` }))
    const client = new CannedClient(items)
    expect((await new SyllableApi(client).listCampaigns()).map((c) => c.id)).toEqual([1, 2, 3, 4, 5])
    expect(client.pages).toEqual([0, 1, 2])
    await client.close()
  })
})

describe('canonical weekdays and clock times', () => {
  const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

  it('gives every list of days, in whatever order and with repeats, as a fresh week-ordered set; unknown entries last', async () => {
    const { canonicalWeekdays } = await import('../../src/providers/syllable/canonical.js')
    const pool = [...DAYS, 'Mon', 'holiday']
    let seed = 7
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31)
    for (let run = 0; run < 2000; run += 1) {
      const days = Array.from({ length: next() % 9 }, () => pool[next() % pool.length]!)
      const expected = [...DAYS.filter((day) => days.includes(day)), ...[...new Set(days.filter((day) => !DAYS.includes(day)))].sort()]
      const canonical = canonicalWeekdays(days)
      expect(canonical).toEqual(expected)
      expect(canonical).not.toBe(days)
    }
    const ordered = ['mon', 'wed', 'sun']
    expect(canonicalWeekdays(ordered)).toEqual(ordered)
    expect(canonicalWeekdays(ordered)).not.toBe(ordered)
  })

  it('writes a clock time as HH:MM:SS whichever way it was written, and leaves what is not one as it is', async () => {
    const { canonicalClockTime } = await import('../../src/providers/syllable/canonical.js')
    expect(canonicalClockTime('09:00:00')).toBe('09:00:00')
    expect(canonicalClockTime('9:00')).toBe('09:00:00')
    expect(canonicalClockTime(' 09:30 ')).toBe('09:30:00')
    expect(canonicalClockTime('17:05:09')).toBe('17:05:09')
    expect(canonicalClockTime('09:00:00\n')).toBe('09:00:00')
    expect(canonicalClockTime('noon')).toBe('noon')
    expect(canonicalClockTime(null)).toBeNull()
  })
})

describe('normaliseLiveCampaign, written out field by field', () => {
  /** The same normalisation looped over the table of fields (what the written-out version must equal). */
  function byTable(raw: Record<string, unknown>): Record<string, unknown> {
    const spec: Record<string, unknown> = {}
    for (const [field, canonical] of Object.entries(CAMPAIGN_FIELDS)) spec[field] = canonical(raw[field])
    return spec
  }

  const values = fc.oneof(
    fc.constantFrom(undefined, null, '', 'text', 0, 7, 19995551234, true, false, '9:00', '09:00:00', [], ['fri', 'mon', 'mon'], { a: 1, b: 'x', c: true }),
    fc.anything({ maxDepth: 2 }),
  )

  it('gives every field of the table, in its order, then labels and webhooks', () => {
    expect(Object.keys(normaliseLiveCampaign(liveCampaign()))).toEqual([...Object.keys(CAMPAIGN_FIELDS), 'labels', 'webhooks'])
    expect(Object.keys(normaliseLiveCampaign({}))).toEqual([...Object.keys(CAMPAIGN_FIELDS), 'labels', 'webhooks'])
  })

  it('gives each field what the table gives it, whatever the value (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...Object.keys(CAMPAIGN_FIELDS), 'labels', 'label', 'id'), values), (raw) => {
        const { labels: _labels, webhooks: _webhooks, ...fields } = normaliseLiveCampaign(raw)
        expect(fields).toEqual(byTable(raw))
      }),
      { numRuns: 300 },
    )
  })
})
