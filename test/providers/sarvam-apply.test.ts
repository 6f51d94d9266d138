import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { ServerError, ValidationError } from '../../src/http/errors.js'
import type { Spec } from '../../src/model/plan.js'
import type { Provider } from '../../src/model/provider.js'
import { ACTIVE_REASON, CANCELLED_REASON, ENDED_REASON } from '../../src/providers/sarvam/index.js'
import {
  DAY,
  HOUR,
  NO_PAUSE,
  PAUSE_TO_UPDATE,
  ROUTE,
  T0,
  campaignSpec,
  context,
  countOf,
  createChange,
  expectConverged,
  readCampaign,
  updateChange,
  useSarvamHarness,
  writesOf,
} from './sarvam-support.js'

const harness = useSarvamHarness()
let workspace = 0
let provider: Provider

beforeEach(async () => {
  harness.sandbox().clock.set(T0)
  await harness.clearFaults()
  workspace += 1
  provider = harness.provider(`apply-${workspace}`)
})
afterEach(async () => {
  await harness.clearFaults()
})

/** Creates through the provider and returns the created campaign's spec. */
async function created(spec: Spec): Promise<Spec> {
  await provider.apply(createChange(spec), context())
  return spec
}

/** Moves the frozen clock past the campaigns' start (an hour after T0), making them active. */
const startCampaigns = () => harness.sandbox().clock.advance((2 * HOUR) / 1000)

async function campaignsNamed(name: string): Promise<number> {
  const page = await harness.client().get<{ items: { name: string }[] }>(`${harness.workspacePath(`apply-${workspace}`)}/campaigns`, {
    query: { search: name, limit: 100 },
  })
  return page.body.items.filter((item) => item.name === name).length
}

describe('Sarvam apply: create', () => {
  it('creates a campaign with one POST', async () => {
    const spec = campaignSpec('renewals-hi')
    await harness.resetCounters()
    const outcome = await provider.apply(createChange(spec), context())
    expect(outcome).toEqual({ id: expect.stringMatching(/^camp-/), steps: [] })
    expect(countOf(await harness.counters(), ROUTE.create)).toBe(1)
    const live = await expectConverged(provider, spec)
    expect(live).toMatchObject({ id: outcome.id, status: 'scheduled' })
  })

  it('creates a paused campaign when the file says paused: true', async () => {
    const spec = campaignSpec('paused from the start', { paused: true })
    const outcome = await provider.apply(createChange(spec), context())
    expect(outcome.steps).toEqual(['paused'])
    expect((await expectConverged(provider, spec)).status).toBe('paused')
  })

  it('adopts the campaign when the POST committed but its response was dropped', async () => {
    const spec = campaignSpec('dropped create')
    await harness.scheduleFault({ fault: 'drop', route: 'POST /api/scheduling' })
    await harness.resetCounters()
    const outcome = await provider.apply(createChange(spec), context())
    expect(outcome).toMatchObject({ adopted: true, steps: ['adopted after an interrupted create'] })
    const counters = await harness.counters()
    expect(countOf(counters, ROUTE.create)).toBe(1)
    expect(counters.routes[ROUTE.create]?.outcomes).toEqual({ dropped: 1 })
    expect(await campaignsNamed('dropped create')).toBe(1)
    expect((await expectConverged(provider, spec)).id).toBe(outcome.id)
  })

  it('posts again when a 500 left nothing behind', async () => {
    const spec = campaignSpec('failed create')
    await harness.scheduleFault({ fault: 'error500', route: 'POST /api/scheduling' })
    await harness.resetCounters()
    const outcome = await provider.apply(createChange(spec), context())
    expect(outcome.adopted).toBeUndefined()
    expect(countOf(await harness.counters(), ROUTE.create)).toBe(2)
    expect(await campaignsNamed('failed create')).toBe(1)
    await expectConverged(provider, spec)
  })

  it('adopts on a 409 when the lookup after a dropped POST failed and the POST was repeated', async () => {
    const spec = campaignSpec('conflict on retry')
    await harness.scheduleFault({ fault: 'drop', route: 'POST /api/scheduling' })
    // Every attempt of the name lookup fails (the client tries 5 times).
    await harness.scheduleFault({ fault: 'error500', route: `GET /api/scheduling/v1/orgs/{org_id}/workspaces/{workspace_id}/campaigns`, times: 5 })
    await harness.resetCounters()
    const outcome = await provider.apply(createChange(spec), context())
    expect(outcome.adopted).toBe(true)
    expect((await harness.counters()).routes[ROUTE.create]?.outcomes).toEqual({ dropped: 1, '409': 1 })
    expect(await campaignsNamed('conflict on retry')).toBe(1)
    await expectConverged(provider, spec)
  })

  it('brings an adopted campaign that differs from the file in line with it', async () => {
    const spec = campaignSpec('made elsewhere', { description: 'from the file', paused: true })
    // Someone else created it; our POST then fails ambiguously, and the lookup finds theirs.
    await harness.client().post(`${harness.workspacePath(`apply-${workspace}`)}/campaigns`, {
      json: campaignSpec('made elsewhere', { description: 'from the console' }),
    })
    await harness.scheduleFault({ fault: 'error500', route: 'POST /api/scheduling' })
    const outcome = await provider.apply(createChange(spec), context())
    expect(outcome).toMatchObject({ adopted: true, steps: ['adopted after an interrupted create', 'patched', 'paused'] })
    expect(await campaignsNamed('made elsewhere')).toBe(1)
    await expectConverged(provider, spec)
  })

  it('adopts a campaign that another run created under the name before the first POST, and brings it to the file', async () => {
    await created(campaignSpec('taken'))
    const mine = campaignSpec('taken', { description: 'from this run' })
    const outcome = await provider.apply(createChange(mine), context())
    expect(outcome).toMatchObject({ adopted: true, steps: ['adopted: it was created elsewhere first', 'patched'] })
    expect(await campaignsNamed('taken')).toBe(1)
    await expectConverged(provider, mine)
  })
})

