import { describe, expect, it } from 'vitest'

import {
  BASE,
  DAY,
  SECOND,
  T0,
  campaignBody,
  createCampaign,
  entryAt,
  iso,
  setStatus,
  useSarvamSandbox,
  validationEntries,
  workspacePath,
  type Json,
} from './sarvam-support.js'

const now = Date.parse(T0)
const base = campaignBody(now)
const appConfig = base.app_config as Json
const schedule = base.allowed_schedule as Json

interface BodyCase {
  title: string
  body: Json
  loc: (string | number)[]
  type: string
  msg?: RegExp
}

const withApp = (changes: Json): Json => ({ ...base, app_config: { ...appConfig, ...changes } })
const withRetry = (changes: Json): Json => withApp({ retry_config: { max_retries: 3, ...changes } })
const withSchedule = (changes: Json): Json => ({ ...base, allowed_schedule: { ...schedule, ...changes } })
const withWindow = (start: number, end: number): Json => ({ ...base, start_timestamp: iso(start), end_timestamp: iso(end) })
const without = (field: string): Json => Object.fromEntries(Object.entries(base).filter(([key]) => key !== field))

const createCases: BodyCase[] = [
  { title: 'name missing', body: without('name'), loc: ['body', 'name'], type: 'missing', msg: /^Field required$/ },
  { title: 'app_config missing', body: without('app_config'), loc: ['body', 'app_config'], type: 'missing' },
  { title: 'start_timestamp missing', body: without('start_timestamp'), loc: ['body', 'start_timestamp'], type: 'missing' },
  { title: 'end_timestamp missing', body: without('end_timestamp'), loc: ['body', 'end_timestamp'], type: 'missing' },
  { title: 'allowed_schedule missing', body: without('allowed_schedule'), loc: ['body', 'allowed_schedule'], type: 'missing' },
  { title: 'name with a character outside the pattern', body: { ...base, name: 'renewals/hi!' }, loc: ['body', 'name'], type: 'string_pattern_mismatch', msg: /should match pattern/ },
  { title: 'name empty', body: { ...base, name: '' }, loc: ['body', 'name'], type: 'string_pattern_mismatch' },
  { title: 'name of 51 characters', body: { ...base, name: 'a'.repeat(51) }, loc: ['body', 'name'], type: 'string_too_long', msg: /at most 50 characters/ },
  { title: 'name not a string', body: { ...base, name: 42 }, loc: ['body', 'name'], type: 'string_type' },
  { title: 'description of 151 characters', body: { ...base, description: 'd'.repeat(151) }, loc: ['body', 'description'], type: 'string_too_long', msg: /at most 150 characters/ },
  { title: 'app_config without app_id or experiment_id', body: { ...base, app_config: { app_version: 2, attempts_per_second: 2 } }, loc: ['body', 'app_config'], type: 'value_error', msg: /^Value error, app_id is required unless experiment_id/ },
  { title: 'app_version 0', body: withApp({ app_version: 0 }), loc: ['body', 'app_config', 'app_version'], type: 'greater_than_equal' },
  { title: 'app_type outside the enum', body: withApp({ app_type: 'bot' }), loc: ['body', 'app_config', 'app_type'], type: 'enum', msg: /'agent' or 'workflow'/ },
  { title: 'attempts_per_second below 0.1', body: withApp({ attempts_per_second: 0.05 }), loc: ['body', 'app_config', 'attempts_per_second'], type: 'greater_than_equal', msg: /0\.1/ },
  { title: 'attempts_per_second above 500', body: withApp({ attempts_per_second: 500.5 }), loc: ['body', 'app_config', 'attempts_per_second'], type: 'less_than_equal', msg: /500/ },
  { title: 'max_retries above 20', body: withRetry({ max_retries: 21 }), loc: ['body', 'app_config', 'retry_config', 'max_retries'], type: 'less_than_equal' },
  { title: 'max_retries below 0', body: withRetry({ max_retries: -1 }), loc: ['body', 'app_config', 'retry_config', 'max_retries'], type: 'greater_than_equal' },
  { title: 'retry_interval_minutes a string', body: withRetry({ retry_interval_minutes: '30' }), loc: ['body', 'app_config', 'retry_config', 'retry_interval_minutes'], type: 'int_type' },
  { title: 'retry_interval_minutes list with a non-integer', body: withRetry({ retry_interval_minutes: [5, 2.5] }), loc: ['body', 'app_config', 'retry_config', 'retry_interval_minutes', 1], type: 'int_type' },
  { title: 'provider_error max_retries above 20', body: withRetry({ retry_on: { provider_error: { enabled: true, max_retries: 99 } } }), loc: ['body', 'app_config', 'retry_config', 'retry_on', 'provider_error', 'max_retries'], type: 'less_than_equal' },
  { title: 'phone number not E.164', body: withApp({ connection_configs: [{ connection_id: 'c', phone_numbers: ['08047168000'] }] }), loc: ['body', 'app_config', 'connection_configs', 0, 'phone_numbers', 0], type: 'string_pattern_mismatch' },
  { title: 'connection without connection_id', body: withApp({ connection_configs: [{ phone_numbers: ['+918047168000'] }] }), loc: ['body', 'app_config', 'connection_configs', 0, 'connection_id'], type: 'missing' },
  { title: 'connection weight 0', body: withApp({ connection_configs: [{ connection_id: 'c', phone_numbers: ['+918047168000'], weight: 0 }] }), loc: ['body', 'app_config', 'connection_configs', 0, 'weight'], type: 'greater_than_equal' },
  { title: 'webhook_config without url', body: { ...base, webhook_config: { metadata: {} } }, loc: ['body', 'webhook_config', 'url'], type: 'missing' },
  { title: 'allowed_start_time not HH:MM', body: withSchedule({ allowed_start_time: '9am' }), loc: ['body', 'allowed_schedule', 'allowed_start_time'], type: 'value_error', msg: /HH:MM/ },
  { title: 'allowed_end_time 24:00', body: withSchedule({ allowed_end_time: '24:00' }), loc: ['body', 'allowed_schedule', 'allowed_end_time'], type: 'value_error' },
  { title: 'allowed_start_time with seconds', body: withSchedule({ allowed_start_time: '10:00:00' }), loc: ['body', 'allowed_schedule', 'allowed_start_time'], type: 'value_error' },
  { title: 'window start after end', body: withSchedule({ allowed_start_time: '19:00', allowed_end_time: '10:00' }), loc: ['body', 'allowed_schedule'], type: 'value_error', msg: /earlier than allowed_end_time/ },
  { title: 'window start equal to end', body: withSchedule({ allowed_start_time: '10:00', allowed_end_time: '10:00' }), loc: ['body', 'allowed_schedule'], type: 'value_error' },
  { title: 'allowed_days empty', body: withSchedule({ allowed_days: [] }), loc: ['body', 'allowed_schedule', 'allowed_days'], type: 'too_short', msg: /at least 1 item/ },
  { title: 'allowed_days with an abbreviation', body: withSchedule({ allowed_days: ['Monday', 'tue'] }), loc: ['body', 'allowed_schedule', 'allowed_days', 1], type: 'enum' },
  { title: 'unknown time zone', body: withSchedule({ timezone: 'Mars/Olympus' }), loc: ['body', 'allowed_schedule', 'timezone'], type: 'value_error', msg: /not a valid IANA time zone/ },
  { title: 'time zone in the wrong case', body: withSchedule({ timezone: 'asia/kolkata' }), loc: ['body', 'allowed_schedule', 'timezone'], type: 'value_error' },
  { title: 'time zone with a wrongly cased word', body: withSchedule({ timezone: 'America/Buenos_aires' }), loc: ['body', 'allowed_schedule', 'timezone'], type: 'value_error' },
  { title: 'start_timestamp without an offset', body: { ...base, start_timestamp: '2026-11-23T01:00:00' }, loc: ['body', 'start_timestamp'], type: 'timezone_aware' },
  { title: 'start_timestamp not a date', body: { ...base, start_timestamp: 'tomorrow' }, loc: ['body', 'start_timestamp'], type: 'datetime_from_date_parsing' },
  { title: 'start_timestamp a leap second', body: { ...base, start_timestamp: '2026-11-23T23:59:60Z' }, loc: ['body', 'start_timestamp'], type: 'datetime_from_date_parsing' },
  { title: 'start 119 s from now', body: withWindow(now + 119 * SECOND, now + DAY), loc: ['body', 'start_timestamp'], type: 'value_error', msg: /at least 120 seconds from now/ },
  { title: 'start in the past', body: withWindow(now - DAY, now + DAY), loc: ['body', 'start_timestamp'], type: 'value_error' },
  { title: 'start 7 days and 1 s from now', body: withWindow(now + 7 * DAY + SECOND, now + 8 * DAY), loc: ['body', 'start_timestamp'], type: 'value_error', msg: /no more than 7 days from now/ },
  { title: 'end 119 s after start', body: withWindow(now + DAY, now + DAY + 119 * SECOND), loc: ['body', 'end_timestamp'], type: 'value_error', msg: /at least 120 seconds after start_timestamp/ },
  { title: 'end before start', body: withWindow(now + DAY, now + DAY / 2), loc: ['body', 'end_timestamp'], type: 'value_error' },
  { title: 'end 30 days and 1 s after start', body: withWindow(now + DAY, now + 31 * DAY + SECOND), loc: ['body', 'end_timestamp'], type: 'value_error', msg: /no more than 30 days after start_timestamp/ },
]

