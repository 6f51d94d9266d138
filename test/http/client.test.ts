import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import { HttpClient, retryAfter, type RetryEvent } from '../../src/http/client.js'
import { NetworkError, NotFoundError, RateLimitedError, ReadOnlyClientError, RequestDeadlineError, ServerError, ValidationError } from '../../src/http/errors.js'
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js'

const CAMPAIGNS = '/api/v1/outbound/campaigns'
const body = (name: string) => ({ campaign_name: name, campaign_variables: {}, caller_id: null, active_days: [] })

let sandbox: RunningSandbox
let client: HttpClient
let retries: RetryEvent[]
let slept: number[]

beforeAll(async () => {
  sandbox = await startSandbox()
})
afterAll(async () => {
  await client?.close()
  await sandbox.close()
})
beforeEach(async () => {
  await client?.close()
  sandbox.faults.clear()
  sandbox.counters.reset()
  retries = []
  slept = []
  client = new HttpClient({
    baseUrl: sandbox.url,
    headers: { 'Syllable-API-Key': 'tester@example.com' },
    retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 },
    sleep: async (ms) => {
      slept.push(ms)
    },
    random: () => 1,
    onRetry: (event) => retries.push(event),
  })
})

const count = (key: string) => sandbox.counters.snapshot().routes[key]?.count ?? 0

