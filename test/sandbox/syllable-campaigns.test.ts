import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { startSandbox } from '../../src/sandbox/index.js'
import { sandboxClient, useSandbox, type SandboxReply } from '../helpers/sandbox.js'

const CAMPAIGNS = '/api/v1/outbound/campaigns'
const BATCHES = '/api/v1/outbound/batches'
const NOW = '2026-11-23T00:00:00.000Z'

/** The four required fields, with a name that says which test made the campaign. */
const campaignBody = (name: string, extra: Record<string, unknown> = {}) => ({
  campaign_name: name,
  campaign_variables: { region: 'us-east' },
  caller_id: '+19995551234',
  active_days: ['mon', 'tue'],
  ...extra,
})

const newSecret = (bytes = 32): string => randomBytes(bytes).toString('base64')

const webhook = (extra: Record<string, unknown> = {}) => ({
  trigger_statuses: ['COMPLETED'],
  url: 'https://hooks.example.com/syllable',
  request_method: 'POST',
  ...extra,
})

interface Campaign {
  id: number
  webhooks: { id: number; url: string; auth_value_keys: string[] | null }[]
  [key: string]: unknown
}

interface ValidationBody {
  detail: { type: string; loc: (string | number)[]; msg: string; input?: unknown }[]
}

const detailOf = (reply: SandboxReply) => (reply.body as ValidationBody).detail
const locsOf = (reply: SandboxReply) => detailOf(reply).map((entry) => entry.loc)

