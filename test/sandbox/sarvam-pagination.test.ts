import { beforeAll, describe, expect, it } from 'vitest'

import {
  DAY,
  HOUR,
  T0,
  campaignBody,
  createCampaign,
  useSarvamSandbox,
  workspacePath,
  type Page,
  type Summary,
} from './sarvam-support.js'

const now = Date.parse(T0)
const PAGES = workspacePath('acme', 'paging')
const TIES = workspacePath('acme', 'ties')
const COUNT = 23

/** Names in an order unrelated to creation: creation i gets a name that sorts as (i * 7) mod COUNT. */
const nameFor = (i: number): string => `Batch ${String((i * 7) % COUNT).padStart(2, '0')}${i % 2 === 0 ? ' even' : ' odd'}`

describe('Sarvam campaign list: pagination, sorting, search', () => {
  const { sandbox, request } = useSarvamSandbox({ now: T0 })
  /** Campaign ids in creation order. */
  const created: Summary[] = []

  beforeAll(async () => {
    // One second apart, with starts in the reverse order of creation, so every sort order differs.
    for (let i = 0; i < COUNT; i += 1) {
      const body = campaignBody(now, { name: nameFor(i) })
      body.start_timestamp = new Date(now + 2 * DAY - i * HOUR).toISOString()
      body.end_timestamp = new Date(now + 10 * DAY).toISOString()
      created.push(await createCampaign(request, PAGES, body))
      sandbox().clock.advance(1)
    }
    // Identical created_at values: creation order must still decide.
    sandbox().clock.set(T0)
    for (let i = 0; i < 5; i += 1) await createCampaign(request, TIES, campaignBody(now, { name: `tie-${i}` }))
  })

  const list = async (base: string, query: Record<string, string | number> = {}): Promise<Page> => {
    const reply = await request('GET', `${base}/campaigns`, { query })
    expect(reply.status, reply.text).toBe(200)
    return reply.body as Page
  }
  const ids = (page: Page): string[] => page.items.map((item) => item.campaign_id)

  /** Follows next_page_uri from the first page to the end, returning every item in order. */
  async function walk(base: string, query: Record<string, string | number>): Promise<{ items: Summary[]; pages: Page[] }> {
    const pages: Page[] = [await list(base, query)]
    while (pages[pages.length - 1]!.next_page_uri !== null) {
      const reply = await request('GET', pages[pages.length - 1]!.next_page_uri!)
      expect(reply.status, reply.text).toBe(200)
      pages.push(reply.body as Page)
      expect(pages.length).toBeLessThan(50)
    }
    return { items: pages.flatMap((page) => page.items), pages }
  }

  it('defaults: offset 0, limit 10, newest first, total of all campaigns, no previous page', async () => {
    const page = await list(PAGES)
    expect(page).toMatchObject({ total: COUNT, limit: 10, offset: 0, prev_page_uri: null })
    expect(ids(page)).toEqual(created.slice(-10).reverse().map((summary) => summary.campaign_id))
    expect(page.next_page_uri).toBe('/api/scheduling/v1/orgs/acme/workspaces/paging/campaigns?offset=10&limit=10')
  })

  it.each([1, 4, 7, 10, 23, 100])('following next_page_uri with limit %i yields every campaign exactly once', async (limit) => {
    const { items, pages } = await walk(PAGES, { limit })
    expect(items.map((item) => item.campaign_id)).toEqual(created.map((summary) => summary.campaign_id).reverse())
    expect(pages).toHaveLength(Math.ceil(COUNT / limit))
    expect(pages.every((page) => page.total === COUNT && page.limit === limit)).toBe(true)
  })

  it('following prev_page_uri from the last page walks back to the first', async () => {
    const { pages } = await walk(PAGES, { limit: 5 })
    let page = pages[pages.length - 1]!
    const seen: string[][] = [ids(page)]
    while (page.prev_page_uri !== null) {
      page = (await request('GET', page.prev_page_uri)).body as Page
      seen.unshift(ids(page))
    }
    expect(seen).toEqual(pages.map(ids))
    expect(page.offset).toBe(0)
  })

  it('limit 1: one item per page, with both links in the middle', async () => {
    const page = await list(PAGES, { limit: 1, offset: 5 })
    expect(page.items).toHaveLength(1)
    expect(page.next_page_uri).toBe('/api/scheduling/v1/orgs/acme/workspaces/paging/campaigns?offset=6&limit=1')
    expect(page.prev_page_uri).toBe('/api/scheduling/v1/orgs/acme/workspaces/paging/campaigns?offset=4&limit=1')
  })

  it('the last page is short and has no next link; an offset past the end is empty and links back to the last page', async () => {
    const last = await list(PAGES, { offset: 20, limit: 10 })
    expect(last.items).toHaveLength(3)
    expect(last.next_page_uri).toBeNull()
    expect(last.prev_page_uri).toContain('offset=10&limit=10')

    const beyond = await list(PAGES, { offset: 500, limit: 10 })
    expect(beyond).toMatchObject({ items: [], total: COUNT, offset: 500, limit: 10, next_page_uri: null })
    expect(beyond.prev_page_uri).toContain('offset=13&limit=10')
    const back = (await request('GET', beyond.prev_page_uri!)).body as Page
    expect(back.items).toHaveLength(10)

    const exactlyAtEnd = await list(PAGES, { offset: COUNT })
    expect(exactlyAtEnd.items).toEqual([])
  })

  it('an empty workspace lists nothing, without links', async () => {
    expect(await list(workspacePath('acme', 'empty'))).toEqual({ items: [], total: 0, limit: 10, offset: 0, next_page_uri: null, prev_page_uri: null })
  })

  it('sorts by name, both ways (code-point order)', async () => {
    const ascending = (await list(PAGES, { sort_by: 'name', sort_order: 'asc', limit: 100 })).items.map((item) => item.name)
    expect(ascending).toEqual([...ascending].sort())
    expect(ascending).not.toEqual(created.map((summary) => summary.name))
    const descending = (await list(PAGES, { sort_by: 'name', sort_order: 'desc', limit: 100 })).items.map((item) => item.name)
    expect(descending).toEqual([...ascending].reverse())
  })

  it('sorts by created_at ascending (oldest first) and by start_timestamp', async () => {
    expect(ids(await list(PAGES, { sort_order: 'asc', limit: 100 }))).toEqual(created.map((summary) => summary.campaign_id))
    // Starts were given in the reverse order of creation.
    expect(ids(await list(PAGES, { sort_by: 'start_timestamp', sort_order: 'asc', limit: 100 }))).toEqual(
      created.map((summary) => summary.campaign_id).reverse(),
    )
  })

  it('sorts by updated_at: a campaign edited last comes first', async () => {
    const edited = created[3]!
    sandbox().clock.set(now + 10 * 60 * 1000)
    const reply = await request('PATCH', `${PAGES}/campaigns/${edited.campaign_id}`, { json: { description: 'touched' } })
    expect(reply.status, reply.text).toBe(200)
    const page = await list(PAGES, { sort_by: 'updated_at', limit: 1 })
    expect(ids(page)).toEqual([edited.campaign_id])
  })

  it('equal sort keys fall back to creation order, in the direction asked, and pages never overlap', async () => {
    const descending = (await walk(TIES, { limit: 2 })).items.map((item) => item.name)
    expect(descending).toEqual(['tie-4', 'tie-3', 'tie-2', 'tie-1', 'tie-0'])
    const ascending = (await walk(TIES, { limit: 2, sort_order: 'asc' })).items.map((item) => item.name)
    expect(ascending).toEqual(['tie-0', 'tie-1', 'tie-2', 'tie-3', 'tie-4'])
  })

  it('search matches a case-insensitive substring of the name, and total counts the matches', async () => {
    const page = await list(PAGES, { search: 'EVEN', limit: 100 })
    expect(page.total).toBe(Math.ceil(COUNT / 2))
    expect(page.items.every((item) => item.name.endsWith(' even'))).toBe(true)
    expect((await list(PAGES, { search: 'batch 0' })).total).toBe(10)
    expect((await list(PAGES, { search: 'no such campaign' })).total).toBe(0)
    expect((await list(PAGES, { search: '' })).total).toBe(COUNT)
  })

  it('the page links keep the other query parameters, and following them keeps the filter and order', async () => {
    const query = { search: 'odd', sort_by: 'name', sort_order: 'asc', limit: 4 }
    const first = await list(PAGES, query)
    const next = new URL(first.next_page_uri!, 'http://x')
    expect(Object.fromEntries(next.searchParams)).toEqual({ offset: '4', limit: '4', search: 'odd', sort_by: 'name', sort_order: 'asc' })
    const { items } = await walk(PAGES, query)
    const names = items.map((item) => item.name)
    expect(names).toHaveLength(Math.floor(COUNT / 2))
    expect(names).toEqual([...names].sort())
    expect(names.every((name) => name.endsWith(' odd'))).toBe(true)
  })
})
