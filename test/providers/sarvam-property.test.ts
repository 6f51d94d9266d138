import { retryWithCreates } from './create-retry.js'
/**
 * Property: any valid file spec, created through the provider and read back, shows no difference;
 * after changing updatable fields and applying the update, reading back again shows none either.
 * Each run uses its own workspace of one sandbox whose clock stays frozen at T0.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import type { ProviderConfig } from '../../src/model/provider.js'
import type { SarvamSettings } from '../../src/providers/sarvam/platform.js'
import type { Spec } from '../../src/model/plan.js'
import { diffSpecs } from '../../src/model/spec-diff.js'
import type { Provider } from '../../src/model/provider.js'
import { createSarvamProvider, normaliseDesiredCampaign } from '../../src/providers/sarvam/index.js'
import { WEEKDAYS } from '../../src/providers/sarvam/normalise.js'
import { DAY, MINUTE, NO_PAUSE, T0_MS, context, createChange, declared, newClient, updateChange, useSarvamHarness } from './sarvam-support.js'

const harness = useSarvamHarness()

const ZONES = ['Asia/Kolkata', 'UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Adelaide'] as const
const OFFSETS = ['Z', '+00:00', '+05:30', '-08:00', '+09:45', '-03:30'] as const
const SECOND = 1000

/** An instant written with the given UTC offset; milliseconds may be left out only when they are zero. */
function writeInstant(ms: number, offset: string, millis: boolean): string {
  if (!millis && ms % SECOND !== 0) throw new Error(`writeInstant: ${ms} has milliseconds`)
  const minutes = offset === 'Z' ? 0 : (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)))
  const local = new Date(ms + minutes * MINUTE).toISOString().slice(0, -1)
  return (millis ? local : local.replace(/\.\d{3}$/, '')) + offset
}

/** An instant in [from, to] written in some offset; whole seconds are common in files, so they are likely here too. */
const instant = (from: number, to: number) =>
  fc
    .tuple(fc.oneof(fc.integer({ min: Math.ceil(from / SECOND), max: Math.floor(to / SECOND) }).map((s) => s * SECOND), fc.integer({ min: from, max: to })), fc.constantFrom(...OFFSETS))
    .map(([ms, offset]) => ({ ms, text: writeInstant(ms, offset, ms % SECOND !== 0) }))

const int = (min: number, max: number) => fc.integer({ min, max })
const optional = <T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }) => fc.record(model, { requiredKeys: [] })