describe('Sarvam apply: update', () => {
  it('patches a scheduled campaign with the changed fields only', async () => {
    const spec = await created(campaignSpec('renewals-hi'))
    const live = await readCampaign(provider, spec)
    const next = campaignSpec('renewals-hi', {
      description: 'changed',
      allowed_schedule: { allowed_start_time: '09:00', allowed_end_time: '18:00', allowed_days: ['Saturday', 'Monday'], timezone: 'Europe/Berlin' },
      end_timestamp: new Date(Date.parse(T0) + HOUR + 10 * DAY).toISOString(),
    })
    const change = updateChange(live, next)
    expect(new Set(change.fields.map((field) => field.path[0]))).toEqual(new Set(['description', 'allowed_schedule', 'end_timestamp']))
    expect(provider.policy('SarvamCampaign').assess({ live, fields: change.fields, options: NO_PAUSE })).toBeUndefined()
    await harness.resetCounters()
    expect(await provider.apply(change, context(live))).toEqual({ id: live.id, steps: ['patched'] })
    expect(writesOf(await harness.counters())).toBe(1)
    await expectConverged(provider, next)
  })

  it('replaces app_config as a whole, dropping what the file dropped', async () => {
    const spec = await created(
      campaignSpec('app swap', {
        app_config: { app_id: 'a', app_version: 1, attempts_per_second: 5, webhook_config: { url: 'https://hooks.example.com/a', metadata: { k: 1 } } },
      }),
    )
    const next = campaignSpec('app swap', { app_config: { experiment_id: 'exp-greeting-ab', webhook_config: { url: 'https://hooks.example.com/a' } } })
    const live = await readCampaign(provider, spec)
    await provider.apply(updateChange(live, next), context(live))
    await expectConverged(provider, next)
  })

  it('blocks an active campaign, and with --pause-to-update pauses, patches and resumes it', async () => {
    const spec = await created(campaignSpec('running'))
    startCampaigns()
    const live = await readCampaign(provider, spec)
    expect(live.status).toBe('active')
    const next = campaignSpec('running', { description: 'edited while running' })
    const change = updateChange(live, next)
    const policy = provider.policy('SarvamCampaign')
    expect(policy.assess({ live, fields: change.fields, options: NO_PAUSE })).toEqual({ action: 'blocked', reason: ACTIVE_REASON })
    await expect(provider.apply(change, context(live, NO_PAUSE))).rejects.toThrow(ACTIVE_REASON)

    expect(policy.assess({ live, fields: change.fields, options: PAUSE_TO_UPDATE })).toBeUndefined()
    await harness.resetCounters()
    expect(await provider.apply(change, context(live, PAUSE_TO_UPDATE))).toEqual({ id: live.id, steps: ['paused', 'patched', 'resumed'] })
    const counters = await harness.counters()
    expect(countOf(counters, ROUTE.status)).toBe(2)
    expect(countOf(counters, ROUTE.patch)).toBe(1)
    expect((await expectConverged(provider, next)).status).toBe('active')
  })

  it('pauses an active campaign first when the file pauses it, with nothing to resume', async () => {
    const spec = await created(campaignSpec('stop and edit'))
    startCampaigns()
    const live = await readCampaign(provider, spec)
    const next = campaignSpec('stop and edit', { description: 'paused for review', paused: true })
    const change = updateChange(live, next)
    expect(provider.policy('SarvamCampaign').assess({ live, fields: change.fields, options: NO_PAUSE })).toBeUndefined()
    expect(await provider.apply(change, context(live, NO_PAUSE))).toEqual({ id: live.id, steps: ['paused', 'patched'] })
    expect((await expectConverged(provider, next)).status).toBe('paused')
  })

  it('resumes even when the PATCH fails with a server error, and rethrows that error', async () => {
    const spec = await created(campaignSpec('patch fails'))
    startCampaigns()
    const live = await readCampaign(provider, spec)
    const next = campaignSpec('patch fails', { description: 'will fail first' })
    await harness.scheduleFault({ fault: 'error500', route: 'PATCH /api/scheduling', times: 5 })
    await harness.resetCounters()
    await expect(provider.apply(updateChange(live, next), context(live, PAUSE_TO_UPDATE))).rejects.toBeInstanceOf(ServerError)
    const counters = await harness.counters()
    expect(countOf(counters, ROUTE.patch)).toBe(5)
    expect(countOf(counters, ROUTE.status)).toBe(2)
    const after = await readCampaign(provider, spec)
    expect(after.status).toBe('active')

    // Apply again without the fault: it converges.
    await harness.clearFaults()
    expect((await provider.apply(updateChange(after, next), context(after, PAUSE_TO_UPDATE))).steps).toEqual(['paused', 'patched', 'resumed'])
    expect((await expectConverged(provider, next)).status).toBe('active')
  })

  it('resumes even when the PATCH is refused (422), and rethrows that error', async () => {
    const spec = await created(campaignSpec('bad zone'))
    startCampaigns()
    const live = await readCampaign(provider, spec)
    const bad = campaignSpec('bad zone', {
      allowed_schedule: { allowed_start_time: '10:00', allowed_end_time: '19:00', allowed_days: ['Monday'], timezone: 'Mars/Olympus_Mons' },
    })
    await expect(provider.apply(updateChange(live, bad), context(live, PAUSE_TO_UPDATE))).rejects.toBeInstanceOf(ValidationError)
    const after = await readCampaign(provider, spec)
    expect(after.status).toBe('active')
    const good = campaignSpec('bad zone', { allowed_schedule: { ...(bad.allowed_schedule as object), timezone: 'Asia/Kolkata' } })
    await provider.apply(updateChange(after, good), context(after, PAUSE_TO_UPDATE))
    await expectConverged(provider, good)
  })

  it('re-reads the status when it moved since the plan (scheduled then, active now)', async () => {
    const spec = await created(campaignSpec('started meanwhile'))
    const planned = await readCampaign(provider, spec)
    expect(planned.status).toBe('scheduled')
    const next = campaignSpec('started meanwhile', { description: 'late edit' })
    startCampaigns()
    expect(await provider.apply(updateChange(planned, next), context(planned, PAUSE_TO_UPDATE))).toMatchObject({
      steps: ['paused', 'patched', 'resumed'],
    })
    expect((await expectConverged(provider, next)).status).toBe('active')
    // Without --pause-to-update, the same situation is refused with the reason.
    const again = campaignSpec('started meanwhile', { description: 'later edit' })
    await expect(provider.apply(updateChange(planned, again), context(planned, NO_PAUSE))).rejects.toThrow(ACTIVE_REASON)
  })
})

