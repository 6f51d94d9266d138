import { beforeEach, describe, expect, it } from 'vitest'

import {
  BASE,
  DAY,
  HOUR,
  SECOND,
  T0,
  campaignBody,
  createCampaign,
  getCampaign,
  iso,
  setStatus,
  useSarvamSandbox,
  type Page,
  type Summary,
} from './sarvam-support.js'

const now = Date.parse(T0)
/** The campaigns of campaignBody(T0): start an hour after T0, end a week after that. */
const START = now + HOUR
const END = START + 7 * DAY

describe('Sarvam status machine (frozen clock)', () => {
  const { sandbox, request } = useSarvamSandbox({ now: T0 })
  let counter = 0
  beforeEach(() => sandbox().clock.set(T0))

  async function newCampaign(): Promise<string> {
    counter += 1
    return (await createCampaign(request, BASE, campaignBody(now, { name: `status-${counter}` }))).campaign_id
  }
  const statusOf = async (id: string): Promise<string> => (await getCampaign(request, BASE, id)).status
  const at = (ms: number) => sandbox().clock.set(ms)
  async function act(id: string, action: string, expected: string): Promise<Summary> {
    const reply = await setStatus(request, BASE, id, action)
    expect(reply.status, reply.text).toBe(200)
    expect((reply.body as Summary).status).toBe(expected)
    return reply.body as Summary
  }
  async function refused(id: string, action: string, status: string): Promise<void> {
    const reply = await setStatus(request, BASE, id, action)
    expect(reply.status, reply.text).toBe(409)
    const detail = (reply.body as { detail: string }).detail
    expect(detail).toContain(action)
    expect(detail).toContain(`its status is ${status}`)
  }

  it('scheduled → active exactly at start_timestamp → ended exactly at end_timestamp', async () => {
    const id = await newCampaign()
    expect(await statusOf(id)).toBe('scheduled')
    at(START - SECOND)
    expect(await statusOf(id)).toBe('scheduled')
    at(START)
    expect(await statusOf(id)).toBe('active')
    at(END - SECOND)
    expect(await statusOf(id)).toBe('active')
    at(END)
    expect(await statusOf(id)).toBe('ended')
  })

  it('a scheduled campaign whose whole window passes unobserved is ended, not active', async () => {
    const id = await newCampaign()
    sandbox().clock.advance(30 * 24 * 60 * 60)
    expect(await statusOf(id)).toBe('ended')
  })

  it('pause an active campaign, resume it (active again), pause again; past the end it is ended and cannot resume', async () => {
    const id = await newCampaign()
    at(START + HOUR)
    await act(id, 'pause', 'paused')
    expect(await statusOf(id)).toBe('paused')
    await act(id, 'resume', 'active')
    await act(id, 'pause', 'paused')
    at(END)
    expect(await statusOf(id)).toBe('ended')
    await refused(id, 'resume', 'ended')
  })

  it('pause a scheduled campaign (allowed, an inference); resume before the start → scheduled, then active at the start', async () => {
    const id = await newCampaign()
    await act(id, 'pause', 'paused')
    at(START - HOUR / 2)
    expect(await statusOf(id)).toBe('paused')
    await act(id, 'resume', 'scheduled')
    at(START)
    expect(await statusOf(id)).toBe('active')
  })

  it('a campaign paused before its start stays paused when the start passes; resume then makes it active', async () => {
    const id = await newCampaign()
    await act(id, 'pause', 'paused')
    at(START + HOUR)
    expect(await statusOf(id)).toBe('paused')
    await act(id, 'resume', 'active')
  })

  it('cancel works from scheduled, active and paused; every action on a cancelled campaign is a 409', async () => {
    const scheduled = await newCampaign()
    const active = await newCampaign()
    const paused = await newCampaign()
    await act(scheduled, 'cancel', 'cancelled')
    at(START)
    await act(paused, 'pause', 'paused')
    await act(active, 'cancel', 'cancelled')
    await act(paused, 'cancel', 'cancelled')
    at(END + DAY)
    for (const id of [scheduled, active, paused]) {
      expect(await statusOf(id)).toBe('cancelled')
      for (const action of ['pause', 'resume', 'cancel']) await refused(id, action, 'cancelled')
    }
  })

  it('every action on an ended campaign is a 409', async () => {
    const id = await newCampaign()
    at(END)
    for (const action of ['pause', 'resume', 'cancel']) await refused(id, action, 'ended')
  })

  it('resume while active or scheduled, and pause while paused, are 409s naming the status and the action', async () => {
    const id = await newCampaign()
    await refused(id, 'resume', 'scheduled')
    at(START)
    await refused(id, 'resume', 'active')
    await act(id, 'pause', 'paused')
    await refused(id, 'pause', 'paused')
    const reply = await setStatus(request, BASE, id, 'pause')
    expect(reply.body).toEqual({
      detail: `Cannot pause campaign ${id}: its status is paused, and pause is only allowed when it is active or scheduled`,
    })
  })

  it('a status action records who did it and when', async () => {
    const id = await newCampaign()
    at(START + HOUR)
    const reply = await request('PUT', `${BASE}/campaigns/${id}/status`, { json: { action: 'pause' }, headers: { 'X-API-Key': 'ops@example.com' } })
    expect(reply.body).toMatchObject({ updated_by: 'ops@example.com', updated_at: iso(START + HOUR).replace('.000Z', 'Z'), created_at: '2026-11-23T00:00:00Z' })
  })

  it('the campaign_status filter sees the status as of now, though the stored one is only settled on the next write', async () => {
    const early = await newCampaign()
    const late = (await createCampaign(request, BASE, campaignBody(now + DAY, { name: `status-late-${counter}` }))).campaign_id
    at(START)
    const active = (await request('GET', `${BASE}/campaigns`, { query: { campaign_status: 'active', limit: 100 } })).body as Page
    const activeIds = active.items.map((item) => item.campaign_id)
    expect(activeIds).toContain(early)
    expect(activeIds).not.toContain(late)
    expect(active.items.every((item) => item.status === 'active')).toBe(true)

    const scheduled = (await request('GET', `${BASE}/campaigns`, { query: { campaign_status: 'scheduled', limit: 100 } })).body as Page
    expect(scheduled.items.map((item) => item.campaign_id)).toContain(late)
    expect(scheduled.items.map((item) => item.campaign_id)).not.toContain(early)

    const stored = Object.values(sandbox().store.state.sarvam.workspaces).flatMap((campaigns) => Object.values(campaigns))
    expect(stored.find((campaign) => campaign.campaign_id === early)?.status).toBe('scheduled')
    await act(early, 'pause', 'paused')
    expect(stored.find((campaign) => campaign.campaign_id === early)?.status).toBe('paused')

    at(END + 2 * DAY)
    const ended = (await request('GET', `${BASE}/campaigns`, { query: { campaign_status: 'ended', limit: 100 } })).body as Page
    expect(ended.items.map((item) => item.campaign_id)).toEqual(expect.arrayContaining([early, late]))
  })
})