const phone = fc.stringMatching(/^\+[1-9][0-9]{1,14}$/)
const connection = fc.record(
  { connection_id: fc.stringMatching(/^conn-[a-z0-9]{1,12}$/), phone_numbers: fc.uniqueArray(phone, { minLength: 1, maxLength: 3 }), weight: int(1, 10) },
  { requiredKeys: ['connection_id', 'phone_numbers'] },
)
const retrySwitch = optional({ enabled: fc.boolean() })
const errorPolicy = optional({ enabled: fc.boolean(), max_retries: int(0, 20), retry_interval_minutes: int(0, 1440) })
const retryConfig = optional({
  max_retries: int(0, 20),
  retry_interval_minutes: fc.oneof(int(0, 1440), fc.array(int(0, 1440), { maxLength: 4 })),
  retry_on: optional({
    busy: retrySwitch,
    no_answer: retrySwitch,
    failed: retrySwitch,
    short_duration: optional({ enabled: fc.boolean(), threshold_seconds: int(1, 600) }),
    provider_error: errorPolicy,
    internal_error: errorPolicy,
  }),
})
const metadata = fc.dictionary(fc.stringMatching(/^[a-z_]{1,8}$/), fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null)), {
  maxKeys: 3,
})
const webhook = fc.record(
  { url: fc.constantFrom('https://hooks.example.com/sarvam', 'https://example.org/a/b?c=d'), metadata: fc.option(metadata, { nil: null }) },
  { requiredKeys: ['url'] },
)
const pacing = {
  attempts_per_second: fc.oneof(int(1, 500), fc.double({ min: 0.1, max: 500, noNaN: true })),
  connection_configs: fc.array(connection, { minLength: 1, maxLength: 3 }),
  retry_config: retryConfig,
  webhook_config: webhook,
}
const appConfig = fc.oneof(
  fc.record({ app_id: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), app_version: int(1, 20), app_type: fc.constantFrom('agent', 'workflow'), ...pacing }, { requiredKeys: ['app_id'] }),
  fc.record({ experiment_id: fc.stringMatching(/^exp-[a-z0-9]{1,10}$/), app_type: fc.constantFrom('agent', 'workflow'), ...pacing }, { requiredKeys: ['experiment_id'] }),
)
const clockTime = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`
const allowedSchedule = fc
  .tuple(fc.uniqueArray(int(0, 1439), { minLength: 2, maxLength: 2 }), fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1 }), fc.constantFrom(...ZONES))
  .map(([minutes, days, timezone]) => {
    const [from, to] = [...minutes].sort((a, b) => a - b)
    return { allowed_start_time: clockTime(from!), allowed_end_time: clockTime(to!), allowed_days: days, timezone }
  })
const description = fc.option(fc.string({ maxLength: 150 }), { nil: null })

/** A valid file spec whose start lies in the create window of the frozen clock (T0 + 120 s … T0 + 7 d). */
const campaign = fc
  .record({
    name: fc.stringMatching(/^[A-Za-z0-9 _-]{1,50}$/),
    start: instant(T0_MS + 120 * SECOND, T0_MS + 7 * DAY),
    runFor: int(120 * SECOND, 30 * DAY),
    endOffset: fc.constantFrom(...OFFSETS),
    rest: fc.record(
      { description, app_config: appConfig, allowed_schedule: allowedSchedule, webhook_config: webhook, paused: fc.boolean() },
      { requiredKeys: ['app_config', 'allowed_schedule'] },
    ),
  })
  .map(({ name, start, runFor, endOffset, rest }): Spec => ({
    name,
    start_timestamp: start.text,
    end_timestamp: writeInstant(start.ms + runFor, endOffset, (start.ms + runFor) % SECOND !== 0),
    ...rest,
  }))

/** Changes to the updatable fields (end_timestamp as a new run length from the unchanged start). */
const edits = optional({
  description: fc.string({ maxLength: 150 }),
  app_config: appConfig,
  runFor: int(120 * SECOND, 30 * DAY),
  allowed_schedule: allowedSchedule,
  webhook_config: webhook,
  paused: fc.boolean(),
})

function edited(spec: Spec, changes: Record<string, unknown>): Spec {
  const { runFor, ...fields } = changes
  const next: Spec = { ...spec, ...fields }
  if (typeof runFor === 'number') next.end_timestamp = new Date(Date.parse(String(spec.start_timestamp)) + runFor).toISOString()
  return next
}

let run = 0

function providerFor(workspaceId: string): Provider {
  const config: ProviderConfig<SarvamSettings> = { name: 'sarvam', type: 'sarvam', url: 'sandbox', settings: { orgId: 'prop', workspaceId } }
  const baseUrl = harness.sandbox().url
  return createSarvamProvider({ config, client: newClient(baseUrl), baseUrl, target: 'sandbox (test)', retry: retryWithCreates({ backoffMs: 1 }) })
}

async function expectNoDifferences(provider: Provider, specs: Spec[]): Promise<Map<string, Awaited<ReturnType<Provider['readLive']>>[number]>> {
  const live = await provider.readLive(['SarvamCampaign'], specs.map((spec) => declared(spec)))
  const byName = new Map(live.map((resource) => [resource.name, resource]))
  expect(live).toHaveLength(specs.length)
  for (const spec of specs) {
    const resource = byName.get(String(spec.name))
    expect(resource, String(spec.name)).toBeDefined()
    expect(diffSpecs(resource!.spec, normaliseDesiredCampaign(spec))).toEqual([])
  }
  return byName
}

describe('Sarvam normalisation round trip (property)', () => {
  it('create → read shows no difference; update → read shows none either', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(campaign, edits), { minLength: 1, maxLength: 3, selector: ([spec]) => spec.name }),
        async (cases) => {
          run += 1
          const provider = providerFor(`run-${run}`)
          try {
            const specs = cases.map(([spec]) => spec)
            for (const spec of specs) await provider.apply(createChange(spec), context())
            const live = await expectNoDifferences(provider, specs)

            const nextSpecs = cases.map(([spec, changes]) => edited(spec, changes))
            for (const next of nextSpecs) {
              const current = live.get(String(next.name))!
              const change = updateChange(current, next)
              expect(provider.policy('SarvamCampaign').assess({ live: current, fields: change.fields, options: NO_PAUSE })).toBeUndefined()
              if (change.fields.length > 0) await provider.apply(change, context(current))
            }
            await expectNoDifferences(provider, nextSpecs)
          } finally {
            await provider.close()
          }
        },
      ),
      { numRuns: 100 },
    )
  }, 120_000)
})
