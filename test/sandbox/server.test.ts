import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { SandboxStore, startSandbox, StateFileError } from '../../src/sandbox/index.js'
import { sandboxClient, useSandbox } from '../helpers/sandbox.js'

const CAMPAIGNS = '/api/v1/outbound/campaigns'
const SARVAM = '/api/scheduling/v1/orgs/acme/workspaces/outbound/campaigns'
const campaignBody = (name: string) => ({ campaign_name: name, campaign_variables: {}, caller_id: '+19995551234', active_days: ['mon'] })

describe('sandbox server: routing, auth and errors', () => {
  const { request } = useSandbox()

  it('answers 404 {detail} for unknown paths and 405 for a known path with another method', async () => {
    expect(await request('GET', '/api/v1/outbound/nothing')).toMatchObject({ status: 404, body: { detail: 'Not Found' } })
    expect(await request('PATCH', `${CAMPAIGNS}/1`)).toMatchObject({ status: 405, body: { detail: 'Method Not Allowed' } })
    expect(await request('DELETE', `${SARVAM}/camp-1`)).toMatchObject({ status: 405 })
  })

  it('the control API refuses what a web page sends (Origin, Sec-Fetch-Site), and still answers cac and curl', async () => {
    await request('POST', CAMPAIGNS, { json: campaignBody('Kept') })
    const pages: Record<string, string>[] = [{ origin: 'https://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }]
    for (const headers of pages) {
      const reply = await request('POST', '/__sandbox/reset', { headers })
      expect(reply.status, JSON.stringify(headers)).toBe(403)
    }
    expect(((await request('GET', CAMPAIGNS)).body as { total_count: number }).total_count, 'nothing was reset').toBeGreaterThan(0)
    expect((await request('GET', '/__sandbox/counters', { headers: { 'sec-fetch-site': 'none' } })).status, 'typed into the address bar').toBe(200)
    expect((await request('GET', '/__sandbox/counters')).status).toBe(200)
  })

  it('requires each platform’s API key header', async () => {
    expect(await request('GET', CAMPAIGNS, { anonymous: true })).toMatchObject({ status: 401, body: { detail: expect.stringContaining('Syllable-API-Key') } })
    expect(await request('GET', SARVAM, { anonymous: true })).toMatchObject({
      status: 401,
      body: { detail: 'Provide a Bearer token or X-API-Key header' },
    })
    expect(await request('GET', SARVAM, { anonymous: true, headers: { authorization: 'Bearer t0ken' } })).toMatchObject({ status: 200 })
  })

  it('answers malformed JSON with a FastAPI json_invalid 422', async () => {
    const reply = await request('POST', CAMPAIGNS, { raw: '{"campaign_name": ', headers: { 'content-type': 'application/json' } })
    expect(reply.status).toBe(422)
    expect(reply.body).toEqual({ detail: [expect.objectContaining({ type: 'json_invalid', loc: ['body', expect.any(Number)], msg: 'JSON decode error' })] })
  })

  it('answers a missing body with a "Field required" 422 at loc [body]', async () => {
    expect(await request('POST', CAMPAIGNS)).toMatchObject({ status: 422, body: { detail: [{ type: 'missing', loc: ['body'], msg: 'Field required' }] } })
  })

  it('refuses bodies over 1 MB with 413', async () => {
    const reply = await request('POST', CAMPAIGNS, { raw: JSON.stringify({ campaign_name: 'x'.repeat(1_100_000) }), headers: { 'content-type': 'application/json' } })
    expect(reply.status).toBe(413)
  })
})

describe('sandbox server: counters', () => {
  const { sandbox, request } = useSandbox()

  it('counts every request per route template and outcome, and resets', async () => {
    await request('DELETE', '/__sandbox/counters')
    await request('POST', CAMPAIGNS, { json: campaignBody('A') })
    const created = await request('POST', CAMPAIGNS, { json: campaignBody('B') })
    const id = (created.body as { id: number }).id
    await request('GET', `${CAMPAIGNS}/${id}`)
    await request('GET', `${CAMPAIGNS}/999999`)
    await request('GET', '/api/v1/outbound/nope')
    const counters = (await request('GET', '/__sandbox/counters')).body
    expect(counters).toEqual({
      total: 5,
      routes: {
        'GET (no route)': { count: 1, outcomes: { '404': 1 } },
        'GET /api/v1/outbound/campaigns/{campaign_id}': { count: 2, outcomes: { '200': 1, '404': 1 } },
        'POST /api/v1/outbound/campaigns': { count: 2, outcomes: { '200': 2 } },
      },
    })
    expect(sandbox().counters.writes()).toBe(2)
    await request('DELETE', '/__sandbox/counters')
    expect((await request('GET', '/__sandbox/counters')).body).toEqual({ total: 0, routes: {} })
  })

  it('does not count control API calls', async () => {
    await request('DELETE', '/__sandbox/counters')
    await request('GET', '/__sandbox/health')
    await request('GET', '/__sandbox/faults')
    expect((await request('GET', '/__sandbox/counters')).body).toEqual({ total: 0, routes: {} })
  })
})

describe('sandbox server: faults over HTTP', () => {
  const { sandbox, request } = useSandbox()
  const reset = () => request('DELETE', '/__sandbox/faults')

  it('adds latency to API requests', async () => {
    await request('PATCH', '/__sandbox/faults', { json: { latency_ms: 150 } })
    const started = performance.now()
    await request('GET', CAMPAIGNS)
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
    await reset()
  })

  it('answers 429 with Retry-After, 500 and 503 without changing anything', async () => {
    await reset()
    await request('POST', '/__sandbox/faults/schedule', { json: { fault: 'throttle', route: 'POST /api/v1/outbound/campaigns' } })
    await request('POST', '/__sandbox/faults/schedule', { json: { fault: 'error500', route: 'POST /api/v1/outbound/campaigns' } })
    await request('POST', '/__sandbox/faults/schedule', { json: { fault: 'error503', route: 'POST /api/v1/outbound/campaigns' } })
    await request('PATCH', '/__sandbox/faults', { json: { retry_after_seconds: 3 } })
    const before = Object.keys(sandbox().store.state.syllable.campaigns).length
    const throttled = await request('POST', CAMPAIGNS, { json: campaignBody('T') })
    expect(throttled).toMatchObject({ status: 429, body: { detail: 'Too Many Requests' } })
    expect(throttled.headers.get('retry-after')).toBe('3')
    expect(await request('POST', CAMPAIGNS, { json: campaignBody('T') })).toMatchObject({ status: 500, body: { detail: 'Internal Server Error' } })
    expect(await request('POST', CAMPAIGNS, { json: campaignBody('T') })).toMatchObject({ status: 503 })
    expect(Object.keys(sandbox().store.state.syllable.campaigns)).toHaveLength(before)
    expect((await request('POST', CAMPAIGNS, { json: campaignBody('T') })).status).toBe(200)
    expect(Object.keys(sandbox().store.state.syllable.campaigns)).toHaveLength(before + 1)
  })

  it('resets the connection before handling (nothing changes)', async () => {
    await reset()
    await request('POST', '/__sandbox/faults/schedule', { json: { fault: 'reset', route: 'POST /api/v1/outbound/campaigns' } })
    const before = Object.keys(sandbox().store.state.syllable.campaigns).length
    await expect(request('POST', CAMPAIGNS, { json: campaignBody('R') })).rejects.toThrow()
    expect(Object.keys(sandbox().store.state.syllable.campaigns)).toHaveLength(before)
  })

  it('commits a write and then drops the response', async () => {
    await reset()
    await request('POST', '/__sandbox/faults/schedule', { json: { fault: 'drop', route: 'POST /api/v1/outbound/campaigns' } })
    await expect(request('POST', CAMPAIGNS, { json: campaignBody('Dropped Response') })).rejects.toThrow()
    const list = await request('GET', CAMPAIGNS, { query: { search_fields: 'campaign_name', search_field_values: 'Dropped Response' } })
    expect((list.body as { items: unknown[] }).items).toHaveLength(1)
    const counters = (await request('GET', '/__sandbox/counters')).body as { routes: Record<string, { outcomes: Record<string, number> }> }
    expect(counters.routes['POST /api/v1/outbound/campaigns']!.outcomes.dropped).toBe(1)
  })

  it('validates fault settings sent to the control API', async () => {
    expect(await request('PATCH', '/__sandbox/faults', { json: { rate_429: 3 } })).toMatchObject({ status: 400, body: { detail: expect.stringMatching(/probability/) } })
    expect(await request('POST', '/__sandbox/faults/schedule', { json: { fault: 'explode' } })).toMatchObject({ status: 400 })
    expect(await request('PUT', '/__sandbox/faults', { json: { rate_500: 0.5, seed: 9 } })).toMatchObject({ status: 200, body: { rate_500: 0.5, seed: 9, rate_429: 0 } })
    await reset()
  })
})

describe('sandbox server: clock control', () => {
  const { request } = useSandbox({ now: '2026-11-23T00:00:00Z' })

  it('reports, sets, advances and releases the clock', async () => {
    expect((await request('GET', '/__sandbox/clock')).body).toEqual({ now: '2026-11-23T00:00:00.000Z', frozen: true })
    expect((await request('PUT', '/__sandbox/clock', { json: { advance_seconds: 90 } })).body).toEqual({ now: '2026-11-23T00:01:30.000Z', frozen: true })
    expect((await request('PUT', '/__sandbox/clock', { json: { now: '2027-01-01T00:00:00+05:30' } })).body).toMatchObject({ now: '2026-12-31T18:30:00.000Z' })
    expect((await request('PUT', '/__sandbox/clock', { json: { now: 'tomorrow' } })).status).toBe(400)
    expect((await request('PUT', '/__sandbox/clock', { json: { now: null } })).body).toMatchObject({ frozen: false })
  })
})

describe('sandbox state persistence', () => {
  it('survives a restart, writes atomically, and is emptied by reset', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cac-sandbox-'))
    try {
      const path = join(dir, 'nested', 'sandbox.json')
      const first = await startSandbox({ statePath: path })
      const request = sandboxClient(() => first.url)
      const created = await request('POST', CAMPAIGNS, { json: campaignBody('Persisted') })
      await first.close()
      expect(await readdir(join(dir, 'nested'))).toEqual(['sandbox.json'])

      const second = await startSandbox({ statePath: path })
      const again = sandboxClient(() => second.url)
      const read = await again('GET', `${CAMPAIGNS}/${(created.body as { id: number }).id}`)
      expect(read).toMatchObject({ status: 200, body: { campaign_name: 'Persisted' } })
      await again('POST', '/__sandbox/reset')
      await second.close()
      const state = JSON.parse(await readFile(path, 'utf8')) as { syllable: { campaigns: object } }
      expect(state.syllable.campaigns).toEqual({})
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('refuses a state file that is not JSON, and resetFile repairs it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cac-sandbox-'))
    try {
      const path = join(dir, 'sandbox.json')
      await writeFile(path, '{"format_version": 1, "syllable": {')
      await expect(SandboxStore.open(path)).rejects.toThrow(StateFileError)
      await expect(SandboxStore.open(path)).rejects.toThrow(/not valid JSON/)
      await SandboxStore.resetFile(path)
      expect((await SandboxStore.open(path)).state.format_version).toBe(1)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('coalesces concurrent writes and loses none of them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cac-sandbox-'))
    try {
      const path = join(dir, 'sandbox.json')
      const running = await startSandbox({ statePath: path })
      const request = sandboxClient(() => running.url)
      await Promise.all(Array.from({ length: 40 }, (_, i) => request('POST', CAMPAIGNS, { json: campaignBody(`C${i}`) })))
      // Read the files while the server still runs: every acknowledged write is already on disk
      // (in the snapshot or its journal, which a read-only open replays).
      const reader = await SandboxStore.open(path, { readOnly: true })
      expect(Object.keys(reader.state.syllable.campaigns)).toHaveLength(40)
      await running.close()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
