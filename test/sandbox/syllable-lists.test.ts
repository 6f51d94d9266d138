import { beforeAll, describe, expect, it } from 'vitest'

import { useSandbox, type SandboxReply } from '../helpers/sandbox.js'

const CAMPAIGNS = '/api/v1/outbound/campaigns'
const BATCHES = '/api/v1/outbound/batches'

type Query = Record<string, string | number | (string | number)[]>

interface Page {
  items: Record<string, unknown>[]
  page: number
  page_size: number
  total_pages: number | null
  total_count: number | null
}

interface ValidationBody {
  detail: { type: string; loc: (string | number)[]; msg: string; input?: unknown }[]
}

const pageOf = (reply: SandboxReply): Page => {
  expect(reply.status, reply.text).toBe(200)
  return reply.body as Page
}
const locsOf = (reply: SandboxReply) => (reply.body as ValidationBody).detail.map((entry) => entry.loc)

/** Five campaigns, one minute apart (so updated_at differs), with names chosen to test case and substrings. */
const CAMPAIGN_FIXTURES = [
  { campaign_name: 'Alpha renewals', labels: ['q4', 'renewals'], mode: 'voice', campaign_variables: { region: 'us-east' } },
  { campaign_name: 'beta Renewals', labels: ['q1'], mode: null, campaign_variables: { region: 'eu-west' } },
  { campaign_name: 'Gamma', labels: null, mode: 'sms', campaign_variables: {} },
  { campaign_name: 'delta', labels: ['Q4'], mode: 'voice', campaign_variables: { tier: 'gold' } },
  { campaign_name: 'Epsilon renewals', labels: [], mode: null, campaign_variables: {} },
]

