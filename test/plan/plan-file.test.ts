import { createHash } from 'node:crypto'

import { describe, expect, it } from 'vitest'

import { SecretValue } from '../../src/model/secret.js'
import { buildPlan, canonicalJson } from '../../src/plan/build-plan.js'
import { checkPlanFileSize, findStaleChanges, MAX_PLAN_FILE_BYTES, parsePlanFile, PlanFileError, serialisePlan } from '../../src/plan/plan-file.js'
import { desired, live, plainPolicy } from '../helpers/plan-builders.js'

const SECRET = 'c2VjcmV0LXZhbHVlLXRoYXQtbXVzdC1uZXZlci1sZWFrLWFueXdoZXJlLg=='

function samplePlan() {
  const campaign = desired('SyllableCampaign', 'Spring', {
    campaign_name: 'Spring',
    hourly_rate: 30,
    webhooks: [{ url: 'https://h.example.com', auth_values: { hmac_secret: new SecretValue('HOOK_SECRET', SECRET) } }],
  })
  const batch = desired('SyllableBatch', 'b1', { batch_id: 'b1', campaign: 'Spring', call_rate: 5 })
  return buildPlan({
    targets: [
      { provider: 'sarvam', type: 'sarvam', target: 'https://api.sarvam.example/v1', orgId: 'acme', workspaceId: 'outbound' },
      { provider: 'syllable', type: 'syllable', target: 'sandbox (.cac/sandbox.json)' },
    ],
    desired: [
      { resource: campaign, normalised: { campaign_name: 'Spring', hourly_rate: 30, webhooks: [{ url: 'https://h.example.com', auth_values: { hmac_secret: '(sensitive)' } }] } },
      { resource: batch, normalised: batch.spec },
    ],
    live: [live('SyllableCampaign', 'Spring', { campaign_name: 'Spring', hourly_rate: 25, webhooks: [] }, { id: 4 })],
    managedKinds: [{ provider: 'syllable', kind: 'SyllableCampaign' }],
    policy: () => plainPolicy(),
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

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** Edits a saved plan and recomputes its checksum, as anyone with the file can. */
function resealed(edit: (plan: Json) => void): string {
  const plan = JSON.parse(serialisePlan(samplePlan(), { pauseToUpdate: false }, '2026-11-23T00:00:00.000Z')) as Json
  edit(plan)
  const body = { format_version: plan.format_version, tool: plan.tool, options: plan.options, targets: plan.targets, changes: plan.changes }
  plan.checksum = `sha256:${createHash('sha256').update(canonicalJson(body)).digest('hex')}`
  return JSON.stringify(plan)
}

/** changes[0] is the batch b1 (a create), changes[1] the campaign Spring (an update). */
describe('plan file structure (checksum recomputed, so only the field checks stand between the file and apply)', () => {
  it('binds targets to their URL, Sarvam org and workspace, and reads them back', () => {
    const saved = parsePlanFile(serialisePlan(samplePlan(), { pauseToUpdate: false }, 'now'), {})
    expect(saved.plan.targets).toEqual([
      { provider: 'sarvam', type: 'sarvam', target: 'https://api.sarvam.example/v1', orgId: 'acme', workspaceId: 'outbound' },
      { provider: 'syllable', type: 'syllable', target: 'sandbox (.cac/sandbox.json)' },
    ])
    expect(JSON.parse(serialisePlan(samplePlan(), { pauseToUpdate: false }, 'now')).targets[0]).toEqual({
      provider: 'sarvam',
      type: 'sarvam',
      target: 'https://api.sarvam.example/v1',
      org_id: 'acme',
      workspace_id: 'outbound',
    })
  })

  it('accepts a resealed but unchanged plan', () => {
    expect(() => parsePlanFile(resealed(() => undefined), {})).not.toThrow()
  })

  it('does not trust depends_on: it is read for its shape only and recomputed at apply', () => {
    const saved = parsePlanFile(resealed((plan) => (plan.changes[0].depends_on = ['syllable/campaign/Elsewhere'])), {})
    expect(saved.plan.changes.map((change) => change.dependsOn)).toEqual([[], []])
  })

  it.each<[string, (plan: Json) => void, string]>([
    ['a desired spec that is not an object', (p) => (p.changes[0].desired = 'everything'), 'changes[0].desired: must be an object'],
    ['an unknown action', (p) => (p.changes[0].action = 'delete'), 'changes[0].action: must be one of create, update, blocked, error, noop'],
    ['an unknown kind', (p) => (p.changes[0].kind = 'SyllableAgent'), 'changes[0].kind: must be one of SyllableCampaign, SyllableBatch, SarvamCampaign'],
    ['an address that is not provider/noun/name', (p) => (p.changes[0].address = 'syllable/batch/b2'), 'changes[0].address: must be "syllable/batch/b1" (provider/batch/name)'],
    ['a name that is not the identity of the desired spec', (p) => (p.changes[0].desired.batch_id = 'b2'), 'changes[0].name: must equal desired.batch_id'],
    ['the same address twice', (p) => p.changes.push(structuredClone(p.changes[0])), 'changes[2].address: "syllable/batch/b1" has more than one change'],
    ['a change for a provider without a target', (p) => {
      p.changes[0].provider = 'other'
      p.changes[0].address = 'other/batch/b1'
    }, 'changes[0].provider: names provider "other", which the plan has no target for'],
    ['a kind its target cannot serve', (p) => (p.targets[1].type = 'sarvam'), `changes[0].provider: a SyllableBatch needs a syllable provider; the plan's target "syllable" is of type sarvam`],
    ['a field cac does not write', (p) => (p.changes[0].run_as = 'root'), 'changes[0].run_as: is not a field of a cac plan'],
    ['a field change without a path', (p) => (p.changes[1].fields[0].path = []), 'changes[1].fields[0].path: must name at least one field'],
    ['an update without its live fingerprint', (p) => delete p.changes[1].live_fingerprint, 'changes[1].live_fingerprint: an update needs the live resource it was planned against'],
    ['a create with a live id', (p) => (p.changes[0].live_id = 7), 'changes[0].live_id: a create has no live resource'],
    ['a malformed fingerprint', (p) => (p.changes[1].live_fingerprint = 'md5:abc'), 'changes[1].live_fingerprint: must be sha256: and 64 hex digits'],
    ['a secret reference with other keys', (p) => (p.changes[1].desired.webhooks[0].auth_values.hmac_secret.also = 'x'), 'changes[1].desired.webhooks[0].auth_values.hmac_secret: a secret reference {"$env": NAME} has no other keys'],
    ['a secret reference that is not a variable name', (p) => (p.changes[1].desired.webhooks[0].auth_values.hmac_secret.$env = 'A B'), 'changes[1].desired.webhooks[0].auth_values.hmac_secret.$env: must be an environment variable name'],
    ['targets that are not a list', (p) => (p.targets = { syllable: 'x' }), 'targets: must be a list'],
    ['a provider type cac does not know', (p) => (p.targets[1].type = 'twilio'), 'targets[1].type: must be one of syllable, sarvam'],
    ['a target listed twice', (p) => p.targets.push(structuredClone(p.targets[1])), 'targets[2].provider: provider "syllable" is listed twice'],
    ['an option that is not true or false', (p) => (p.options.pause_to_update = 'yes'), 'options.pause_to_update: must be true or false'],
    ['an unknown top-level field', (p) => (p.extra = 1), 'extra: is not a field of a cac plan'],
    ['an unmanaged entry without an id', (p) => (p.unmanaged = [{ address: 'a', kind: 'SyllableBatch', provider: 'syllable', name: 'a' }]), 'unmanaged[0].id: must be a server id'],
  ])('refuses %s, naming the JSON path', (_name, edit, message) => {
    const text = resealed(edit)
    expect(() => parsePlanFile(text, {})).toThrow(PlanFileError)
    expect(() => parsePlanFile(text, {})).toThrow(`is malformed at ${message}`)
  })

  it('refuses nesting far deeper than any spec, before any recursive step could overflow', () => {
    // Written as text: even building such a value recursively would overflow. The depth check comes before the checksum.
    const deep = `${'['.repeat(100_000)}1${']'.repeat(100_000)}`
    const text = resealed((plan) => (plan.changes[0].desired.labels = 'DEEP')).replace('"DEEP"', deep)
    expect(() => parsePlanFile(text, {})).toThrow(/nests deeper than 64 levels/)
  })

  it('refuses a file over the size limit by its size', () => {
    expect(() => checkPlanFileSize(MAX_PLAN_FILE_BYTES)).not.toThrow()
    expect(() => checkPlanFileSize(MAX_PLAN_FILE_BYTES + 1)).toThrow(/over the 64 MiB limit for a plan file/)
  })

  it('looks a secret up only among the variables the environment has (never inherited properties)', () => {
    const text = resealed((plan) => (plan.changes[1].desired.webhooks[0].auth_values.hmac_secret = { $env: '__proto__' }))
    const saved = parsePlanFile(text, {})
    const secret = (saved.plan.changes[1]!.desired.webhooks as { auth_values: { hmac_secret: SecretValue } }[])[0]!.auth_values.hmac_secret
    expect(secret.isSet).toBe(false)
  })
})