describe('Syllable campaigns: create, read, delete', () => {
  const { request } = useSandbox({ now: NOW })

  async function create(body: object): Promise<Campaign> {
    const reply = await request('POST', CAMPAIGNS, { json: body })
    expect(reply.status, reply.text).toBe(200)
    return reply.body as Campaign
  }

  it('materialises every optional field with its default and records who and when', async () => {
    const campaign = await create(campaignBody('Defaults'))
    expect(campaign).toEqual({
      campaign_name: 'Defaults',
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
      id: campaign.id,
      agent_id: null,
      created_at: NOW,
      updated_at: NOW,
      last_updated_by: 'tester@example.com',
      webhooks: [],
    })
    expect(Number.isInteger(campaign.id)).toBe(true)
  })

  it('gives each campaign the next integer id and allows duplicate names', async () => {
    const first = await create(campaignBody('Same name'))
    const second = await create(campaignBody('Same name'))
    expect(second.id).toBe(first.id + 1)
  })

  it('records the caller behind the API key as last_updated_by', async () => {
    const reply = await request('POST', CAMPAIGNS, { json: campaignBody('Actor'), headers: { 'Syllable-API-Key': 'ops@example.com' } })
    expect((reply.body as Campaign).last_updated_by).toBe('ops@example.com')
    const opaque = await request('POST', CAMPAIGNS, { json: campaignBody('Opaque key'), headers: { 'Syllable-API-Key': 'sk-123' } })
    const actor = (opaque.body as Campaign).last_updated_by as string
    expect(actor).toMatch(/^api-key-[0-9a-f]{8}@sandbox\.local$/)
    expect(opaque.text).not.toContain('sk-123')
  })

  it("accepts the seed document's forms: a numeric caller_id (stored as text) and active_days as a JSON string", async () => {
    const campaign = await create(campaignBody('Seed forms', { caller_id: 19995551234, active_days: '["mon", "tue", "wed", "thu", "fri"]' }))
    expect(campaign.caller_id).toBe('19995551234')
    expect(campaign.active_days).toEqual(['mon', 'tue', 'wed', 'thu', 'fri'])
    const nullCaller = await create(campaignBody('Null caller', { caller_id: null, active_days: [] }))
    expect(nullCaller).toMatchObject({ caller_id: null, active_days: [] })
  })

  it('ignores unknown and server-owned fields in the body (as pydantic does)', async () => {
    const campaign = await create(
      campaignBody('Ignored fields', { id: 999, agent_id: 'agent_id', created_at: '2025-04-19T00:00:00Z', last_updated_by: 'x@y', surprise: true }),
    )
    expect(campaign.id).not.toBe(999)
    expect(campaign).toMatchObject({ agent_id: null, created_at: NOW, last_updated_by: 'tester@example.com' })
    expect(campaign).not.toHaveProperty('surprise')
  })

  it('stores the nested objects with their defaults and keeps unknown voicemail keys', async () => {
    const campaign = await create(
      campaignBody('Nested', {
        voicemail_detection: { voicemail_detection_overall_timeout: 30, custom_knob: 2.5 },
        allowed_line_types: ['landline'],
        target_filters: { rules: [{ field: 'carrier_name', op: 'exists' }] },
      }),
    )
    expect(campaign.voicemail_detection).toEqual({
      mode: null,
      voicemail_detection_overall_timeout: 30,
      voicemail_detection_pre_speech_timeout: null,
      voicemail_detection_post_speech_timeout: null,
      voicemail_detection_speech_threshold: null,
      voicemail_detection_v2_pre_speech_timeout: null,
      custom_knob: 2.5,
    })
    expect(campaign.target_filters).toEqual({ match: 'all', on_unknown: 'include', rules: [{ field: 'carrier_name', op: 'exists', values: [] }] })
    expect(campaign.allowed_line_types).toEqual(['landline'])
  })

  it('GET by id returns what create returned', async () => {
    const campaign = await create(campaignBody('Read back', { labels: ['a'], hourly_rate: 3600 }))
    const reply = await request('GET', `${CAMPAIGNS}/${campaign.id}`)
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual(campaign)
  })

  it('answers 404 for an unknown id and 422 for a non-integer id', async () => {
    const missing = await request('GET', `${CAMPAIGNS}/987654`)
    expect(missing.status).toBe(404)
    expect(missing.body).toEqual({ detail: 'Campaign 987654 not found' })

    const notInt = await request('GET', `${CAMPAIGNS}/abc`)
    expect(notInt.status).toBe(422)
    expect(detailOf(notInt)).toEqual([
      { type: 'int_parsing', loc: ['path', 'campaign_id'], msg: 'Input should be a valid integer, unable to parse string as an integer', input: 'abc' },
    ])
    for (const method of ['PUT', 'DELETE']) {
      const reply = await request(method, `${CAMPAIGNS}/1.5`, method === 'PUT' ? { json: campaignBody('x') } : {})
      expect(reply.status).toBe(422)
      expect(locsOf(reply)).toEqual([['path', 'campaign_id']])
    }
  })

  it('DELETE removes the campaign (200 with a small JSON body), then it is gone', async () => {
    const campaign = await create(campaignBody('Doomed'))
    const reply = await request('DELETE', `${CAMPAIGNS}/${campaign.id}`)
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual({ id: campaign.id, deleted: true })
    expect((await request('GET', `${CAMPAIGNS}/${campaign.id}`)).status).toBe(404)
    expect((await request('DELETE', `${CAMPAIGNS}/${campaign.id}`)).status).toBe(404)
    // Ids are never reused.
    const next = await create(campaignBody('After delete'))
    expect(next.id).toBeGreaterThan(campaign.id)
  })

  it('refuses (409) to delete a campaign that still has batches, and allows it once they are deleted', async () => {
    const campaign = await create(campaignBody('Has batches'))
    for (const batchId of ['c409.a', 'c409.b']) {
      expect((await request('POST', BATCHES, { json: { batch_id: batchId, campaign_id: campaign.id } })).status).toBe(200)
    }
    const refused = await request('DELETE', `${CAMPAIGNS}/${campaign.id}`)
    expect(refused.status).toBe(409)
    expect(refused.body).toEqual({ detail: `Campaign ${campaign.id} still has 2 batches (c409.a, c409.b); delete them first` })
    expect((await request('GET', `${CAMPAIGNS}/${campaign.id}`)).status).toBe(200)

    for (const batchId of ['c409.a', 'c409.b']) {
      expect((await request('DELETE', `${BATCHES}/${batchId}`, { form: { delete_reason: 'cleanup' } })).status).toBe(200)
    }
    expect((await request('DELETE', `${CAMPAIGNS}/${campaign.id}`)).status).toBe(200)
  })

  it('401 without the API key, 405 for a method the path does not have, 404 for an unknown path', async () => {
    const anonymous = await request('GET', CAMPAIGNS, { anonymous: true })
    expect(anonymous.status).toBe(401)
    expect(anonymous.body).toEqual({ detail: 'Not authenticated: send the Syllable-API-Key header' })
    expect((await request('POST', CAMPAIGNS, { json: campaignBody('x'), anonymous: true })).status).toBe(401)

    const patch = await request('PATCH', `${CAMPAIGNS}/1`, { json: {} })
    expect(patch.status).toBe(405)
    expect(patch.body).toEqual({ detail: 'Method Not Allowed' })
    expect((await request('DELETE', CAMPAIGNS)).status).toBe(405)
    expect((await request('GET', '/api/v1/outbound/nothing-here')).status).toBe(404)
  })
})

