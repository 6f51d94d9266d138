import { describe, expect, it, onTestFinished, vi } from 'vitest'

import { HttpClient } from '../../src/http/client.js'
import { UnexpectedResponseError } from '../../src/http/errors.js'
import type { ListBounds } from '../../src/providers/list-reading.js'
import { SarvamApi } from '../../src/providers/sarvam/api.js'
import { BATCHES_PATH, CAMPAIGNS_PATH, SyllableApi } from '../../src/providers/syllable/api.js'
import { json, startHostileServer, type HostileHandler, type HostileServer } from '../helpers/hostile-server.js'
import { rejectionOf } from '../helpers/rejection.js'

const SARVAM = '/api/scheduling/v1/orgs/acme/workspaces/outbound/campaigns'
const SMALL: ListBounds = { maxPages: 50, maxItems: 500 }

function clientFor(server: HostileServer): HttpClient {
  const client = new HttpClient({ baseUrl: server.url, headers: { 'X-Test': 'k' }, retry: { maxAttempts: 1 } })
  onTestFinished(() => client.close())
  return client
}

async function syllable(bounds?: ListBounds, pageSize = 10): Promise<{ server: HostileServer; api: SyllableApi }> {
  const server = await startHostileServer(onTestFinished)
  return { server, api: new SyllableApi(clientFor(server), pageSize, bounds) }
}

async function sarvam(bounds?: ListBounds): Promise<{ server: HostileServer; api: SarvamApi }> {
  const server = await startHostileServer(onTestFinished)
  return { server, api: new SarvamApi(clientFor(server), SARVAM, bounds) }
}

/** The problem an UnexpectedResponseError reports, after checking its class. */
const refusal = (promise: Promise<unknown>): Promise<UnexpectedResponseError> => rejectionOf(promise, UnexpectedResponseError, 'the answer is refused')

const campaign = (id: number) => ({ id, campaign_name: `C${id}`, webhooks: [] })

/** Syllable list pages of `pageSize` campaigns numbered from the page (ids 1…), with the totals given. */
function campaignPages(pageSize: number, totals: { total_pages?: number | null; total_count?: number | null }, idsOn?: (page: number) => number[]): HostileHandler {
  return (request, response) => {
    const page = Number(request.query.get('page'))
    const ids = idsOn ? idsOn(page) : Array.from({ length: pageSize }, (_, i) => page * pageSize + i + 1)
    json(200, { items: ids.map(campaign), page, page_size: pageSize, ...totals })(request, response)
  }
}

