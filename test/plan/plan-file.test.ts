import { describe, expect, it } from 'vitest'

import { SecretValue } from '../../src/model/secret.js'
import { buildPlan } from '../../src/plan/build-plan.js'
import { findStaleChanges, parsePlanFile, PlanFileError, serialisePlan } from '../../src/plan/plan-file.js'
import { desired, live, plainRules } from '../helpers/plan-builders.js'

const SECRET = 'c2VjcmV0LXZhbHVlLXRoYXQtbXVzdC1uZXZlci1sZWFrLWFueXdoZXJlLg=='

function samplePlan() {
  const campaign = desired('SyllableCampaign', 'Spring', {
    campaign_name: 'Spring',
    hourly_rate: 30,
    webhooks: [{ url: 'https://h.example.com', auth_values: { hmac_secret: new SecretValue('HOOK_SECRET', SECRET) } }],
  })
  const batch = desired('SyllableBatch', 'b1', { batch_id: 'b1', campaign: 'Spring', call_rate: 5 })
  return buildPlan({
    targets: [{ provider: 'syllable', type: 'syllable', target: 'sandbox (.cac/sandbox.json)' }],
    desired: [
      { resource: campaign, normalised: { campaign_name: 'Spring', hourly_rate: 30, webhooks: [{ url: 'https://h.example.com', auth_values: { hmac_secret: '(sensitive)' } }] } },
      { resource: batch, normalised: batch.spec },
    ],
    live: [live('SyllableCampaign', 'Spring', { campaign_name: 'Spring', hourly_rate: 25, webhooks: [] }, { id: 4 })],
    managedKinds: [{ provider: 'syllable', kind: 'SyllableCampaign' }],
    rules: () => plainRules(),
    options: { pauseToUpdate: false },
  })
}

describe('plan file', () => {
  it('round-trips: what is parsed is what was planned, secrets coming back from the environment', () => {
    const plan = samplePlan()
    const text = serialisePlan(plan, { pauseToUpdate: true }, '2026-11-23T00:00:00.000Z')
    const saved = parsePlanFile(text, { HOOK_SECRET: SECRET })
    expect(saved.options).toEqual({ pauseToUpdate: true })
    expect(saved.plan.changes.map((c) => [c.address, c.action, c.liveId, c.liveFingerprint])).toEqual(
      plan.changes.map((c) => [c.address, c.action, c.liveId, c.liveFingerprint]),
    )
    const secret = (saved.plan.changes[1]!.desired.webhooks as { auth_values: { hmac_secret: SecretValue } }[])[0]!.auth_values.hmac_secret
    expect(secret).toBeInstanceOf(SecretValue)
    expect(secret.reveal()).toBe(SECRET)
  })

  it('never contains a secret value, only the variable that holds it', () => {
    const text = serialisePlan(samplePlan(), { pauseToUpdate: false }, '2026-11-23T00:00:00.000Z')
    expect(text).not.toContain(SECRET)
    expect(text).toContain('"$env": "HOOK_SECRET"')
  })

  it('is canonical: the same plan gives the same bytes', () => {
    const a = serialisePlan(samplePlan(), { pauseToUpdate: false }, '2026-11-23T00:00:00.000Z')
    const b = serialisePlan(samplePlan(), { pauseToUpdate: false }, '2026-11-23T00:00:00.000Z')
    expect(a).toBe(b)
    expect(JSON.parse(a)).toMatchObject({ format_version: 1, tool: 'cac', checksum: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) })
  })

  it('refuses a file edited after it was written', () => {
    const text = serialisePlan(samplePlan(), { pauseToUpdate: false }, '2026-11-23T00:00:00.000Z').replace('"hourly_rate"', '"hourly_rat"')
    expect(() => parsePlanFile(text, {})).toThrow(/checksum does not match/)
  })

  it.each([
    ['not JSON', 'plan!', /not JSON/],
    ['another tool', '{"tool": "terraform"}', /not a cac plan file/],
    ['another format version', '{"tool": "cac", "format_version": 99}', /format_version 99/],
  ])('refuses %s', (_name, text, message) => {
    expect(() => parsePlanFile(text, {})).toThrow(PlanFileError)
    expect(() => parsePlanFile(text, {})).toThrow(message)
  })
})

describe('findStaleChanges', () => {
  it('names the fields that moved, who moved them and when', () => {
    const plan = samplePlan()
    const fresh = new Map([
      ['syllable/campaign/Spring', live('SyllableCampaign', 'Spring', { campaign_name: 'Spring', hourly_rate: 40, webhooks: [] }, { id: 4, updatedBy: 'ops@example.com', updatedAt: '2026-11-23T10:00:00Z' })],
      ['syllable/batch/b1', undefined],
    ])
    expect(findStaleChanges(plan, fresh)).toEqual([
      { address: 'syllable/campaign/Spring', reason: 'changed on the platform since the plan by ops@example.com at 2026-11-23T10:00:00Z: hourly_rate' },
    ])
  })

  it('sees a create as stale when the resource now exists, and an update when it is gone', () => {
    const plan = samplePlan()
    const fresh = new Map([
      ['syllable/campaign/Spring', undefined],
      ['syllable/batch/b1', live('SyllableBatch', 'b1', { batch_id: 'b1' }, { id: 'b1' })],
    ])
    expect(findStaleChanges(plan, fresh)).toEqual([
      { address: 'syllable/batch/b1', reason: 'was created on the platform since the plan (id b1)' },
      { address: 'syllable/campaign/Spring', reason: 'was deleted on the platform since the plan' },
    ])
  })

  it('is empty when nothing moved', () => {
    const plan = samplePlan()
    const fresh = new Map([['syllable/campaign/Spring', live('SyllableCampaign', 'Spring', { campaign_name: 'Spring', hourly_rate: 25, webhooks: [] })]])
    expect(findStaleChanges(plan, fresh)).toEqual([])
  })
})
