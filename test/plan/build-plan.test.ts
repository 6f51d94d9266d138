import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { buildPlan, canonicalJson, fingerprint, type PlanInput } from '../../src/plan/build-plan.js'
import type { KindPolicy } from '../../src/model/provider.js'
import { desired, live, plainPolicy } from '../helpers/plan-builders.js'

const TARGETS = [{ provider: 'syllable', type: 'syllable' as const, target: 'sandbox (.cac/sandbox.json)' }]

function plan(input: Partial<PlanInput> & Pick<PlanInput, 'desired' | 'live'>, policy: KindPolicy = plainPolicy()) {
  return buildPlan({
    targets: TARGETS,
    managedKinds: [
      { provider: 'syllable', kind: 'SyllableCampaign' },
      { provider: 'syllable', kind: 'SyllableBatch' },
    ],
    policy: () => policy,
    options: { pauseToUpdate: false },
    ...input,
  })
}

const entry = (resource: ReturnType<typeof desired>) => ({ resource, normalised: resource.spec })

describe('buildPlan', () => {
  it('creates what is only in the files, listing every field', () => {
    const result = plan({ desired: [entry(desired('SyllableCampaign', 'A', { campaign_name: 'A', hourly_rate: 5 }))], live: [] })
    expect(result.changes).toMatchObject([{ address: 'syllable/campaign/A', action: 'create', fields: [{ path: ['campaign_name'] }, { path: ['hourly_rate'] }] }])
    expect(result.summary).toEqual({ create: 1, update: 0, blocked: 0, error: 0, noop: 0, unmanaged: 0 })
  })

  it('updates with field-level before → after, and remembers the live fingerprint', () => {
    const liveSpec = { campaign_name: 'A', hourly_rate: 5, description: 'unmanaged' }
    const result = plan({ desired: [entry(desired('SyllableCampaign', 'A', { campaign_name: 'A', hourly_rate: 9 }))], live: [live('SyllableCampaign', 'A', liveSpec, { id: 7 })] })
    expect(result.changes[0]).toMatchObject({
      action: 'update',
      liveId: 7,
      liveFingerprint: fingerprint(liveSpec),
      fields: [{ path: ['hourly_rate'], kind: 'change', before: 5, after: 9 }],
    })
  })

  it('carries who changed the live resource last, and when, on its change (absent when the platform does not say)', () => {
    const known = live('SyllableCampaign', 'A', { campaign_name: 'A' }, { updatedBy: 'ops@example.com', updatedAt: '2026-11-20T10:00:00Z' })
    const result = plan({
      desired: [entry(desired('SyllableCampaign', 'A', { campaign_name: 'A' })), entry(desired('SyllableCampaign', 'B', { campaign_name: 'B' }))],
      live: [known, live('SyllableCampaign', 'B', { campaign_name: 'B' })],
    })
    expect(result.changes[0]).toMatchObject({ liveUpdatedBy: 'ops@example.com', liveUpdatedAt: '2026-11-20T10:00:00Z' })
    expect(result.changes[1]).not.toHaveProperty('liveUpdatedBy')
    expect(result.changes[1]).not.toHaveProperty('liveUpdatedAt')
  })

  it('is a noop when the declared fields match (undeclared live fields are not managed)', () => {
    const result = plan({
      desired: [entry(desired('SyllableCampaign', 'A', { campaign_name: 'A' }))],
      live: [live('SyllableCampaign', 'A', { campaign_name: 'A', hourly_rate: 1 })],
    })
    expect(result.changes[0]).toMatchObject({ action: 'noop', fields: [] })
  })

  it('carries the kind’s notice about a live resource, even when nothing changes', () => {
    const policy = plainPolicy({ notice: ({ live: l, desired: d }) => (l.status === 'paused' && d.paused === undefined ? 'paused on the platform' : undefined) })
    const result = plan(
      {
        desired: [entry(desired('SyllableCampaign', 'A', { campaign_name: 'A' })), entry(desired('SyllableCampaign', 'B', { campaign_name: 'B' }))],
        live: [live('SyllableCampaign', 'A', { campaign_name: 'A' }, { status: 'paused' }), live('SyllableCampaign', 'B', { campaign_name: 'B' }, { status: 'active' })],
      },
      policy,
    )
    expect(result.changes.map((change) => [change.action, change.notice])).toEqual([
      ['noop', 'paused on the platform'],
      ['noop', undefined],
    ])
  })

  it('is an error when a create-only field differs', () => {
    const result = plan(
      { desired: [entry(desired('SyllableBatch', 'b', { batch_id: 'b', campaign: 'New' }))], live: [live('SyllableBatch', 'b', { batch_id: 'b', campaign: 'Old' })] },
      plainPolicy({ createOnly: ['campaign'] }),
    )
    expect(result.changes[0]).toMatchObject({ action: 'error', reason: expect.stringContaining('campaign can only be set when the resource is created') })
  })

  it('takes the provider’s verdict for a change the platform cannot take as asked', () => {
    const policy = plainPolicy({ assess: ({ live: l }) => (l.status === 'active' ? { action: 'blocked', reason: 'campaign is active' } : undefined) })
    const result = plan(
      { desired: [entry(desired('SyllableCampaign', 'A', { campaign_name: 'A', hourly_rate: 2 }))], live: [live('SyllableCampaign', 'A', { campaign_name: 'A', hourly_rate: 1 }, { status: 'active' })] },
      policy,
    )
    expect(result.changes[0]).toMatchObject({ action: 'blocked', reason: 'campaign is active', liveStatus: 'active' })
  })

  it('refuses to guess between two live resources with the same identity', () => {
    const result = plan({
      desired: [entry(desired('SyllableCampaign', 'A', { campaign_name: 'A' }))],
      live: [live('SyllableCampaign', 'A', { campaign_name: 'A' }, { id: 1 }), live('SyllableCampaign', 'A', { campaign_name: 'A' }, { id: 2 })],
    })
    expect(result.changes[0]).toMatchObject({ action: 'error', reason: expect.stringContaining('ids 1, 2') })
  })

  it('lists live resources of managed kinds that no file declares as unmanaged', () => {
    const result = plan({ desired: [], live: [live('SyllableCampaign', 'Legacy', {}, { id: 3 }), live('SarvamCampaign', 'other-kind', {})] })
    expect(result.unmanaged).toEqual([{ address: 'syllable/campaign/Legacy', kind: 'SyllableCampaign', provider: 'syllable', name: 'Legacy', id: 3 }])
    expect(result.summary.unmanaged).toBe(1)
  })

  it('puts an error on a change whose dependency neither exists nor is declared', () => {
    const policy = plainPolicy({ dependsOn: (r) => (r.kind === 'SyllableBatch' ? ['syllable/campaign/Missing'] : []) })
    const result = plan({ desired: [entry(desired('SyllableBatch', 'b', { batch_id: 'b', campaign: 'Missing' }))], live: [] }, policy)
    expect(result.changes[0]).toMatchObject({ action: 'error', reason: expect.stringContaining('syllable/campaign/Missing') })
  })

  it('keeps a dependant planned when its dependency is planned for creation', () => {
    const policy = plainPolicy({ dependsOn: (r) => (r.kind === 'SyllableBatch' ? ['syllable/campaign/C'] : []) })
    const result = plan({ desired: [entry(desired('SyllableBatch', 'b', { batch_id: 'b' })), entry(desired('SyllableCampaign', 'C', { campaign_name: 'C' }))], live: [] }, policy)
    expect(result.changes.map((c) => [c.address, c.action, c.dependsOn])).toEqual([
      ['syllable/batch/b', 'create', ['syllable/campaign/C']],
      ['syllable/campaign/C', 'create', []],
    ])
  })

  it('plans a resource against itself as no change (property)', () => {
    const value = fc.jsonValue({ maxDepth: 3 }).filter((v) => v !== null)
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), value, { maxKeys: 6 }), (spec) => {
        const result = plan({ desired: [entry(desired('SyllableCampaign', 'P', spec))], live: [live('SyllableCampaign', 'P', structuredClone(spec))] })
        expect(result.changes[0]!.action).toBe('noop')
      }),
    )
  })
})

describe('canonicalJson', () => {
  it('is the same text whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}')
  })
})