describe('Syllable list answers', () => {
  it.each([
    ['[]', [], 'the answer is an array, expected an object'],
    ['{"items": null}', { items: null, page: 0, page_size: 10 }, 'items is null, expected an array'],
    ['no items', { page: 0, page_size: 10 }, 'items is missing, expected an array'],
    ['an item without id', { items: [{ campaign_name: 'A' }], page: 0, page_size: 10 }, 'items[0].id is missing, expected an integer ≥ 0'],
    ['a string id', { items: [{ id: '7', campaign_name: 'A' }], page: 0, page_size: 10 }, 'items[0].id is a string, expected an integer ≥ 0'],
    ['a fractional id', { items: [{ id: 1.5, campaign_name: 'A' }], page: 0, page_size: 10 }, 'items[0].id is 1.5, expected an integer ≥ 0'],
    ['an empty name', { items: [{ id: 1, campaign_name: '' }], page: 0, page_size: 10 }, 'items[0].campaign_name is an empty string, expected a non-empty string'],
    ['webhooks not a list', { items: [{ id: 1, campaign_name: 'A', webhooks: {} }], page: 0, page_size: 10 }, 'items[0].webhooks is an object, expected an array'],
    ['a webhook without id', { items: [{ id: 1, campaign_name: 'A', webhooks: [{ url: 'https://x' }] }], page: 0, page_size: 10 }, 'items[0].webhooks[0].id is missing, expected an integer ≥ 0'],
    ['page_size 0', { items: [], page: 0, page_size: 0 }, 'page_size is 0, expected an integer ≥ 1'],
    ['total_pages a string', { items: [], page: 0, page_size: 10, total_pages: '3' }, 'total_pages is a string, expected an integer ≥ 0'],
    ['total_count negative', { items: [], page: 0, page_size: 10, total_count: -1 }, 'total_count is -1, expected an integer ≥ 0'],
    ['more items than page_size', { items: [campaign(1), campaign(2)], page: 0, page_size: 1 }, 'items holds 2 entries, more than page_size 1'],
  ])('refuses %s', async (_name, body, problem) => {
    const { server, api } = await syllable()
    server.route('GET', CAMPAIGNS_PATH, json(200, body))
    const error = await refusal(api.listCampaigns())
    expect(error.message).toBe(`GET ${CAMPAIGNS_PATH} → 200: unexpected answer: ${problem}`)
  })

  it('refuses batches without a batch_id, or with a deleted_at that is not a date string', async () => {
    const { server, api } = await syllable()
    server.route('GET', BATCHES_PATH, json(200, { items: [{ campaign_id: 1 }], page: 0, page_size: 10 }), { times: 1 })
    server.route('GET', BATCHES_PATH, json(200, { items: [{ batch_id: 'b', campaign_id: 1, deleted_at: 0 }], page: 0, page_size: 10 }))
    expect((await refusal(api.listBatches())).problem).toBe('unexpected answer: items[0].batch_id is missing, expected a non-empty string')
    expect((await refusal(api.listBatches())).problem).toBe('unexpected answer: items[0].deleted_at is 0, expected a string')
  })

  it('reads every page concurrently once the count is known', async () => {
    const { server, api } = await syllable()
    let inFlight = 0
    let most = 0
    const pages = campaignPages(10, { total_count: 45, total_pages: 5 }, (page) => Array.from({ length: page === 4 ? 5 : 10 }, (_, i) => page * 10 + i + 1))
    server.route('GET', CAMPAIGNS_PATH, (request, response) => {
      inFlight += 1
      most = Math.max(most, inFlight)
      request.later(Number(request.query.get('page')) === 0 ? 0 : 50, () => {
        inFlight -= 1
        void pages(request, response)
      })
    })
    const campaigns = await api.listCampaigns()
    expect(campaigns.map((c) => c.id)).toEqual(Array.from({ length: 45 }, (_, i) => i + 1))
    expect(server.counts()[`GET ${CAMPAIGNS_PATH}`]).toBe(5)
    expect(most).toBeGreaterThanOrEqual(2)
  })

  it("asks for the other pages before it hands page 0's campaigns over, and hands each campaign over once", async () => {
    const server = await startHostileServer(onTestFinished)
    server.route('GET', CAMPAIGNS_PATH, campaignPages(10, { total_count: 30 }))
    const client = clientFor(server)
    const asked: unknown[] = []
    const get = client.get.bind(client)
    vi.spyOn(client, 'get').mockImplementation((path, options) => {
      asked.push(options?.query?.page)
      return get(path, options)
    })
    const api = new SyllableApi(client, 10)
    const handed: number[] = []
    let askedWhenFirstHanded: unknown[] | undefined
    const campaigns = await api.listCampaigns({}, (item) => {
      askedWhenFirstHanded ??= [...asked]
      handed.push(item.id)
    })
    expect(campaigns.map((c) => c.id)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
    expect(handed.sort((a, b) => a - b)).toEqual(campaigns.map((c) => c.id))
    // The client was asked for every page before the first campaign was handed over.
    expect(askedWhenFirstHanded).toEqual(expect.arrayContaining([0, 1, 2]))
  })

  it('hands over no campaign of a page that is refused', async () => {
    const { server, api } = await syllable()
    server.route('GET', CAMPAIGNS_PATH, (request, response) => {
      const page = Number(request.query.get('page'))
      // Page 1 says it is page 0: refused, after its campaigns were read.
      json(200, { items: [campaign(page * 10 + 1)], page: 0, page_size: 1, total_count: 2 })(request, response)
    })
    const handed: number[] = []
    expect((await refusal(api.listCampaigns({}, (item) => handed.push(item.id)))).problem).toBe('unexpected answer: page is 0, expected 1 (the page asked for)')
    expect(handed).toEqual([1])
  })

  it('refuses total_pages 1e9 and a huge total_count after one request, without allocating per page', async () => {
    const { server, api } = await syllable()
    server.route('GET', CAMPAIGNS_PATH, json(200, { items: [campaign(1)], page: 0, page_size: 10, total_pages: 1e9 }), { times: 1 })
    server.route('GET', CAMPAIGNS_PATH, json(200, { items: [campaign(1)], page: 0, page_size: 10, total_count: 1e12 }))
    expect((await refusal(api.listCampaigns())).problem).toBe(
      'unexpected answer: the list claims 1000000000 pages of 10, more than the 10000 pages cac reads from one list',
    )
    expect((await refusal(api.listCampaigns())).problem).toBe(
      'unexpected answer: total_count is 1000000000000, more than the 1000000 items cac reads from one list',
    )
    expect(server.counts()[`GET ${CAMPAIGNS_PATH}`]).toBe(2)
  })

  it('refuses total_pages whose pages would hold more items than the bound', async () => {
    const { server, api } = await syllable(SMALL)
    server.route('GET', CAMPAIGNS_PATH, json(200, { items: [campaign(1)], page: 0, page_size: 100, total_pages: 40 }))
    expect((await refusal(api.listCampaigns())).problem).toBe(
      'unexpected answer: total_pages is 40 of 100 items, more than the 500 items cac reads from one list',
    )
  })

  it('without totals, reads until a short page', async () => {
    const { server, api } = await syllable()
    server.route('GET', CAMPAIGNS_PATH, campaignPages(10, { total_pages: null, total_count: null }, (page) => (page < 2 ? Array.from({ length: 10 }, (_, i) => page * 10 + i + 1) : [21, 22])))
    expect(await api.listCampaigns()).toHaveLength(22)
    expect(server.counts()[`GET ${CAMPAIGNS_PATH}`]).toBe(3)
  })

  it('without totals, stops full pages that never end at the page bound', async () => {
    const { server, api } = await syllable({ maxPages: 50, maxItems: 100_000 })
    server.route('GET', CAMPAIGNS_PATH, campaignPages(10, { total_pages: null }))
    expect((await refusal(api.listCampaigns())).problem).toBe(
      'unexpected answer: more than 50 full pages and no total_pages or total_count: cac reads no more from one list',
    )
    expect(server.counts()[`GET ${CAMPAIGNS_PATH}`]).toBe(50)
  })

  it('without totals, stops at the item bound', async () => {
    const { server, api } = await syllable({ maxPages: 1000, maxItems: 500 })
    server.route('GET', CAMPAIGNS_PATH, campaignPages(10, {}))
    expect((await refusal(api.listCampaigns())).problem).toBe('unexpected answer: the list has more than 500 items, more than cac reads from one list')
    expect(server.counts()[`GET ${CAMPAIGNS_PATH}`]).toBe(51)
  })

  it('refuses the same page served again, after reading the whole list a second time', async () => {
    const { server, api } = await syllable()
    server.route('GET', CAMPAIGNS_PATH, campaignPages(10, { total_pages: 3 }, () => Array.from({ length: 10 }, (_, i) => i + 1)))
    expect((await refusal(api.listCampaigns())).problem).toMatch(
      /^unexpected answer: campaign id 1 appears on page 0 and on page [12], in two reads of the list \(the server serves the same items again\)$/,
    )
    expect(server.counts()[`GET ${CAMPAIGNS_PATH}`]).toBe(6)
  })

  it('refuses a server that ignores the page asked for', async () => {
    const { server, api } = await syllable()
    server.route('GET', CAMPAIGNS_PATH, json(200, { items: Array.from({ length: 10 }, (_, i) => campaign(i + 1)), page: 0, page_size: 10, total_pages: 9999 }))
    expect((await refusal(api.listCampaigns())).problem).toMatch(/^unexpected answer: page is 0, expected [1-8] \(the page asked for\)$/)
    // Nothing new is asked once a page was refused: page 0, then at most one round of 8 at once.
    expect(server.counts()[`GET ${CAMPAIGNS_PATH}`]).toBeLessThanOrEqual(9)
  })

  it('refuses the same page served forever without totals, at page 1', async () => {
    const { server, api } = await syllable()
    server.route('GET', CAMPAIGNS_PATH, campaignPages(10, { total_pages: null }, () => Array.from({ length: 10 }, (_, i) => i + 1)))
    await refusal(api.listCampaigns())
    expect(server.counts()[`GET ${CAMPAIGNS_PATH}`]).toBe(4)
  })

  it('accepts a list that shifted once while it was read (a repeat gone on the second read)', async () => {
    const { server, api } = await syllable()
    // First read: a create shifted campaign 10 onto page 1 as well. Second read: consistent.
    server.route('GET', CAMPAIGNS_PATH, (request, response) => {
      const page = Number(request.query.get('page'))
      const shifted = request.seen < 2 && page === 1
      const ids = shifted ? [10, 11, 12] : page === 0 ? Array.from({ length: 10 }, (_, i) => i + 1) : [11, 12, 13]
      json(200, { items: ids.map(campaign), page, page_size: 10, total_pages: 2 })(request, response)
    })
    expect((await api.listCampaigns()).map((c) => c.id)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1))
    expect(server.counts()[`GET ${CAMPAIGNS_PATH}`]).toBe(4)
  })
})

