/**
 * toFileSpec (live → the file's spec, for import): for resources created through the sandbox from
 * a file spec, the spec it gives is valid, minimal, holds no secret, and normalises back to the live
 * resource (the next plan would be empty).
 */
import { randomBytes } from 'node:crypto'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { schemaValidators } from '../../src/config/schema-validator.js'
import { HttpClient } from '../../src/http/client.js'
import type { ResourceChange, Spec } from '../../src/model/plan.js'
import type { LiveResource, Provider } from '../../src/model/provider.js'
import type { Resource } from '../../src/model/resource.js'
import { SecretValue } from '../../src/model/secret.js'
import { diffSpecs } from '../../src/model/spec-diff.js'
import { resourceAddress } from '../../src/platforms.js'
import { createSyllableProvider } from '../../src/providers/syllable/index.js'
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js'
import { retryWithCreates } from './create-retry.js'
import { campaignSpec, context, createChange, useSarvamHarness } from './sarvam-support.js'

const PLACEHOLDER = /\$\{env:([A-Z_][A-Z0-9_]*)\}/g

function resourceOf(live: LiveResource, spec: Spec): Resource {
  return { kind: live.kind, provider: live.provider, name: live.name, address: live.address, spec, source: { file: 'import.yaml', documentIndex: 0, line: 1, column: 1 } }
}

/** The file spec is valid (once its placeholders are interpolated) and normalises back to the live resource. */
function expectRoundTrip(provider: Provider, live: LiveResource): Spec {
  const fileSpec = provider.toFileSpec(live)
  const interpolated = JSON.parse(JSON.stringify(fileSpec).replace(PLACEHOLDER, randomBytes(32).toString('base64'))) as Spec
  const validate = schemaValidators().kind(live.kind)
  expect(validate({ kind: live.kind, provider: live.provider, spec: interpolated }), JSON.stringify(validate.errors)).toBe(true)
  expect(diffSpecs(live.spec, provider.normaliseDesired(resourceOf(live, fileSpec)))).toEqual([])
  return fileSpec
}

describe('Syllable toFileSpec', () => {
  let sandbox: RunningSandbox
  let provider: Provider
  const secret = randomBytes(32).toString('base64')

  const create = (kind: string, name: string, spec: Spec): ResourceChange => ({
    address: resourceAddress('syllable', kind, name),
    kind,
    provider: 'syllable',
    name,
    action: 'create',
    fields: [],
    desired: spec,
    dependsOn: [],
  })

  beforeAll(async () => {
    sandbox = await startSandbox({ now: '2026-11-23T00:00:00Z' })
    const client = new HttpClient({ baseUrl: sandbox.url, headers: { 'Syllable-API-Key': 'ci@example.com' } })
    provider = createSyllableProvider({
      config: { name: 'syllable', type: 'syllable', url: 'sandbox', settings: {} },
      client,
      baseUrl: sandbox.url,
      target: 'sandbox',
      retry: retryWithCreates({ backoffMs: 1 }),
    })
    const ids = new Map<string, string | number>()
    const minimal = { campaign_name: 'Minimal', campaign_variables: {}, caller_id: '19995551234', active_days: ['tue', 'mon'] }
    const full = {
      campaign_name: 'Spring Renewals',
      caller_id: '+19995551234',
      campaign_variables: { region: 'us-east' },
      active_days: ['mon', 'tue', 'wed'],
      daily_start_time: '9:00',
      daily_end_time: '17:00:00',
      hourly_rate: 25,
      retry_count: 0,
      labels: ['renewals'],
      webhooks: [
        { url: 'https://hooks.example.com/a', request_method: 'post', trigger_statuses: ['COMPLETED'], auth_values: { hmac_secret: new SecretValue('HMAC', secret) } },
        { url: 'https://hooks.example.com/b', request_method: 'PUT', trigger_statuses: [] },
      ],
    }
    for (const spec of [minimal, full]) {
      const change = create('SyllableCampaign', spec.campaign_name, spec)
      ids.set(change.address, (await provider.apply(change, { resolveId: () => undefined, options: { pauseToUpdate: false } })).id)
    }
    const batch = create('SyllableBatch', 'b-1', { batch_id: 'b-1', campaign: 'Spring Renewals', paused: true, call_rate: 5, expires_on: '2026-12-31T00:00:00+01:00' })
    await provider.apply(batch, { resolveId: (address) => ids.get(address), options: { pauseToUpdate: false } })
  })

  afterAll(async () => {
    await provider.close()
    await sandbox.close()
  })

  it('gives minimal, valid specs without secrets that normalise back to the live resources', async () => {
    const live = await provider.readLive(provider.kinds, [])
    const specs = new Map(live.map((resource) => [resource.address, expectRoundTrip(provider, resource)]))
    expect(specs.get('syllable/campaign/Minimal')).toEqual({ campaign_name: 'Minimal', campaign_variables: {}, caller_id: '19995551234', active_days: ['mon', 'tue'] })
    expect(specs.get('syllable/campaign/Spring Renewals')).toEqual({
      campaign_name: 'Spring Renewals',
      caller_id: '+19995551234',
      campaign_variables: { region: 'us-east' },
      active_days: ['mon', 'tue', 'wed'],
      daily_start_time: '09:00:00',
      daily_end_time: '17:00:00',
      hourly_rate: 25,
      labels: ['renewals'],
      webhooks: [
        {
          url: 'https://hooks.example.com/a',
          request_method: 'POST',
          trigger_statuses: ['COMPLETED'],
          auth_values: { hmac_secret: '${env:SYLLABLE_SPRING_RENEWALS_WEBHOOK_1_HMAC_SECRET}' },
        },
        { url: 'https://hooks.example.com/b', request_method: 'PUT', trigger_statuses: [] },
      ],
    })
    expect(specs.get('syllable/batch/b-1')).toEqual({ batch_id: 'b-1', campaign: 'Spring Renewals', paused: true, call_rate: 5, expires_on: '2026-12-30T23:00:00Z' })
    expect(JSON.stringify([...specs.values()])).not.toContain(secret)
  })
})

describe('Sarvam toFileSpec', () => {
  const harness = useSarvamHarness()

  it('gives minimal, valid specs that normalise back to the live campaigns (read with scope "all")', async () => {
    const provider = harness.provider('file-spec')
    const plain = campaignSpec('plain')
    const paused = campaignSpec('held', {
      paused: true,
      app_config: { ...(plain.app_config as Spec), app_type: 'agent', connection_configs: [{ connection_id: 'c1', phone_numbers: ['+918047168000'], weight: 1 }] },
    })
    for (const spec of [plain, paused]) await provider.apply(createChange(spec), context())
    const live = await provider.readLive(['SarvamCampaign'], [], 'all')
    const specs = new Map(live.map((resource) => [resource.name, expectRoundTrip(provider, resource)]))
    expect(specs.get('plain')).toEqual(plain)
    expect(specs.get('held')).toEqual({
      ...paused,
      app_config: { ...(plain.app_config as Spec), connection_configs: [{ connection_id: 'c1', phone_numbers: ['+918047168000'] }] },
    })
  })
})