describe('Syllable campaigns: request validation (FastAPI-style 422)', () => {
  const { request } = useSandbox({ now: NOW })

  const post = (json: unknown) => request('POST', CAMPAIGNS, { json })

  it('lists every missing required field at once', async () => {
    const reply = await post({})
    expect(reply.status).toBe(422)
    expect(detailOf(reply).map(({ type, loc, msg }) => ({ type, loc, msg }))).toEqual(
      ['campaign_name', 'campaign_variables', 'caller_id', 'active_days'].map((field) => ({
        type: 'missing',
        loc: ['body', field],
        msg: 'Field required',
      })),
    )
  })

  it('caller_id must be present even though it may be null', async () => {
    const { caller_id: _omitted, ...withoutCaller } = campaignBody('No caller')
    const reply = await post(withoutCaller)
    expect(reply.status).toBe(422)
    expect(locsOf(reply)).toEqual([['body', 'caller_id']])
  })

  it('reports wrong types with pydantic wording', async () => {
    const reply = await post(
      campaignBody('Types', {
        campaign_name: 42,
        campaign_variables: { region: 1 },
        caller_id: true,
        retry_count: '2',
        include_unknown_line_types: 'yes',
        labels: 'a',
        sms_session_ttl: 1.5,
      }),
    )
    expect(reply.status).toBe(422)
    const byLoc = Object.fromEntries(detailOf(reply).map((entry) => [entry.loc.join('.'), entry.msg]))
    expect(byLoc).toEqual({
      'body.campaign_name': 'Input should be a valid string',
      'body.campaign_variables.region': 'Input should be a valid string',
      'body.caller_id': 'Input should be a valid string',
      'body.retry_count': 'Input should be a valid integer',
      'body.include_unknown_line_types': 'Input should be a valid boolean',
      'body.labels': 'Input should be a valid list',
      'body.sms_session_ttl': 'Input should be a valid integer',
    })
  })

  it('keeps hourly_rate within 1..3600', async () => {
    const low = await post(campaignBody('Rate', { hourly_rate: 0 }))
    expect(detailOf(low)).toEqual([
      { type: 'greater_than_equal', loc: ['body', 'hourly_rate'], msg: 'Input should be greater than or equal to 1', input: 0, ctx: { ge: 1 } },
    ])
    const high = await post(campaignBody('Rate', { hourly_rate: 3601 }))
    expect(detailOf(high)).toEqual([
      { type: 'less_than_equal', loc: ['body', 'hourly_rate'], msg: 'Input should be less than or equal to 3600', input: 3601, ctx: { le: 3600 } },
    ])
    expect((await post(campaignBody('Rate', { hourly_rate: 1 }))).status).toBe(200)
    expect((await post(campaignBody('Rate', { hourly_rate: 3600 }))).status).toBe(200)
  })

  it('keeps enums closed, in lists and nested objects', async () => {
    const reply = await post(
      campaignBody('Enums', {
        active_days: ['mon', 'monday'],
        allowed_line_types: ['mobile', 'fax'],
        voicemail_detection: { mode: 'v3' },
        target_filters: { match: 'some', on_unknown: 'ignore', rules: [{ field: 'line_type', op: 'like' }] },
        webhooks: [webhook({ trigger_statuses: ['COMPLETED', 'ANSWERED'] })],
      }),
    )
    expect(reply.status).toBe(422)
    expect(detailOf(reply).every((entry) => entry.type === 'enum')).toBe(true)
    expect(locsOf(reply)).toEqual(
      expect.arrayContaining([
        ['body', 'active_days', 1],
        ['body', 'allowed_line_types', 1],
        ['body', 'voicemail_detection', 'mode'],
        ['body', 'target_filters', 'match'],
        ['body', 'target_filters', 'on_unknown'],
        ['body', 'target_filters', 'rules', 0, 'op'],
        ['body', 'webhooks', 0, 'trigger_statuses', 1],
      ]),
    )
    expect(detailOf(reply).find((entry) => entry.loc[1] === 'active_days')).toMatchObject({
      msg: "Input should be 'mon', 'tue', 'wed', 'thu', 'fri', 'sat' or 'sun'",
      input: 'monday',
    })
  })

  it('accepts trigger statuses of both spec versions (NO_OUTCOME is only in the newer one)', async () => {
    const reply = await post(campaignBody('Statuses', { webhooks: [webhook({ trigger_statuses: ['NO_OUTCOME', 'IN-PROGRESS', 'SIP_LOOP_DETECTED'] })] }))
    expect(reply.status, reply.text).toBe(200)
  })

  it('checks the active_days JSON string like a list', async () => {
    const reply = await post(campaignBody('Seed days', { active_days: '["mon", "funday"]' }))
    expect(reply.status).toBe(422)
    expect(locsOf(reply)).toEqual([['body', 'active_days', 1]])
    const notJson = await post(campaignBody('Seed days', { active_days: 'mon,tue' }))
    expect(detailOf(notJson)).toMatchObject([{ type: 'list_type', loc: ['body', 'active_days'] }])
  })

  it('requires the webhook fields', async () => {
    const reply = await post(campaignBody('Webhook fields', { webhooks: [{ url: 'https://x' }] }))
    expect(locsOf(reply)).toEqual([
      ['body', 'webhooks', 0, 'trigger_statuses'],
      ['body', 'webhooks', 0, 'request_method'],
    ])
  })

  it('answers a body that is not an object, an absent body and malformed JSON with 422', async () => {
    const list = await post([])
    expect(detailOf(list)).toMatchObject([{ loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from' }])
    const absent = await request('POST', CAMPAIGNS)
    expect(detailOf(absent)).toMatchObject([{ type: 'missing', loc: ['body'] }])
    const malformed = await request('POST', CAMPAIGNS, { raw: '{"campaign_name": ', headers: { 'content-type': 'application/json' } })
    expect(malformed.status).toBe(422)
    expect(detailOf(malformed)).toMatchObject([{ type: 'json_invalid' }])
  })

  it('reports a bad path id and a bad body of a PUT in one answer', async () => {
    const reply = await request('PUT', `${CAMPAIGNS}/abc`, { json: { campaign_name: 'x' } })
    expect(reply.status).toBe(422)
    expect(locsOf(reply)).toEqual([
      ['path', 'campaign_id'],
      ['body', 'campaign_variables'],
      ['body', 'caller_id'],
      ['body', 'active_days'],
    ])
  })

  it('validates the body before looking the campaign up (422 beats 404), as FastAPI does', async () => {
    const reply = await request('PUT', `${CAMPAIGNS}/987654`, { json: { campaign_name: 'x' } })
    expect(reply.status).toBe(422)
  })
})

describe('Syllable campaigns: PUT is a full replacement', () => {
  const { request, sandbox } = useSandbox({ now: NOW })

  async function create(body: object): Promise<Campaign> {
    const reply = await request('POST', CAMPAIGNS, { json: body })
    expect(reply.status, reply.text).toBe(200)
    return reply.body as Campaign
  }

  async function replace(id: number, body: object): Promise<SandboxReply> {
    return request('PUT', `${CAMPAIGNS}/${id}`, { json: body })
  }

  it('resets every optional field the body leaves out to its default', async () => {
    const campaign = await create(
      campaignBody('Replace me', {
        description: 'old',
        hourly_rate: 25,
        retry_count: 2,
        retry_interval: '12h',
        include_unknown_line_types: false,
        labels: ['a'],
        voicemail_detection: { mode: 'v1' },
        target_filters: { match: 'any' },
      }),
    )
    sandbox().clock.advance(60)
    const reply = await replace(campaign.id, campaignBody('Replaced', { description: 'new' }))
    expect(reply.status, reply.text).toBe(200)
    expect(reply.body).toMatchObject({
      id: campaign.id,
      campaign_name: 'Replaced',
      description: 'new',
      hourly_rate: 1,
      retry_count: 0,
      retry_interval: null,
      include_unknown_line_types: true,
      labels: null,
      voicemail_detection: null,
      target_filters: null,
      created_at: campaign.created_at,
      updated_at: '2026-11-23T00:01:00.000Z',
    })
    expect((await request('GET', `${CAMPAIGNS}/${campaign.id}`)).body).toEqual(reply.body)
  })

  it('answers 404 for an unknown campaign', async () => {
    const reply = await replace(987654, campaignBody('Nobody'))
    expect(reply.status).toBe(404)
    expect(reply.body).toEqual({ detail: 'Campaign 987654 not found' })
  })

  it('reconciles webhooks by id: listed ids are updated, entries without id are new, the rest are deleted', async () => {
    const campaign = await create(
      campaignBody('Webhooks', {
        webhooks: [webhook({ url: 'https://hooks.example.com/keep' }), webhook({ url: 'https://hooks.example.com/drop' })],
      }),
    )
    const [keep, drop] = campaign.webhooks
    expect(keep!.id).not.toBe(drop!.id)

    const reply = await replace(
      campaign.id,
      campaignBody('Webhooks', {
        webhooks: [webhook({ id: keep!.id, url: 'https://hooks.example.com/kept', request_method: 'PATCH' }), webhook({ url: 'https://hooks.example.com/new' })],
      }),
    )
    expect(reply.status, reply.text).toBe(200)
    const webhooks = (reply.body as Campaign).webhooks
    expect(webhooks).toEqual([
      { id: keep!.id, trigger_statuses: ['COMPLETED'], url: 'https://hooks.example.com/kept', request_method: 'PATCH', auth_value_keys: null },
      { id: expect.any(Number), trigger_statuses: ['COMPLETED'], url: 'https://hooks.example.com/new', request_method: 'POST', auth_value_keys: null },
    ])
    expect([keep!.id, drop!.id]).not.toContain(webhooks[1]!.id)

    // A PUT without webhooks removes them all (the default is an empty list).
    const cleared = await replace(campaign.id, campaignBody('Webhooks'))
    expect((cleared.body as Campaign).webhooks).toEqual([])
  })

  it('gives new ids on create even when the entries carry one', async () => {
    const campaign = await create(campaignBody('Ids on create', { webhooks: [webhook({ id: 424242 })] }))
    expect(campaign.webhooks[0]!.id).not.toBe(424242)
  })

  it('refuses (422) a webhook id that is not one of this campaign, or is listed twice, and changes nothing', async () => {
    const other = await create(campaignBody('Other', { webhooks: [webhook()] }))
    const campaign = await create(campaignBody('Mine', { webhooks: [webhook()] }))
    const mine = campaign.webhooks[0]!.id

    const foreign = await replace(campaign.id, campaignBody('Mine', { webhooks: [webhook({ id: other.webhooks[0]!.id })] }))
    expect(foreign.status).toBe(422)
    expect(detailOf(foreign)).toEqual([
      {
        type: 'value_error',
        loc: ['body', 'webhooks', 0, 'id'],
        msg: `Value error, webhook ${other.webhooks[0]!.id} is not a webhook of this campaign`,
        input: other.webhooks[0]!.id,
      },
    ])
    const unknown = await replace(campaign.id, campaignBody('Mine', { webhooks: [webhook(), webhook({ id: 999999 })] }))
    expect(locsOf(unknown)).toEqual([['body', 'webhooks', 1, 'id']])
    const twice = await replace(campaign.id, campaignBody('Mine', { webhooks: [webhook({ id: mine }), webhook({ id: mine })] }))
    expect(detailOf(twice)).toMatchObject([{ loc: ['body', 'webhooks', 1, 'id'], msg: `Value error, webhook ${mine} is listed more than once` }])

    expect((await request('GET', `${CAMPAIGNS}/${campaign.id}`)).body).toEqual(campaign)
  })
})

describe('Syllable campaigns: webhook secrets are write-only', () => {
  const { request } = useSandbox({ now: NOW })

  async function create(body: object): Promise<SandboxReply> {
    return request('POST', CAMPAIGNS, { json: body })
  }

  it('shows auth_value_keys, never the value; null keeps the stored secret; omitting the key removes it', async () => {
    const secret = newSecret()
    const created = await create(campaignBody('Secret', { webhooks: [webhook({ auth_values: { hmac_secret: secret } })] }))
    expect(created.status, created.text).toBe(200)
    const campaign = created.body as Campaign
    expect(campaign.webhooks[0]!.auth_value_keys).toEqual(['hmac_secret'])
    const id = campaign.webhooks[0]!.id

    const kept = await request('PUT', `${CAMPAIGNS}/${campaign.id}`, {
      json: campaignBody('Secret', { webhooks: [webhook({ id, auth_values: { hmac_secret: null } })] }),
    })
    expect(kept.status, kept.text).toBe(200)
    expect((kept.body as Campaign).webhooks[0]!.auth_value_keys).toEqual(['hmac_secret'])

    const rotated = await request('PUT', `${CAMPAIGNS}/${campaign.id}`, {
      json: campaignBody('Secret', { webhooks: [webhook({ id, auth_values: { hmac_secret: newSecret(64) } })] }),
    })
    expect((rotated.body as Campaign).webhooks[0]!.auth_value_keys).toEqual(['hmac_secret'])

    const removed = await request('PUT', `${CAMPAIGNS}/${campaign.id}`, { json: campaignBody('Secret', { webhooks: [webhook({ id, auth_values: {} })] }) })
    expect((removed.body as Campaign).webhooks[0]!.auth_value_keys).toBeNull()

    const fetched = await request('GET', `${CAMPAIGNS}/${campaign.id}`)
    const list = await request('GET', CAMPAIGNS)
    for (const reply of [created, kept, rotated, removed, fetched, list]) expect(reply.text).not.toContain(secret)
  })

  it('refuses null for a secret that is not stored (a new webhook, or one without a secret)', async () => {
    const reply = await create(campaignBody('Null secret', { webhooks: [webhook({ auth_values: { hmac_secret: null } })] }))
    expect(reply.status).toBe(422)
    expect(detailOf(reply)).toEqual([
      {
        type: 'value_error',
        loc: ['body', 'webhooks', 0, 'auth_values', 'hmac_secret'],
        msg: 'Value error, hmac_secret is null but no value is stored to keep; send the value',
        input: '**********',
      },
    ])
  })

  it.each([
    ['not Base64', 'not base64 at all!'],
    ['the URL-safe alphabet', randomBytes(33).toString('base64url').replace(/^./, '-')],
    ['too short (16 bytes)', randomBytes(16).toString('base64')],
    ['too long (600 bytes)', randomBytes(600).toString('base64')],
    ['empty', ''],
  ])('refuses an hmac_secret that is %s, without echoing it', async (_label, secret) => {
    const reply = await create(campaignBody('Bad secret', { webhooks: [webhook({ auth_values: { hmac_secret: secret } })] }))
    expect(reply.status).toBe(422)
    expect(locsOf(reply)).toEqual([['body', 'webhooks', 0, 'auth_values', 'hmac_secret']])
    expect(detailOf(reply)[0]!.input).toBe('**********')
    if (secret !== '') expect(reply.text).not.toContain(secret)
  })

  it('accepts the boundary sizes, 32 and 512 bytes', async () => {
    for (const bytes of [32, 512]) {
      const reply = await create(campaignBody(`Secret ${bytes}`, { webhooks: [webhook({ auth_values: { hmac_secret: newSecret(bytes) } })] }))
      expect(reply.status, reply.text).toBe(200)
    }
  })

  it('refuses any auth value key but hmac_secret, without echoing its value', async () => {
    const value = newSecret()
    const reply = await create(campaignBody('Other key', { webhooks: [webhook({ auth_values: { api_key: value } })] }))
    expect(reply.status).toBe(422)
    expect(detailOf(reply)).toMatchObject([
      { loc: ['body', 'webhooks', 0, 'auth_values', 'api_key'], msg: 'Value error, only the key "hmac_secret" is allowed in auth_values' },
    ])
    expect(reply.text).not.toContain(value)
  })

  it('never echoes a secret in the input of any other 422 either', async () => {
    const secret = newSecret()
    const replies = await Promise.all([
      // A missing required field echoes the whole body.
      create({ campaign_variables: {}, caller_id: null, active_days: [], webhooks: [webhook({ auth_values: { hmac_secret: secret } })] }),
      // A webhook missing a field echoes the webhook.
      create(campaignBody('x', { webhooks: [{ trigger_statuses: [], auth_values: { hmac_secret: secret } }] })),
      // A wrongly typed secret is itself the input.
      create(campaignBody('x', { webhooks: [webhook({ auth_values: { hmac_secret: [secret] } })] })),
      create(campaignBody('x', { webhooks: [webhook({ auth_values: secret })] })),
      // Webhooks sent as an object rather than a list.
      create(campaignBody('x', { webhooks: { auth_values: { hmac_secret: secret } } })),
    ])
    for (const reply of replies) {
      expect(reply.status).toBe(422)
      expect(reply.text).not.toContain(secret)
    }
  })
})

describe('Syllable campaigns: the state file never holds a webhook secret', () => {
  it('persists that a secret is set, not the secret, and keeps it usable across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cac-syllable-state-'))
    try {
      const statePath = join(dir, 'sandbox.json')
      const secret = newSecret()
      const first = await startSandbox({ statePath, now: NOW })
      let campaign: Campaign
      try {
        const request = sandboxClient(() => first.url)
        const reply = await request('POST', CAMPAIGNS, { json: campaignBody('Persisted', { webhooks: [webhook({ auth_values: { hmac_secret: secret } })] }) })
        expect(reply.status, reply.text).toBe(200)
        campaign = reply.body as Campaign
      } finally {
        await first.close()
      }

      const text = await readFile(statePath, 'utf8')
      expect(text).not.toContain(secret)
      expect(text).not.toContain(Buffer.from(secret, 'base64').toString('hex'))
      expect(text).toContain('"auth_value_keys":["hmac_secret"]')

      const second = await startSandbox({ statePath, now: NOW })
      try {
        const request = sandboxClient(() => second.url)
        const read = await request('GET', `${CAMPAIGNS}/${campaign.id}`)
        expect((read.body as Campaign).webhooks[0]!.auth_value_keys).toEqual(['hmac_secret'])
        // "null keeps the stored value" still works after the restart.
        const kept = await request('PUT', `${CAMPAIGNS}/${campaign.id}`, {
          json: campaignBody('Persisted', { webhooks: [webhook({ id: campaign.webhooks[0]!.id, auth_values: { hmac_secret: null } })] }),
        })
        expect(kept.status, kept.text).toBe(200)
      } finally {
        await second.close()
      }
      expect(await readFile(statePath, 'utf8')).not.toContain(secret)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