describe('Sarvam apply: the paused knob', () => {
  it('pauses and resumes through the status action', async () => {
    const spec = await created(campaignSpec('knob'))
    startCampaigns()
    let live = await readCampaign(provider, spec)
    const paused = campaignSpec('knob', { paused: true })
    await harness.resetCounters()
    expect(await provider.apply(updateChange(live, paused), context(live))).toEqual({ id: live.id, steps: ['paused'] })
    expect(countOf(await harness.counters(), ROUTE.patch)).toBe(0)
    live = await expectConverged(provider, paused)
    expect(live.status).toBe('paused')

    const resumed = campaignSpec('knob', { paused: false })
    expect(await provider.apply(updateChange(live, resumed), context(live))).toEqual({ id: live.id, steps: ['resumed'] })
    expect((await expectConverged(provider, resumed)).status).toBe('active')
  })

  it('patches a paused campaign, then resumes it when the file says paused: false', async () => {
    const spec = await created(campaignSpec('edit then resume', { paused: true }))
    const live = await readCampaign(provider, spec)
    const next = campaignSpec('edit then resume', { description: 'ready', paused: false })
    expect(await provider.apply(updateChange(live, next), context(live))).toEqual({ id: live.id, steps: ['patched', 'resumed'] })
    // Resumed before its start: back to scheduled.
    expect((await expectConverged(provider, next)).status).toBe('scheduled')
  })

  it('accepts the 409 of a retried status action whose first answer was lost', async () => {
    const spec = await created(campaignSpec('lost answer'))
    const live = await readCampaign(provider, spec)
    const paused = campaignSpec('lost answer', { paused: true })
    await harness.scheduleFault({ fault: 'drop', route: 'PUT /api/scheduling' })
    await harness.resetCounters()
    expect((await provider.apply(updateChange(live, paused), context(live))).steps).toEqual(['paused'])
    expect((await harness.counters()).routes[ROUTE.status]?.outcomes).toEqual({ dropped: 1, '409': 1 })
    expect((await expectConverged(provider, paused)).status).toBe('paused')
  })
})

