import { beforeAll, describe, expect, it } from 'vitest'

import type { LiveResource } from '../../src/model/provider.js'
import { normaliseDesiredCampaign } from '../../src/providers/sarvam/index.js'
import { diffSpecs } from '../../src/model/spec-diff.js'
import { ROUTE, campaignSpec, countOf, declared, useSarvamHarness } from './sarvam-support.js'

const harness = useSarvamHarness()

describe('Sarvam readLive', () => {
  const WORKSPACE = 'paging'
  const TOTAL = 230
  const names = Array.from({ length: TOTAL }, (_, i) => `campaign ${String(i).padStart(3, '0')}`)
  const DECLARED = [names[0]!, names[150]!, names[229]!]

  beforeAll(async () => {
    // Set up behind the provider's back, as other people's campaigns would be.
    const path = `${harness.workspacePath(WORKSPACE)}/campaigns`
    for (const name of names) await harness.client().post(path, { json: campaignSpec(name) })
  })

  it('reads every page, and the detail of declared campaigns only', async () => {
    const provider = harness.provider(WORKSPACE)
    await harness.resetCounters()
    const live = await provider.readLive(['SarvamCampaign'], DECLARED.map((name) => declared(campaignSpec(name))))
    const counters = await harness.counters()

    expect(countOf(counters, ROUTE.list)).toBe(Math.ceil(TOTAL / 100))
    expect(countOf(counters, ROUTE.detail)).toBe(DECLARED.length)
    expect(counters.total).toBe(Math.ceil(TOTAL / 100) + DECLARED.length)

    expect(live.map((resource) => resource.name).sort()).toEqual([...names].sort())
    for (const resource of live) {
      expect(resource).toMatchObject({ kind: 'SarvamCampaign', provider: 'sarvam', address: `sarvam/campaign/${resource.name}`, status: 'scheduled' })
      expect(resource.id).toMatch(/^camp-[0-9a-f]{8}$/)
      expect(resource.updatedAt).toBe('2026-11-23T00:00:00Z')
      if (DECLARED.includes(resource.name)) {
        expect(diffSpecs(resource.spec, normaliseDesiredCampaign(campaignSpec(resource.name)))).toEqual([])
      } else {
        // Unmanaged: only what the summary says.
        expect(resource.spec).toEqual({ name: resource.name, description: campaignSpec(resource.name).description, paused: false })
      }
    }
  })

  it('with scope "all", reads the detail of every campaign, declared or not', async () => {
    const provider = harness.provider(WORKSPACE)
    await harness.resetCounters()
    const live = await provider.readLive(['SarvamCampaign'], [], 'all')
    const counters = await harness.counters()
    expect(countOf(counters, ROUTE.list)).toBe(Math.ceil(TOTAL / 100))
    expect(countOf(counters, ROUTE.detail)).toBe(TOTAL)
    expect(live).toHaveLength(TOTAL)
    for (const resource of live) expect(diffSpecs(resource.spec, normaliseDesiredCampaign(campaignSpec(resource.name)))).toEqual([])
  })

  it('ignores declarations of other providers and kinds', async () => {
    const provider = harness.provider(WORKSPACE)
    await harness.resetCounters()
    const other = { ...declared(campaignSpec(names[1]!), 'sarvam-eu') }
    const live = await provider.readLive(['SarvamCampaign'], [other])
    expect(live).toHaveLength(TOTAL)
    expect(countOf(await harness.counters(), ROUTE.detail)).toBe(0)
  })

  it('reads nothing for kinds it does not manage', async () => {
    const provider = harness.provider(WORKSPACE)
    await harness.resetCounters()
    expect(await provider.readLive(['SyllableCampaign'], [])).toEqual([])
    expect((await harness.counters()).total).toBe(0)
  })

  it('reads an empty workspace with one request', async () => {
    const provider = harness.provider('empty')
    await harness.resetCounters()
    expect(await provider.readLive(['SarvamCampaign'], [declared(campaignSpec('nothing here'))])).toEqual([])
    expect((await harness.counters()).total).toBe(1)
  })
})

describe('Sarvam refresh', () => {
  const WORKSPACE = 'refresh'
  let known: LiveResource

  beforeAll(async () => {
    const path = `${harness.workspacePath(WORKSPACE)}/campaigns`
    // Names that contain each other, so the name search returns several and the exact match decides.
    for (const name of ['renewals', 'renewals-hi', 'RENEWALS-HI-2']) await harness.client().post(path, { json: campaignSpec(name) })
    const live = await harness.provider(WORKSPACE).readLive(['SarvamCampaign'], [declared(campaignSpec('renewals-hi'))])
    known = live.find((resource) => resource.name === 'renewals-hi')!
  })

  it('re-reads by id, by name, and maps missing campaigns to undefined', async () => {
    const provider = harness.provider(WORKSPACE)
    const result = await provider.refresh([
      { kind: 'SarvamCampaign', name: 'renewals-hi', id: known.id },
      { kind: 'SarvamCampaign', name: 'renewals' },
      { kind: 'SarvamCampaign', name: 'gone', id: 'camp-ffffffff' },
      { kind: 'SarvamCampaign', name: 'renewals-h' },
    ])
    expect([...result.keys()].sort()).toEqual(['sarvam/campaign/gone', 'sarvam/campaign/renewals', 'sarvam/campaign/renewals-h', 'sarvam/campaign/renewals-hi'])
    expect(result.get('sarvam/campaign/renewals-hi')).toEqual(known)
    expect(result.get('sarvam/campaign/renewals')?.name).toBe('renewals')
    expect(diffSpecs(result.get('sarvam/campaign/renewals')!.spec, normaliseDesiredCampaign(campaignSpec('renewals')))).toEqual([])
    expect(result.get('sarvam/campaign/gone')).toBeUndefined()
    expect(result.get('sarvam/campaign/renewals-h')).toBeUndefined()
  })

  it('leaves targets of other kinds out', async () => {
    const result = await harness.provider(WORKSPACE).refresh([{ kind: 'SyllableCampaign', name: 'renewals-hi', id: 1 }])
    expect(result.size).toBe(0)
  })
})
