import { retryWithCreates } from './create-retry.js'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { schemaValidators } from '../../src/config/schema-validator.js'
import { HttpClient } from '../../src/http/client.js'
import type { KindName } from '../../src/model/kinds.js'
import type { ResourceChange, Spec } from '../../src/model/plan.js'
import type { Resource } from '../../src/model/resource.js'
import { resourceAddress } from '../../src/platforms.js'
import { SecretValue, isSecretValue } from '../../src/model/secret.js'
import { diffSpecs, specAsAdditions } from '../../src/model/spec-diff.js'
import type { ApplyContext, LiveResource, Provider } from '../../src/model/provider.js'
import { createSyllableProvider } from '../../src/providers/syllable/index.js'
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js'

/**
 * Round trips through the provider and a real (in-process) sandbox: for any valid file spec,
 * create → read back → the diff is empty; change some fields (and stop declaring others) →
 * update → read back → empty again, and what the file stopped declaring kept its live value.
 */

import { campaignSpec, clockTime, DAYS, hmacSecret, nullable, optionalCampaignFields, requiredCampaignFields, shortText } from '../helpers/syllable-arbitraries.js'

const OPTIONAL_CAMPAIGN_KEYS = [
  'description', 'mode', 'sms_session_ttl', 'label', 'labels', 'daily_start_time', 'daily_end_time', 'source', 'hourly_rate',
  'max_daily_calls', 'retry_count', 'retry_interval', 'voicemail_detection', 'allowed_line_types', 'include_unknown_line_types',
  'target_filters', 'webhooks',
]

/** An edit of a file: some fields get new values, some stop being declared. */
const campaignEdit = fc.record({
  set: fc.tuple(requiredCampaignFields, optionalCampaignFields).map(([required, optional]) => ({ ...required, ...optional }) as Spec).chain((values) =>
    fc.subarray(Object.keys(values), { minLength: 1 }).map((keys) => Object.fromEntries(keys.map((key) => [key, values[key]])) as Spec),
  ),
  drop: fc.subarray(OPTIONAL_CAMPAIGN_KEYS, { maxLength: 4 }),
})

// --- arbitraries of valid SyllableBatch specs ----------------------------------------------------

/** An instant between 2026 and 2030, written with any offset (and sometimes milliseconds). */
const instant = fc
  .tuple(
    fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2030, 0, 1) }),
    fc.integer({ min: -48, max: 56 }).map((quarters) => quarters * 15),
    fc.boolean(),
  )
  .map(([ms, offsetMinutes, withMillis]) => {
    const at = withMillis ? ms : ms - (ms % 1000)
    const local = new Date(at + offsetMinutes * 60_000).toISOString().slice(0, withMillis ? 23 : 19)
    if (offsetMinutes === 0) return `${local}Z`
    const sign = offsetMinutes < 0 ? '-' : '+'
    const abs = Math.abs(offsetMinutes)
    return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
  })

const SETTERS = ['expires_on', 'paused', 'call_rate', 'auto_call_rate'] as const

const batchSetters = fc.record(
  {
    expires_on: nullable(instant),
    paused: nullable(fc.boolean()),
    call_rate: nullable(fc.integer({ min: 1, max: 3600 })),
    auto_call_rate: fc.boolean(),
  },
  { requiredKeys: [] },
)

/**
 * The platform's one cross-field rule: auto_call_rate needs an expiry. Keep generated files on the
 * right side of it whatever the live state (auto on → an expiry declared; expiry cleared → auto off).
 */
function withinAutoCallRateRule(spec: Spec): Spec {
  const out = { ...spec }
  if (out.auto_call_rate === true && (out.expires_on === undefined || out.expires_on === null)) out.auto_call_rate = false
  if (out.expires_on === null) out.auto_call_rate = false
  return out
}

/** Runs per property; raise it (CAC_PROPERTY_RUNS=2000) to search harder locally. */
const RUNS = Number(process.env.CAC_PROPERTY_RUNS ?? 80)
const TIMEOUT_MS = 30_000 + RUNS * 200

// --- harness -------------------------------------------------------------------------------------

let sandbox: RunningSandbox
let provider: Provider
let counter = 0

beforeAll(async () => {
  sandbox = await startSandbox({ now: '2026-01-01T00:00:00Z' })
  const client = new HttpClient({ baseUrl: sandbox.url, headers: { 'Syllable-API-Key': 'ci@example.com' }, retry: { baseDelayMs: 1, maxDelayMs: 5 } })
  provider = createSyllableProvider(
    { config: { name: 'syllable', type: 'syllable', url: sandbox.url, settings: {} }, client, baseUrl: sandbox.url, target: 'sandbox', retry: retryWithCreates({ backoffMs: 1 }) },
  )
})

afterAll(async () => {
  await provider.close()
  await sandbox.close()
})

function resource(kind: KindName, spec: Spec): Resource {
  const name = String(kind === 'SyllableCampaign' ? spec.campaign_name : spec.batch_id)
  const address = resourceAddress('syllable', kind, name)
  return { kind, provider: 'syllable', name, address, spec, source: { file: 'prop.yaml', documentIndex: 0, line: 1, column: 1 } }
}

/** The generators must only produce files `cac validate` accepts (secrets stand in as text). */
function expectSchemaValid(item: Resource): void {
  const spec = withSecretsAsText(item.spec) as Spec
  const validate = schemaValidators().kind(item.kind)
  expect(validate({ kind: item.kind, provider: 'syllable', spec }), JSON.stringify(validate.errors)).toBe(true)
}