describe('Sarvam apply: campaigns that can no longer change', () => {
  it('blocks every change of an ended campaign', async () => {
    const spec = await created(campaignSpec('over'))
    harness.sandbox().clock.advance((HOUR + 8 * DAY) / 1000)
    const live = await readCampaign(provider, spec)
    expect(live.status).toBe('ended')
    for (const next of [campaignSpec('over', { description: 'too late' }), campaignSpec('over', { paused: true })]) {
      const change = updateChange(live, next)
      expect(provider.policy('SarvamCampaign').assess({ live, fields: change.fields, options: PAUSE_TO_UPDATE })).toEqual({
        action: 'blocked',
        reason: ENDED_REASON,
      })
      await harness.resetCounters()
      await expect(provider.apply(change, context(live, PAUSE_TO_UPDATE))).rejects.toThrow(ENDED_REASON)
      expect(writesOf(await harness.counters())).toBe(0)
    }
    // Nothing moved: reading again still matches what it was created with.
    await expectConverged(provider, spec)
  })

  it('blocks every change of a cancelled campaign', async () => {
    const spec = await created(campaignSpec('called off'))
    const before = await readCampaign(provider, spec)
    await harness.client().put(`${harness.workspacePath(`apply-${workspace}`)}/campaigns/${String(before.id)}/status`, { json: { action: 'cancel' } })
    const live = await readCampaign(provider, spec)
    expect(live.status).toBe('cancelled')
    const change = updateChange(live, campaignSpec('called off', { description: 'revive' }))
    expect(provider.policy('SarvamCampaign').assess({ live, fields: change.fields, options: PAUSE_TO_UPDATE })).toEqual({
      action: 'blocked',
      reason: CANCELLED_REASON,
    })
    await harness.resetCounters()
    await expect(provider.apply(change, context(live, PAUSE_TO_UPDATE))).rejects.toThrow(CANCELLED_REASON)
    expect(writesOf(await harness.counters())).toBe(0)
    await expectConverged(provider, spec)
  })
})