describe('Syllable single answers', () => {
  it('refuses a campaign answered for another id, and reads a 404 as missing', async () => {
    const { server, api } = await syllable()
    server.route('GET', `${CAMPAIGNS_PATH}/:id`, (request, response) =>
      request.params.id === '404' ? json(404, { detail: 'Not found' })(request, response) : json(200, campaign(99))(request, response),
    )
    expect((await refusal(api.getCampaign(5))).message).toBe(`GET ${CAMPAIGNS_PATH}/5 → 200: unexpected answer: id does not match the one asked for`)
    expect(await api.getCampaign(404)).toBeUndefined()
  })

  it('refuses a create answered without an id, or for another name, sent once', async () => {
    const { server, api } = await syllable()
    server.route('POST', CAMPAIGNS_PATH, json(200, { campaign_name: 'A' }), { times: 1 })
    server.route('POST', CAMPAIGNS_PATH, json(200, { id: 3, campaign_name: 'B' }), { times: 1 })
    server.route('POST', CAMPAIGNS_PATH, json(200, null))
    const body = { campaign_name: 'A', campaign_variables: {}, caller_id: null, active_days: [] }
    expect((await refusal(api.createCampaign(body))).problem).toBe('unexpected answer: id is missing, expected an integer ≥ 0')
    expect((await refusal(api.createCampaign(body))).problem).toBe('unexpected answer: campaign_name does not match the one sent')
    expect((await refusal(api.createCampaign(body))).problem).toBe('unexpected answer: the answer is null, expected an object')
    expect(server.counts()[`POST ${CAMPAIGNS_PATH}`]).toBe(3)
  })

  it('checks replace, batch create and batch update answers', async () => {
    const { server, api } = await syllable()
    server.route('PUT', `${CAMPAIGNS_PATH}/:id`, json(200, { id: 8, campaign_name: 'A' }))
    server.route('POST', BATCHES_PATH, json(200, { batch_id: 'other', campaign_id: 1 }))
    server.route('PUT', `${BATCHES_PATH}/:id`, json(200, { batch_id: 'b1', campaign_id: 'one' }))
    expect((await refusal(api.replaceCampaign(7, { campaign_name: 'A' }))).problem).toBe('unexpected answer: id does not match the one asked for')
    expect((await refusal(api.createBatch({ batch_id: 'b1', campaign_id: 1 }))).problem).toBe('unexpected answer: batch_id does not match the one sent')
    expect((await refusal(api.updateBatch('b1', { paused: true }))).problem).toBe('unexpected answer: campaign_id is a string, expected an integer ≥ 0')
  })

  it('deletes a campaign: an empty or JSON answer is done, a 404 already gone, an HTML page refused', async () => {
    const { server, api } = await syllable()
    server.route('DELETE', `${CAMPAIGNS_PATH}/:id`, (request, response) => {
      const id = request.params.id
      if (id === '1') {
        response.writeHead(200, { 'content-length': 0 })
        return void response.end()
      }
      if (id === '2') return json(200, {})(request, response)
      if (id === '3') return json(404, { detail: 'Not found' })(request, response)
      response.writeHead(200, { 'content-type': 'text/html' })
      response.end('<html>login</html>')
    })
    expect(await api.deleteCampaign(1)).toBe(true)
    expect(await api.deleteCampaign(2)).toBe(true)
    expect(await api.deleteCampaign(3)).toBe(false)
    expect((await refusal(api.deleteCampaign(4))).problem).toMatch(/^the answer is text\/html, expected JSON/)
  })
})