describe('Sarvam create: 422 for every invalid body', () => {
  const { request } = useSarvamSandbox({ now: T0 })

  it.each(createCases)('$title → 422 $type at $loc', async ({ body, loc, type, msg }) => {
    const reply = await request('POST', `${BASE}/campaigns`, { json: body })
    const entry = entryAt(reply, loc)
    expect(entry.type).toBe(type)
    if (msg) expect(entry.msg).toMatch(msg)
  })

  it('value errors read like pydantic ("Value error, …") and echo the input', async () => {
    const reply = await request('POST', `${BASE}/campaigns`, { json: withWindow(now + 60 * SECOND, now + DAY) })
    expect(validationEntries(reply)).toEqual([
      {
        type: 'value_error',
        loc: ['body', 'start_timestamp'],
        msg: 'Value error, start_timestamp must be at least 120 seconds from now',
        input: iso(now + 60 * SECOND),
        ctx: { error: {} },
      },
    ])
  })

  it('reports every problem of a body at once, one entry per field', async () => {
    const reply = await request('POST', `${BASE}/campaigns`, {
      json: { ...withSchedule({ allowed_days: [], timezone: 'Nowhere/City' }), name: 'a'.repeat(51) + '!', description: 'd'.repeat(151) },
    })
    const locs = validationEntries(reply).map((entry) => entry.loc.join('.'))
    expect(locs.sort()).toEqual(['body.allowed_schedule.allowed_days', 'body.allowed_schedule.timezone', 'body.description', 'body.name'])
  })

  it('an empty object lists all five required fields; no body at all is one missing body', async () => {
    const empty = await request('POST', `${BASE}/campaigns`, { json: {} })
    expect(validationEntries(empty).map((entry) => entry.loc[1]).sort()).toEqual(
      ['allowed_schedule', 'app_config', 'end_timestamp', 'name', 'start_timestamp'],
    )
    const none = await request('POST', `${BASE}/campaigns`)
    expect(validationEntries(none)).toEqual([{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }])
  })

  it('malformed JSON is a 422 json_invalid', async () => {
    const reply = await request('POST', `${BASE}/campaigns`, { raw: '{"name": ', headers: { 'content-type': 'application/json' } })
    expect(validationEntries(reply)[0]!.type).toBe('json_invalid')
  })

  it('accepts the edges: start exactly now+120 s and now+7 d, end exactly start+120 s and start+30 d, 0.1 and 500 APS, 0 and 20 retries', async () => {
    const edges: Json[] = [
      { ...withWindow(now + 120 * SECOND, now + 240 * SECOND), name: 'edge 1_earliest start' },
      { ...withWindow(now + 7 * DAY, now + 37 * DAY), name: 'edge-2 latest start and end' },
      { ...withApp({ attempts_per_second: 0.1, retry_config: { max_retries: 0 } }), name: 'edge 3 slow' },
      { ...withApp({ attempts_per_second: 500, retry_config: { max_retries: 20 } }), name: 'edge 4 fast' },
      { ...withSchedule({ allowed_start_time: '00:00', allowed_end_time: '23:59', allowed_days: ['Sunday'] }), name: 'edge 5' },
      { ...base, description: null, webhook_config: null, name: 'edge 6 nulls' },
      { ...base, name: 'A'.repeat(50), description: 'd'.repeat(150) },
    ]
    for (const body of edges) await createCampaign(request, BASE, body)
  })

  it('accepts IANA names, including aliases and multi-segment names, and defaults the time zone to Asia/Kolkata', async () => {
    for (const [i, timezone] of ['Asia/Kolkata', 'Europe/London', 'UTC', 'America/Argentina/Buenos_Aires', 'US/Pacific', 'Etc/GMT+5'].entries()) {
      await createCampaign(request, BASE, { ...withSchedule({ timezone }), name: `zone-${i}` })
    }
    const { timezone: _dropped, ...noZone } = schedule
    const created = await createCampaign(request, BASE, { ...base, name: 'zone-default', allowed_schedule: noZone })
    const detail = await request('GET', `${BASE}/campaigns/${created.campaign_id}`)
    expect((detail.body as { allowed_schedule: Json }).allowed_schedule.timezone).toBe('Asia/Kolkata')
  })
})