describe('Syllable campaign list: pagination, search, order, projection, time window', () => {
  const { request, sandbox } = useSandbox({ now: '2026-11-23T00:00:00Z' })
  const ids: number[] = []

  beforeAll(async () => {
    for (const fixture of CAMPAIGN_FIXTURES) {
      const reply = await request('POST', CAMPAIGNS, { json: { caller_id: '+19995551234', active_days: ['mon'], ...fixture } })
      ids.push((reply.body as { id: number }).id)
      sandbox().clock.advance(60)
    }
  })

  const list = async (query: Query = {}) => pageOf(await request('GET', CAMPAIGNS, { query }))
  const names = (page: Page) => page.items.map((item) => item.campaign_name)

  it('defaults to page 0 with limit 25, in id order', async () => {
    const page = await list()
    expect(page).toMatchObject({ page: 0, page_size: 25, total_pages: 1, total_count: 5 })
    expect(page.items.map((item) => item.id)).toEqual(ids)
  })

  it('slices pages of `limit` items; page_size is the limit on every page, including the last and past the end', async () => {
    expect(await list({ limit: 2 })).toMatchObject({ page: 0, page_size: 2, total_pages: 3, total_count: 5, items: [{ id: ids[0] }, { id: ids[1] }] })
    expect(await list({ limit: 2, page: 1 })).toMatchObject({ page: 1, page_size: 2, items: [{ id: ids[2] }, { id: ids[3] }] })
    const last = await list({ limit: 2, page: 2 })
    expect(last).toMatchObject({ page: 2, page_size: 2, total_pages: 3, total_count: 5 })
    expect(last.items.map((item) => item.id)).toEqual([ids[4]])
    expect(await list({ limit: 2, page: 3 })).toEqual({ items: [], page: 3, page_size: 2, total_pages: 3, total_count: 5 })
  })

  it('limit 1 gives one page per item; limit 0 gives no items and no pages; there is no maximum', async () => {
    expect(await list({ limit: 1, page: 4 })).toMatchObject({ total_pages: 5, total_count: 5, items: [{ id: ids[4] }] })
    expect(await list({ limit: 0 })).toEqual({ items: [], page: 0, page_size: 0, total_pages: 0, total_count: 5 })
    expect(await list({ limit: 100000 })).toMatchObject({ page_size: 100000, total_pages: 1, total_count: 5 })
  })

  it('orders by a field, asc or desc, with a locale-aware text order', async () => {
    expect(names(await list({ order_by: 'campaign_name' }))).toEqual(['Alpha renewals', 'beta Renewals', 'delta', 'Epsilon renewals', 'Gamma'])
    expect(names(await list({ order_by: 'campaign_name', order_by_direction: 'desc' }))).toEqual([
      'Gamma',
      'Epsilon renewals',
      'delta',
      'beta Renewals',
      'Alpha renewals',
    ])
    expect((await list({ order_by: 'id', order_by_direction: 'desc' })).items.map((item) => item.id)).toEqual([...ids].reverse())
    expect((await list({ order_by_direction: 'desc' })).items.map((item) => item.id)).toEqual([...ids].reverse())
  })

  it('orders nulls last ascending and first descending; ties keep the id order', async () => {
    expect(names(await list({ order_by: 'mode' }))).toEqual(['Gamma', 'Alpha renewals', 'delta', 'beta Renewals', 'Epsilon renewals'])
    expect(names(await list({ order_by: 'mode', order_by_direction: 'desc' }))).toEqual([
      'Epsilon renewals',
      'beta Renewals',
      'delta',
      'Alpha renewals',
      'Gamma',
    ])
  })

  it('pages after ordering and searching', async () => {
    const page = await list({ order_by: 'campaign_name', order_by_direction: 'desc', limit: 2, page: 1 })
    expect(names(page)).toEqual(['delta', 'beta Renewals'])
    const searched = await list({ search_fields: ['campaign_name'], search_field_values: ['renewals'], limit: 2, page: 1 })
    expect(searched).toMatchObject({ total_count: 3, total_pages: 2 })
    expect(names(searched)).toEqual(['Epsilon renewals'])
  })

  it('searches text as a case-insensitive substring', async () => {
    const page = await list({ search_fields: ['campaign_name'], search_field_values: ['RENEWAL'] })
    expect(page).toMatchObject({ total_count: 3, total_pages: 1 })
    expect(names(page)).toEqual(['Alpha renewals', 'beta Renewals', 'Epsilon renewals'])
  })

  it('searches id exactly, lists by any element, objects by key or value; several terms must all match', async () => {
    expect((await list({ search_fields: ['id'], search_field_values: [String(ids[2])] })).items.map((item) => item.id)).toEqual([ids[2]])
    expect((await list({ search_fields: ['id'], search_field_values: ['99999'] })).total_count).toBe(0)
    expect(names(await list({ search_fields: ['labels'], search_field_values: ['q4'] }))).toEqual(['Alpha renewals', 'delta'])
    expect(names(await list({ search_fields: ['campaign_variables'], search_field_values: ['gold'] }))).toEqual(['delta'])
    expect(names(await list({ search_fields: ['campaign_variables'], search_field_values: ['region'] }))).toEqual(['Alpha renewals', 'beta Renewals'])
    expect(
      names(await list({ search_fields: ['campaign_name', 'mode'], search_field_values: ['renewals', 'voice'] })),
    ).toEqual(['Alpha renewals'])
    // Null never matches, not even the empty needle (every campaign's source is null).
    expect((await list({ search_fields: ['source'], search_field_values: [''] })).total_count).toBe(0)
  })

  it('projects each item onto `fields`', async () => {
    const page = await list({ fields: ['id', 'campaign_name'], limit: 2 })
    expect(page.items).toEqual([
      { id: ids[0], campaign_name: 'Alpha renewals' },
      { id: ids[1], campaign_name: 'beta Renewals' },
    ])
    expect(page).toMatchObject({ page_size: 2, total_count: 5 })
  })

  it('filters on updated_at with start_datetime / end_datetime, both inclusive', async () => {
    // The fixtures were created at 00:00, 00:01, 00:02, 00:03 and 00:04.
    const window = await list({ start_datetime: '2026-11-23T00:01:00Z', end_datetime: '2026-11-23T00:03:00Z' })
    expect(window.items.map((item) => item.id)).toEqual([ids[1], ids[2], ids[3]])
    expect((await list({ start_datetime: '2026-11-23T05:30:00+05:30' })).total_count).toBe(5)
    expect((await list({ end_datetime: '2026-11-22T23:59:59Z' })).total_count).toBe(0)
  })

  it('answers 422 for bad values of any parameter, all at once, with FastAPI locations', async () => {
    const reply = await request('GET', CAMPAIGNS, {
      query: {
        page: -1,
        limit: 'ten',
        search_fields: ['campaign_name', 'name'],
        search_field_values: ['a', 'b'],
        order_by: 'created_at',
        order_by_direction: 'up',
        fields: ['id', 'secret'],
        start_datetime: 'yesterday',
      },
    })
    expect(reply.status).toBe(422)
    expect(locsOf(reply)).toEqual([
      ['query', 'page'],
      ['query', 'limit'],
      ['query', 'search_fields', 1],
      ['query', 'order_by'],
      ['query', 'order_by_direction'],
      ['query', 'fields', 1],
      ['query', 'start_datetime'],
    ])
    const orderBy = (reply.body as ValidationBody).detail.find((entry) => entry.loc[1] === 'order_by')
    expect(orderBy).toMatchObject({ type: 'enum', input: 'created_at' })
    expect(orderBy!.msg).toMatch(/^Input should be 'id', 'campaign_name', .* or 'voicemail_detection'$/)
  })

  it('answers 422 when search_fields and search_field_values differ in length, or an id value is not an integer', async () => {
    const mismatched: Query[] = [
      { search_fields: ['campaign_name'] },
      { search_field_values: ['x'] },
      { search_fields: ['campaign_name', 'mode'], search_field_values: ['x'] },
    ]
    for (const query of mismatched) {
      const reply = await request('GET', CAMPAIGNS, { query })
      expect(reply.status).toBe(422)
      expect((reply.body as ValidationBody).detail).toMatchObject([{ type: 'value_error', loc: ['query', 'search_field_values'] }])
    }
    const notInt = await request('GET', CAMPAIGNS, { query: { search_fields: ['id'], search_field_values: ['abc'] } })
    expect((notInt.body as ValidationBody).detail).toMatchObject([{ type: 'int_parsing', loc: ['query', 'search_field_values', 0] }])
  })
})