const summary = (id: string, name = id) => ({ campaign_id: id, name, status: 'scheduled', created_at: '2026-11-24T00:00:00Z' })

describe('Sarvam answers', () => {
  it.each([
    ['[]', [], 'the answer is an array, expected an object'],
    ['{"items": null}', { items: null, total: 0, limit: 100, offset: 0 }, 'items is null, expected an array'],
    ['no total', { items: [], limit: 100, offset: 0 }, 'total is missing, expected an integer ≥ 0'],
    ['limit 0', { items: [], total: 0, limit: 0, offset: 0 }, 'limit is 0, expected an integer ≥ 1'],
    ['an item without campaign_id', { items: [{ name: 'a', status: 'active' }], total: 1, limit: 100, offset: 0 }, 'items[0].campaign_id is missing, expected a non-empty string'],
    ['an item without status', { items: [{ campaign_id: 'c', name: 'a' }], total: 1, limit: 100, offset: 0 }, 'items[0].status is missing, expected a non-empty string'],
    ['total 1e12', { items: [], total: 1e12, limit: 100, offset: 0 }, 'total is 1000000000000, more than the 1000000 items cac reads from one list'],
    ['limit 1 with a big total', { items: [summary('c1')], total: 50_000, limit: 1, offset: 0 }, 'the list claims 50000 pages of 1 (total 50000), more than the 10000 pages cac reads from one list'],
  ])('refuses a list with %s', async (_name, body, problem) => {
    const { server, api } = await sarvam()
    server.route('GET', SARVAM, json(200, body))
    const error = await refusal(api.listAll())
    expect(error.message).toBe(`GET ${SARVAM} → 200: unexpected answer: ${problem}`)
    expect(server.counts()[`GET ${SARVAM}`]).toBe(1)
  })

  it('steps by the limit served, and refuses the same page served at every offset after two reads', async () => {
    const { server, api } = await sarvam()
    server.route('GET', SARVAM, (request, response) => {
      const offset = Number(request.query.get('offset'))
      json(200, { items: [summary(`c${offset}`), summary(`c${offset + 1}`)], total: 6, limit: 2, offset })(request, response)
    })
    expect((await api.listAll()).map((c) => c.campaign_id)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5'])
    const again = await sarvam()
    again.server.route('GET', SARVAM, json(200, { items: [summary('c0'), summary('c1')], total: 6, limit: 2, offset: 0 }))
    expect((await refusal(again.api.listAll())).problem).toBe(
      'unexpected answer: campaign_id c0 appears on offset 0 and on offset 2, in two reads of the list (the server serves the same items again)',
    )
    expect(again.server.counts()[`GET ${SARVAM}`]).toBe(6)
  })

  it('checks the detail, create, patch and status answers', async () => {
    const { server, api } = await sarvam()
    server.route('GET', `${SARVAM}/:id`, (request, response) =>
      json(200, request.params.id === 'c1' ? summary('c1') : { ...summary('c9'), app_config: {} })(request, response),
    )
    server.route('POST', SARVAM, json(200, { ...summary(''), name: 'New' }))
    server.route('PATCH', `${SARVAM}/:id`, json(200, summary('other')))
    server.route('PUT', `${SARVAM}/:id/status`, json(200, { campaign_id: 'c1', name: 'x' }))
    expect((await refusal(api.get('c1'))).problem).toBe('unexpected answer: app_config is missing, expected an object')
    expect((await refusal(api.get('c2'))).problem).toBe('unexpected answer: campaign_id does not match the one asked for')
    expect((await refusal(api.create({ name: 'New' }))).problem).toBe('unexpected answer: campaign_id is an empty string, expected a non-empty string')
    expect((await refusal(api.patch('c1', {}))).problem).toBe('unexpected answer: campaign_id does not match the one asked for')
    expect((await refusal(api.setStatus('c1', 'pause'))).problem).toBe('unexpected answer: status is missing, expected a non-empty string')
  })
})