describe('Sarvam list and status: 422 for bad parameters', () => {
  const { request } = useSarvamSandbox({ now: T0 })

  const parameterCases: { query: Record<string, string | number>; loc: string[]; type: string }[] = [
    { query: { limit: 0 }, loc: ['query', 'limit'], type: 'greater_than_equal' },
    { query: { limit: 101 }, loc: ['query', 'limit'], type: 'less_than_equal' },
    { query: { limit: 'ten' }, loc: ['query', 'limit'], type: 'int_parsing' },
    { query: { offset: -1 }, loc: ['query', 'offset'], type: 'greater_than_equal' },
    { query: { sort_by: 'status' }, loc: ['query', 'sort_by'], type: 'enum' },
    { query: { sort_order: 'up' }, loc: ['query', 'sort_order'], type: 'enum' },
    { query: { campaign_status: 'running' }, loc: ['query', 'campaign_status'], type: 'enum' },
  ]

  it.each(parameterCases)('GET /campaigns with $query → 422 $type', async ({ query, loc, type }) => {
    const reply = await request('GET', `${BASE}/campaigns`, { query })
    expect(entryAt(reply, loc).type).toBe(type)
  })

  it('names the allowed values of an enum, and reports several bad parameters together', async () => {
    const reply = await request('GET', `${BASE}/campaigns`, { query: { campaign_status: 'running', limit: 0 } })
    expect(entryAt(reply, ['query', 'campaign_status']).msg).toBe(
      "Input should be 'ended', 'active', 'paused', 'scheduled' or 'cancelled'",
    )
    expect(validationEntries(reply)).toHaveLength(2)
  })

  it('a status action outside the enum, or none, is a 422', async () => {
    const { campaign_id } = await createCampaign(request, BASE, campaignBody(now, { name: 'actions' }))
    const stop = await setStatus(request, BASE, campaign_id, 'stop')
    expect(entryAt(stop, ['body', 'action'])).toMatchObject({ type: 'enum', msg: "Input should be 'pause', 'resume' or 'cancel'", input: 'stop' })
    const missing = await request('PUT', `${BASE}/campaigns/${campaign_id}/status`, { json: {} })
    expect(entryAt(missing, ['body', 'action']).type).toBe('missing')
  })
})