describe('HttpClient', () => {
  it('sends JSON, parses JSON, and repeats list query keys', async () => {
    await client.post(CAMPAIGNS, { json: body('Query A') })
    const reply = await client.get<{ items: { campaign_name: string }[] }>(CAMPAIGNS, {
      query: { search_fields: ['campaign_name'], search_field_values: ['Query A'], limit: 10, page: undefined },
    })
    expect(reply.status).toBe(200)
    expect(reply.body.items.map((i) => i.campaign_name)).toEqual(['Query A'])
  })

  it('maps error statuses to typed errors carrying FastAPI’s detail, never the credentials', async () => {
    await expect(client.get(`${CAMPAIGNS}/999999`)).rejects.toBeInstanceOf(NotFoundError)
    const error = await client.post(CAMPAIGNS, { json: { campaign_name: 'x' } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as Error).message).toMatch(/^POST \/api\/v1\/outbound\/campaigns → 422: campaign_variables: Field required/)
    expect((error as Error).message).not.toContain('tester@example.com')
  })

  it('retries a GET on 429, waiting what Retry-After says', async () => {
    sandbox.faults.update({ retry_after_seconds: 2 })
    sandbox.faults.schedule({ fault: 'throttle', route: 'GET /api/v1/outbound/campaigns', times: 2 })
    const reply = await client.get(CAMPAIGNS)
    expect(reply.status).toBe(200)
    expect(slept).toEqual([2000, 2000])
    expect(count('GET /api/v1/outbound/campaigns')).toBe(3)
  })

  it('retries GET and PUT on 5xx and resets with exponential backoff', async () => {
    sandbox.faults.schedule({ fault: 'error500', route: 'GET /api/v1/outbound/campaigns' })
    sandbox.faults.schedule({ fault: 'reset', route: 'GET /api/v1/outbound/campaigns' })
    sandbox.faults.schedule({ fault: 'error503', route: 'GET /api/v1/outbound/campaigns' })
    await client.get(CAMPAIGNS)
    expect(slept).toEqual([100, 200, 1000])
    expect(retries.map((r) => r.attempt)).toEqual([1, 2, 3])
  })

  it('gives up after maxAttempts with the last error', async () => {
    sandbox.faults.schedule({ fault: 'error500', route: 'GET /api/v1/outbound/campaigns', times: 10 })
    await expect(client.get(CAMPAIGNS)).rejects.toBeInstanceOf(ServerError)
    expect(count('GET /api/v1/outbound/campaigns')).toBe(4)
  })

  it('does not wait for a Retry-After longer than allowed', async () => {
    const patient = new HttpClient({ baseUrl: sandbox.url, headers: { 'Syllable-API-Key': 'k' }, retry: { maxRetryAfterMs: 500 }, sleep: async () => undefined })
    sandbox.faults.update({ retry_after_seconds: 5 })
    sandbox.faults.schedule({ fault: 'throttle', route: 'GET /api/v1/outbound/campaigns' })
    await expect(patient.get(CAMPAIGNS)).rejects.toBeInstanceOf(RateLimitedError)
    await patient.close()
  })

  it('never retries a POST blind: a dropped response is an ambiguous NetworkError, sent once', async () => {
    sandbox.faults.schedule({ fault: 'drop', route: 'POST /api/v1/outbound/campaigns' })
    const error = await client.post(CAMPAIGNS, { json: body('Dropped once') }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as NetworkError).ambiguous).toBe(true)
    expect(count('POST /api/v1/outbound/campaigns')).toBe(1)
  })

  it('does not retry a POST on a 500 (the server may have acted)', async () => {
    sandbox.faults.schedule({ fault: 'error500', route: 'POST /api/v1/outbound/campaigns' })
    await expect(client.post(CAMPAIGNS, { json: body('Five hundred') })).rejects.toBeInstanceOf(ServerError)
    expect(count('POST /api/v1/outbound/campaigns')).toBe(1)
  })

  it('retries a POST refused with 429 (not processed)', async () => {
    sandbox.faults.schedule({ fault: 'throttle', route: 'POST /api/v1/outbound/campaigns' })
    const reply = await client.post(CAMPAIGNS, { json: body('Throttled') })
    expect(reply.status).toBe(200)
    expect(count('POST /api/v1/outbound/campaigns')).toBe(2)
  })

  it('retries a POST whose connection was refused (it never left)', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    await new Promise<void>((resolve) => server.close(() => resolve()))
    const nowhere = new HttpClient({ baseUrl: `http://127.0.0.1:${port}`, retry: { maxAttempts: 3 }, sleep: async () => undefined })
    const error = await nowhere.post('/x', { json: {} }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as NetworkError).ambiguous).toBe(false)
    expect(nowhere.stats).toEqual({ requests: 3, retries: 2 })
    await nowhere.close()
  })

  it('times out a request that gets no answer', async () => {
    const silent = createServer(() => undefined)
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const port = (silent.address() as AddressInfo).port
    const impatient = new HttpClient({ baseUrl: `http://127.0.0.1:${port}`, requestTimeoutMs: 200, retry: { maxAttempts: 1 } })
    const error = await impatient.get('/slow').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RequestDeadlineError)
    expect((error as Error).message).toBe("GET /slow: no answer within 0.2 s (raise --timeout or the provider's timeout)")
    await impatient.close()
    silent.closeAllConnections()
    await new Promise<void>((resolve) => silent.close(() => resolve()))
  })

  it('keeps a base path prefix', async () => {
    const prefixed = new HttpClient({ baseUrl: `${sandbox.url}/api/v1/outbound/`, headers: { 'Syllable-API-Key': 'k' } })
    expect((await prefixed.get('/campaigns')).status).toBe(200)
    await prefixed.close()
  })
})

describe('retryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfter('3')).toBe(3000)
    expect(retryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000)
    expect(retryAfter('soon')).toBeUndefined()
    expect(retryAfter(undefined)).toBeUndefined()
  })
})

describe('read-only client', () => {
  it('sends GET, and refuses every writing method before anything reaches the server', async () => {
    const reader = new HttpClient({ baseUrl: sandbox.url, headers: { 'Syllable-API-Key': 'tester@example.com' }, readOnly: true })
    try {
      expect((await reader.get<unknown[]>(CAMPAIGNS)).status).toBe(200)
      const attempts = [
        () => reader.post(CAMPAIGNS, { json: body('Never') }),
        () => reader.put(`${CAMPAIGNS}/1`, { json: body('Never') }),
        () => reader.patch(`${CAMPAIGNS}/1`, { json: { hourly_rate: 2 } }),
        () => reader.delete(`${CAMPAIGNS}/1`),
      ]
      for (const attempt of attempts) await expect(attempt()).rejects.toBeInstanceOf(ReadOnlyClientError)
      expect(sandbox.counters.writes()).toBe(0)
    } finally {
      await reader.close()
    }
  })
})