/** A copy of a spec with each SecretValue replaced by its text (JSON would write its variable's name). */
function withSecretsAsText(value: unknown): unknown {
  if (isSecretValue(value)) return value.reveal()
  if (Array.isArray(value)) return value.map(withSecretsAsText)
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withSecretsAsText(item)]))
  return value
}

function changeFor(desired: Resource, live: LiveResource | undefined): ResourceChange {
  const normalised = provider.normaliseDesired(desired)
  const fields = live ? diffSpecs(live.spec, normalised) : specAsAdditions(normalised)
  return {
    address: desired.address,
    kind: desired.kind,
    provider: 'syllable',
    name: desired.name,
    action: !live ? 'create' : fields.length > 0 ? 'update' : 'noop',
    fields,
    desired: desired.spec,
    dependsOn: provider.policy(desired.kind).dependsOn(desired),
    ...(live ? { liveId: live.id, live: live.spec } : {}),
  }
}

const context = (live: LiveResource | undefined, ids: Record<string, string | number> = {}): ApplyContext => ({
  ...(live ? { live } : {}),
  resolveId: (address) => ids[address],
  options: { pauseToUpdate: false },
})

/** Reads back the way a plan does: the list endpoints. */
async function readBack(item: Resource): Promise<LiveResource> {
  const live = (await provider.readLive([item.kind], [item])).find((candidate) => candidate.address === item.address)
  expect(live, `${item.address} was not listed`).toBeDefined()
  return live!
}

/** Reads back the way a saved plan's staleness check does: one resource by id. */
async function reread(item: Resource, id: string | number): Promise<LiveResource> {
  const live = (await provider.refresh([{ kind: item.kind, name: item.name, id }])).get(item.address)
  expect(live, `${item.address} was not found`).toBeDefined()
  return live!
}

/** What an edit leaves the file with: new values set, some fields no longer declared. */
function edited(spec: Spec, edit: { set: Spec; drop: string[] }): Spec {
  const next: Spec = { ...spec, ...edit.set }
  for (const key of edit.drop) if (!(key in edit.set)) delete next[key]
  return next
}

/** Fields the edited file no longer manages: their live values must survive the update. */
function unmanagedKeys(before: Spec, desired: Spec): string[] {
  const declaresLabels = 'label' in desired || 'labels' in desired
  return Object.keys(before).filter((key) => !(key in desired) && !(key === 'labels' && declaresLabels))
}

describe('Syllable round trips (property)', () => {
  it('campaign: create, read → no diff; edit, update, read → no diff and unmanaged fields kept', async () => {
    await fc.assert(
      fc.asyncProperty(campaignSpec, campaignEdit, async (spec, edit) => {
        counter += 1
        const first = resource('SyllableCampaign', { campaign_name: `Prop campaign ${counter}`, ...spec })
        expectSchemaValid(first)
        const created = await provider.apply(changeFor(first, undefined), context(undefined))
        const afterCreate = await readBack(first)
        expect(diffSpecs(afterCreate.spec, provider.normaliseDesired(first))).toEqual([])

        const second = resource('SyllableCampaign', edited(first.spec, edit))
        expectSchemaValid(second)
        const change = changeFor(second, afterCreate)
        if (change.action === 'update') await provider.apply(change, context(afterCreate))
        const afterUpdate = await reread(second, created.id)
        expect(diffSpecs(afterUpdate.spec, provider.normaliseDesired(second))).toEqual([])
        for (const key of unmanagedKeys(afterCreate.spec, second.spec)) expect(afterUpdate.spec[key], key).toEqual(afterCreate.spec[key])
      }),
      { numRuns: RUNS },
    )
  }, TIMEOUT_MS)

  it('batch: create, read → no diff; edit, update, read → no diff and unmanaged setters kept', async () => {
    const parent = resource('SyllableCampaign', { campaign_name: 'Prop parent', campaign_variables: {}, caller_id: null, active_days: [] })
    const { id: parentId } = await provider.apply(changeFor(parent, undefined), context(undefined))
    const ids = { [parent.address]: parentId }

    await fc.assert(
      fc.asyncProperty(batchSetters, batchSetters, fc.subarray([...SETTERS], { maxLength: 2 }), async (setters, edits, drop) => {
        counter += 1
        const first = resource('SyllableBatch', withinAutoCallRateRule({ batch_id: `prop-${counter}`, campaign: 'Prop parent', ...setters }))
        expectSchemaValid(first)
        const created = await provider.apply(changeFor(first, undefined), context(undefined, ids))
        const afterCreate = await readBack(first)
        expect(diffSpecs(afterCreate.spec, provider.normaliseDesired(first))).toEqual([])

        let nextSpec = edited(first.spec, { set: edits, drop })
        // The rule is checked against the batch as it will be: declared values, else live ones.
        const effective = withinAutoCallRateRule({ ...afterCreate.spec, ...nextSpec })
        if (effective.auto_call_rate !== (nextSpec.auto_call_rate ?? afterCreate.spec.auto_call_rate)) nextSpec = { ...nextSpec, auto_call_rate: false }
        const second = resource('SyllableBatch', nextSpec)
        expectSchemaValid(second)
        const change = changeFor(second, afterCreate)
        if (change.action === 'update') await provider.apply(change, context(afterCreate, ids))
        const afterUpdate = await reread(second, created.id)
        expect(diffSpecs(afterUpdate.spec, provider.normaliseDesired(second))).toEqual([])
        for (const key of unmanagedKeys(afterCreate.spec, second.spec)) expect(afterUpdate.spec[key], key).toEqual(afterCreate.spec[key])
      }),
      { numRuns: RUNS },
    )
  }, TIMEOUT_MS)
})