describe('Sarvam update: 422 for an invalid PATCH', () => {
  const { request } = useSarvamSandbox({ now: T0 })
  const start = now + 60 * 60 * SECOND

  it.each([
    { title: 'name pattern', body: { name: 'no/slashes' }, loc: ['body', 'name'], type: 'string_pattern_mismatch' },
    { title: 'name length', body: { name: 'n'.repeat(51) }, loc: ['body', 'name'], type: 'string_too_long' },
    { title: 'description length', body: { description: 'd'.repeat(151) }, loc: ['body', 'description'], type: 'string_too_long' },
    { title: 'app_config without app_id', body: { app_config: { app_version: 3 } }, loc: ['body', 'app_config'], type: 'value_error' },
    { title: 'app_config APS', body: { app_config: { app_id: 'a', attempts_per_second: 0 } }, loc: ['body', 'app_config', 'attempts_per_second'], type: 'greater_than_equal' },
    { title: 'schedule window', body: { allowed_schedule: { ...schedule, allowed_start_time: '20:00' } }, loc: ['body', 'allowed_schedule'], type: 'value_error' },
    { title: 'schedule without days', body: { allowed_schedule: { ...schedule, allowed_days: [] } }, loc: ['body', 'allowed_schedule', 'allowed_days'], type: 'too_short' },
    { title: 'end 119 s after start', body: { end_timestamp: iso(start + 119 * SECOND) }, loc: ['body', 'end_timestamp'], type: 'value_error', msg: /at least 120 seconds after/ },
    { title: 'end 30 d + 1 s after start', body: { end_timestamp: iso(start + 30 * DAY + SECOND) }, loc: ['body', 'end_timestamp'], type: 'value_error', msg: /no more than 30 days/ },
    { title: 'end in the past', body: { end_timestamp: iso(now - SECOND) }, loc: ['body', 'end_timestamp'], type: 'value_error', msg: /in the future/ },
    { title: 'end without offset', body: { end_timestamp: '2026-11-30T00:00:00' }, loc: ['body', 'end_timestamp'], type: 'timezone_aware' },
  ])('$title → 422 $type', async ({ body, loc, type, msg }) => {
    const { campaign_id } = await createCampaign(request, BASE, campaignBody(now, { name: `patch-${Math.random().toString(36).slice(2, 10)}` }))
    const reply = await request('PATCH', `${BASE}/campaigns/${campaign_id}`, { json: body })
    const entry = entryAt(reply, loc)
    expect(entry.type).toBe(type)
    if (msg) expect(entry.msg).toMatch(msg)
  })

  it('accepts the edges of the end window and changes nothing on a refused PATCH', async () => {
    const created = await createCampaign(request, BASE, campaignBody(now, { name: 'patch-edges' }))
    const path = `${BASE}/campaigns/${created.campaign_id}`
    expect((await request('PATCH', path, { json: { end_timestamp: iso(start + 120 * SECOND) } })).status).toBe(200)
    expect((await request('PATCH', path, { json: { end_timestamp: iso(start + 30 * DAY) } })).status).toBe(200)
    expect((await request('PATCH', path, { json: { name: 'renamed', end_timestamp: iso(start) } })).status).toBe(422)
    const detail = (await request('GET', path)).body as { name: string; end_timestamp: string }
    expect(detail).toMatchObject({ name: 'patch-edges', end_timestamp: '2026-12-23T01:00:00Z' })
  })
})