describe('Sarvam PATCH follows the status (frozen clock)', () => {
  const { sandbox, request } = useSarvamSandbox({ now: T0 })
  let counter = 0
  beforeEach(() => sandbox().clock.set(T0))

  async function newCampaign(): Promise<string> {
    counter += 1
    return (await createCampaign(request, BASE, campaignBody(now, { name: `patch-${counter}` }))).campaign_id
  }
  const patch = (id: string, json: unknown, headers: Record<string, string> = {}) =>
    request('PATCH', `${BASE}/campaigns/${id}`, { json, headers })

  it('allowed while scheduled: changes the fields sent, keeps the rest, records who and when', async () => {
    const id = await newCampaign()
    const before = await getCampaign(request, BASE, id)
    sandbox().clock.advance(60)
    const newSchedule = { allowed_start_time: '09:00', allowed_end_time: '18:30', allowed_days: ['Saturday'], timezone: 'Europe/London' }
    const reply = await patch(
      id,
      { name: `patch-${counter}-renamed`, description: null, end_timestamp: '2026-11-25T06:30:00+05:30', allowed_schedule: newSchedule },
      { 'X-API-Key': 'editor@example.com' },
    )
    expect(reply.status, reply.text).toBe(200)
    expect(reply.body).toMatchObject({ name: `patch-${counter}-renamed`, status: 'scheduled', updated_by: 'editor@example.com', updated_at: '2026-11-23T00:01:00Z' })
    const after = await getCampaign(request, BASE, id)
    expect(after).toMatchObject({
      description: before.description,
      app_config: before.app_config,
      start_timestamp: before.start_timestamp,
      end_timestamp: '2026-11-25T01:00:00Z',
      allowed_schedule: newSchedule,
      created_at: before.created_at,
      created_by: before.created_by,
    })
  })

  it('app_config and webhook_config replace the stored objects as a whole', async () => {
    const id = await newCampaign()
    const reply = await patch(id, {
      app_config: { app_id: 'new-agent', app_version: 5, app_type: 'workflow' },
      webhook_config: { url: 'https://hooks.example.com/new' },
    })
    expect(reply.body).toMatchObject({ app_id: 'new-agent', app_version: 5, app_type: 'workflow' })
    const detail = await getCampaign(request, BASE, id)
    expect(detail.app_config).toEqual({ app_id: 'new-agent', app_version: 5, app_type: 'workflow' })
    expect(detail.webhook_config).toEqual({ url: 'https://hooks.example.com/new' })
  })

  it('ignores start_timestamp and status in the body (they are not fields of UpdateCampaign)', async () => {
    const id = await newCampaign()
    const before = await getCampaign(request, BASE, id)
    const reply = await patch(id, { start_timestamp: iso(now + 2 * DAY), status: 'cancelled', description: 'only this' })
    expect(reply.status).toBe(200)
    const after = await getCampaign(request, BASE, id)
    expect(after).toMatchObject({ start_timestamp: before.start_timestamp, status: 'scheduled', description: 'only this' })
  })

  it('allowed while paused, and the campaign stays paused', async () => {
    const id = await newCampaign()
    sandbox().clock.set(START + HOUR)
    await setStatus(request, BASE, id, 'pause')
    const reply = await patch(id, { description: 'paused edit', end_timestamp: iso(START + 2 * DAY) })
    expect(reply.status, reply.text).toBe(200)
    expect(reply.body).toMatchObject({ status: 'paused', description: 'paused edit' })
  })

  it('a paused campaign given a later end does not end at the old one', async () => {
    const id = await newCampaign()
    await setStatus(request, BASE, id, 'pause')
    expect((await patch(id, { end_timestamp: iso(END + 5 * DAY) })).status).toBe(200)
    sandbox().clock.set(END + DAY)
    expect((await getCampaign(request, BASE, id)).status).toBe('paused')
  })

  it.each([
    { status: 'active', reach: async (id: string, clockTo: (ms: number) => void) => clockTo(START) },
    { status: 'ended', reach: async (id: string, clockTo: (ms: number) => void) => clockTo(END) },
    {
      status: 'cancelled',
      reach: async (id: string, _clockTo: (ms: number) => void) => {
        await setStatus(request, BASE, id, 'cancel')
      },
    },
  ])('refused with 409 while $status, and nothing changes', async ({ status, reach }) => {
    const id = await newCampaign()
    await reach(id, (ms) => sandbox().clock.set(ms))
    const before = await getCampaign(request, BASE, id)
    const reply = await patch(id, { description: 'too late' })
    expect(reply.status).toBe(409)
    expect(reply.body).toEqual({ detail: `Campaign ${id} is ${status}: updates are only allowed when it is scheduled or paused` })
    expect(await getCampaign(request, BASE, id)).toEqual(before)
  })

  it('an empty PATCH is accepted and changes no field', async () => {
    const id = await newCampaign()
    const before = await getCampaign(request, BASE, id)
    expect((await patch(id, {})).status).toBe(200)
    const { updated_at: _u, updated_by: _b, ...rest } = await getCampaign(request, BASE, id)
    const { updated_at: _u2, updated_by: _b2, ...restBefore } = before
    expect(rest).toEqual(restBefore)
  })
})