describe('Syllable batch list', () => {
  const { request, sandbox } = useSandbox({ now: '2026-11-23T00:00:00Z' })
  const campaignIds: number[] = []

  beforeAll(async () => {
    for (const name of ['First', 'Second']) {
      const reply = await request('POST', CAMPAIGNS, { json: { campaign_name: name, campaign_variables: {}, caller_id: null, active_days: [] } })
      campaignIds.push((reply.body as { id: number }).id)
    }
    // Numeric-looking ids first: a plain object would enumerate them before the others, in numeric order.
    const batches = [
      { batch_id: 'renewals-b', campaign_id: campaignIds[0], paused: true, expires_on: '2026-12-31T00:00:00Z' },
      { batch_id: '10', campaign_id: campaignIds[1] },
      { batch_id: '9', campaign_id: campaignIds[0], expires_on: '2026-12-01T00:00:00Z' },
      { batch_id: 'renewals-a', campaign_id: campaignIds[1] },
      { batch_id: 'deleted', campaign_id: campaignIds[0] },
    ]
    for (const batch of batches) {
      await request('POST', BATCHES, { json: batch })
      sandbox().clock.advance(60)
    }
    await request('POST', `${BATCHES}/renewals-a/requests`, { json: { reference_id: 'r', target: '+1', request_variables: {} } })
    await request('DELETE', `${BATCHES}/deleted`, { form: { delete_reason: 'test' } })
  })

  const list = async (query: Query = {}) => pageOf(await request('GET', BATCHES, { query }))
  const batchIds = (page: Page) => page.items.map((item) => item.batch_id)

  it('lists live batches in creation order, whatever their ids look like, without the deleted one', async () => {
    const page = await list()
    expect(batchIds(page)).toEqual(['renewals-b', '10', '9', 'renewals-a'])
    expect(page).toMatchObject({ page: 0, page_size: 25, total_pages: 1, total_count: 4 })
  })

  it('searches campaign_id exactly, status by whole value in any case, batch_id by substring', async () => {
    expect(batchIds(await list({ search_fields: ['campaign_id'], search_field_values: [String(campaignIds[0])] }))).toEqual(['renewals-b', '9'])
    expect(batchIds(await list({ search_fields: ['status'], search_field_values: ['paused'] }))).toEqual(['renewals-b'])
    expect(batchIds(await list({ search_fields: ['status'], search_field_values: ['ACTIVE'] }))).toEqual(['renewals-a'])
    expect(batchIds(await list({ search_fields: ['status'], search_field_values: ['ACT'] }))).toEqual([])
    expect(batchIds(await list({ search_fields: ['batch_id'], search_field_values: ['RENEWALS'] }))).toEqual(['renewals-b', 'renewals-a'])
  })

  it('orders by expires_on with nulls last, and by batch_id as text', async () => {
    expect(batchIds(await list({ order_by: 'expires_on' }))).toEqual(['9', 'renewals-b', '10', 'renewals-a'])
    expect(batchIds(await list({ order_by: 'batch_id' }))).toEqual(['10', '9', 'renewals-a', 'renewals-b'])
    expect(batchIds(await list({ order_by: 'batch_id', order_by_direction: 'desc', limit: 1 }))).toEqual(['renewals-b'])
  })

  it('reflects the derived status (expiry moves with the clock)', async () => {
    sandbox().clock.set('2026-12-15T00:00:00Z')
    expect(batchIds(await list({ search_fields: ['status'], search_field_values: ['EXPIRED'] }))).toEqual(['9'])
  })

  it('filters on last_updated_at and projects fields', async () => {
    const page = await list({ start_datetime: '2026-11-23T00:01:00Z', end_datetime: '2026-11-23T00:02:00Z', fields: ['batch_id', 'status'] })
    expect(page.items).toEqual([
      { batch_id: '10', status: 'PENDING' },
      { batch_id: '9', status: expect.any(String) },
    ])
  })

  it('answers 422 for campaign properties in a batch list, and for a non-integer campaign_id search', async () => {
    const reply = await request('GET', BATCHES, { query: { order_by: 'campaign_name', fields: ['id'] } })
    expect(locsOf(reply)).toEqual([
      ['query', 'order_by'],
      ['query', 'fields', 0],
    ])
    const notInt = await request('GET', BATCHES, { query: { search_fields: ['campaign_id'], search_field_values: ['first'] } })
    expect(locsOf(notInt)).toEqual([['query', 'search_field_values', 0]])
  })
})