describe('Sarvam errors: 401, 404, 405, 409', () => {
  const { request } = useSarvamSandbox({ now: T0 })

  it('401 without an API key or Bearer token, for every endpoint', async () => {
    for (const [method, path] of [
      ['POST', `${BASE}/campaigns`],
      ['GET', `${BASE}/campaigns`],
      ['GET', `${BASE}/campaigns/camp-00000001`],
      ['PATCH', `${BASE}/campaigns/camp-00000001`],
      ['PUT', `${BASE}/campaigns/camp-00000001/status`],
    ] as const) {
      const reply = await request(method, path, { anonymous: true, ...(method === 'GET' ? {} : { json: {} }) })
      expect(reply.status).toBe(401)
      expect(reply.body).toEqual({ detail: 'Provide a Bearer token or X-API-Key header' })
    }
    expect((await request('GET', `${BASE}/campaigns`, { anonymous: true, headers: { 'X-API-Key': '  ' } })).status).toBe(401)
  })

  it('accepts a Bearer token in place of X-API-Key, and records its actor', async () => {
    const reply = await request('POST', `${BASE}/campaigns`, {
      anonymous: true,
      headers: { authorization: 'Bearer dashboard@example.com' },
      json: campaignBody(now, { name: 'bearer' }),
    })
    expect(reply.status).toBe(200)
    expect(reply.body).toMatchObject({ created_by: 'dashboard@example.com' })
  })

  it('404 for an unknown campaign on get, patch and status', async () => {
    const path = `${BASE}/campaigns/camp-deadbeef`
    for (const reply of [
      await request('GET', path),
      await request('PATCH', path, { json: { description: 'x' } }),
      await setStatus(request, BASE, 'camp-deadbeef', 'pause'),
    ]) {
      expect(reply.status).toBe(404)
      expect(reply.body).toEqual({ detail: 'Campaign camp-deadbeef not found' })
    }
  })

  it('a campaign is invisible (404) from another workspace or org, and absent from its lists', async () => {
    const { campaign_id } = await createCampaign(request, BASE, campaignBody(now, { name: 'scoped' }))
    for (const other of [workspacePath('acme', 'inbound'), workspacePath('globex', 'outbound')]) {
      expect((await request('GET', `${other}/campaigns/${campaign_id}`)).status).toBe(404)
      expect((await request('PATCH', `${other}/campaigns/${campaign_id}`, { json: { description: 'x' } })).status).toBe(404)
      expect((await setStatus(request, other, campaign_id, 'cancel')).status).toBe(404)
      const list = await request('GET', `${other}/campaigns`)
      expect(list.body).toMatchObject({ items: [], total: 0 })
    }
    expect((await request('GET', `${BASE}/campaigns/${campaign_id}`)).status).toBe(200)
  })

  it('405 for DELETE (no delete endpoint exists) and other unsupported methods on known paths', async () => {
    const { campaign_id } = await createCampaign(request, BASE, campaignBody(now, { name: 'undeletable' }))
    for (const [method, path] of [
      ['DELETE', `${BASE}/campaigns/${campaign_id}`],
      ['DELETE', `${BASE}/campaigns`],
      ['PUT', `${BASE}/campaigns/${campaign_id}`],
      ['GET', `${BASE}/campaigns/${campaign_id}/status`],
    ] as const) {
      const reply = await request(method, path)
      expect(reply.status, `${method} ${path}`).toBe(405)
      expect(reply.body).toEqual({ detail: 'Method Not Allowed' })
    }
    expect((await request('GET', `${BASE}/campaigns/${campaign_id}`)).status).toBe(200)
  })

  it('404 for the endpoints that are not emulated (cohorts, webhook deliveries)', async () => {
    const { campaign_id } = await createCampaign(request, BASE, campaignBody(now, { name: 'no-cohorts' }))
    expect((await request('GET', `${BASE}/campaigns/${campaign_id}/cohorts`)).status).toBe(404)
    expect((await request('GET', `${BASE}/campaigns/${campaign_id}/webhooks`)).status).toBe(404)
  })

  it('409 for a name already used in the workspace, on create and on rename; the same name is fine elsewhere', async () => {
    const first = await createCampaign(request, BASE, campaignBody(now, { name: 'taken' }))
    const duplicate = await request('POST', `${BASE}/campaigns`, { json: campaignBody(now, { name: 'taken' }) })
    expect(duplicate.status).toBe(409)
    expect(duplicate.body).toEqual({ detail: `A campaign named 'taken' already exists in this workspace (${first.campaign_id})` })

    const second = await createCampaign(request, BASE, campaignBody(now, { name: 'other' }))
    const rename = await request('PATCH', `${BASE}/campaigns/${second.campaign_id}`, { json: { name: 'taken' } })
    expect(rename.status).toBe(409)
    const keep = await request('PATCH', `${BASE}/campaigns/${first.campaign_id}`, { json: { name: 'taken' } })
    expect(keep.status).toBe(200)

    await createCampaign(request, workspacePath('acme', 'inbound'), campaignBody(now, { name: 'taken' }))
  })

  it('a cancelled campaign keeps its name', async () => {
    const { campaign_id } = await createCampaign(request, BASE, campaignBody(now, { name: 'cancelled-name' }))
    expect((await setStatus(request, BASE, campaign_id, 'cancel')).status).toBe(200)
    expect((await request('POST', `${BASE}/campaigns`, { json: campaignBody(now, { name: 'cancelled-name' }) })).status).toBe(409)
  })

  it('validation comes before the 409: an invalid body with a taken name is a 422', async () => {
    await createCampaign(request, BASE, campaignBody(now, { name: 'first-422' }))
    const reply = await request('POST', `${BASE}/campaigns`, { json: campaignBody(now, { name: 'first-422', description: 'd'.repeat(151) }) })
    expect(reply.status).toBe(422)
  })
})
