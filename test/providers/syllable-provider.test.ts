import { retryWithCreates } from './create-retry.js'
import { randomBytes } from 'node:crypto'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { HttpClient, type HttpMethod, type HttpResponse, type RequestOptions } from '../../src/http/client.js'
import { NetworkError, ValidationError } from '../../src/http/errors.js'
import type { KindName } from '../../src/model/kinds.js'
import type { ResourceChange, Spec } from '../../src/model/plan.js'
import type { Resource } from '../../src/model/resource.js'
import { resourceAddress } from '../../src/platforms.js'
import { SecretValue } from '../../src/model/secret.js'
import { diffSpecs, specAsAdditions } from '../../src/model/spec-diff.js'
import type { ApplyContext, ChangeOutcome, LiveResource, Provider } from '../../src/model/provider.js'
import type { CreateRetryPolicy } from '../../src/providers/safe-create.js'
import { createSyllableProvider } from '../../src/providers/syllable/index.js'
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js'
import type { StoredBatch, StoredCampaign } from '../../src/sandbox/syllable/state.js'

const CAMPAIGNS = '/api/v1/outbound/campaigns'
const BATCHES = '/api/v1/outbound/batches'
const ACTOR = 'ci-actor@example.com'

/** The one HTTP client, noting each request it is asked to make (bodies included) and when it ends. */
class RecordingClient extends HttpClient {
  readonly sent: { method: HttpMethod; path: string; query?: RequestOptions['query']; json?: unknown }[] = []
  readonly events: string[] = []

  override async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    const index = this.sent.push({ method, path, query: options.query, json: options.json }) - 1
    this.events.push(`start ${index}`)
    try {
      return await super.request<T>(method, path, options)
    } finally {
      this.events.push(`end ${index}`)
    }
  }
}

interface Harness {
  sandbox: RunningSandbox
  client: RecordingClient
  provider: Provider
}

let h: Harness

beforeEach(async () => {
  const sandbox = await startSandbox({ now: '2026-11-23T00:00:00Z' })
  const client = new RecordingClient({ baseUrl: sandbox.url, headers: { 'Syllable-API-Key': 'ci@example.com' }, retry: { baseDelayMs: 1, maxDelayMs: 5 } })
  const provider = createSyllableProvider(
    { config: { name: 'syllable', type: 'syllable', url: sandbox.url, settings: { actor: ACTOR } }, client, baseUrl: sandbox.url, target: 'sandbox', retry: retryWithCreates({ backoffMs: 1, settleDelaysMs: [1, 1, 1] }) },
  )
  h = { sandbox, client, provider }
})

afterEach(async () => {
  await h.provider.close()
  await h.sandbox.close()
})

// ---------------------------------------------------------------------------------------------
// Builders and a miniature planner/executor (the real ones live elsewhere; this one follows §5).

function resource(kind: KindName, spec: Spec): Resource {
  const name = String(kind === 'SyllableCampaign' ? spec.campaign_name : spec.batch_id)
  const address = resourceAddress('syllable', kind, name)
  return { kind, provider: 'syllable', name, address, spec, source: { file: 'test.yaml', documentIndex: 0, line: 1, column: 1 } }
}

const campaign = (name: string, extra: Spec = {}) =>
  resource('SyllableCampaign', { campaign_name: name, campaign_variables: { region: 'us-east' }, caller_id: '+19995551234', active_days: ['mon', 'tue'], ...extra })

const batch = (batchId: string, campaignName: string, extra: Spec = {}) => resource('SyllableBatch', { batch_id: batchId, campaign: campaignName, ...extra })

const base64Secret = () => randomBytes(32).toString('base64')

/** A declared webhook (POST on COMPLETED unless told otherwise). */
const hook = (url: string, extra: Spec = {}): Spec => ({ url, request_method: 'POST', trigger_statuses: ['COMPLETED'], ...extra })
const secret = (value = base64Secret()) => new SecretValue('SYLLABLE_HMAC_SECRET', value)

interface Planned {
  change: ResourceChange
  live: LiveResource | undefined
}

function changeFor(provider: Provider, desired: Resource, live: LiveResource | undefined): ResourceChange {
  const normalised = provider.normaliseDesired(desired)
  const fields = live ? diffSpecs(live.spec, normalised) : specAsAdditions(normalised)
  const change: ResourceChange = {
    address: desired.address,
    kind: desired.kind,
    provider: desired.provider,
    name: desired.name,
    action: !live ? 'create' : fields.length > 0 ? 'update' : 'noop',
    fields,
    desired: desired.spec,
    dependsOn: provider.policy(desired.kind).dependsOn(desired),
  }
  if (live) Object.assign(change, { liveId: live.id, live: live.spec })
  return change
}

async function plan(resources: Resource[]): Promise<{ planned: Planned[]; live: LiveResource[] }> {
  const live = await h.provider.readLive(h.provider.kinds, resources)
  const byAddress = new Map(live.map((item) => [item.address, item]))
  return { live, planned: resources.map((r) => ({ change: changeFor(h.provider, r, byAddress.get(r.address)), live: byAddress.get(r.address) })) }
}

/** Plans and applies, campaigns before batches, resolving ids from the live state and this run. */
async function applyAll(resources: Resource[]): Promise<Map<string, ChangeOutcome>> {
  const { planned, live } = await plan(resources)
  const ids = new Map<string, string | number>(live.map((item) => [item.address, item.id]))
  const outcomes = new Map<string, ChangeOutcome>()
  const ordered = [...planned].sort((a, b) => Number(a.change.kind === 'SyllableBatch') - Number(b.change.kind === 'SyllableBatch'))
  for (const { change, live: current } of ordered) {
    if (change.action === 'noop') continue
    const outcome = await h.provider.apply(change, contextFor(current, ids))
    ids.set(change.address, outcome.id)
    outcomes.set(change.address, outcome)
  }
  return outcomes
}

function contextFor(live: LiveResource | undefined, ids: ReadonlyMap<string, string | number> = new Map()): ApplyContext {
  const context: ApplyContext = { resolveId: (address) => ids.get(address), options: { pauseToUpdate: false } }
  if (live) context.live = live
  return context
}

/** The end of every scenario: read live again → nothing differs, and planning wrote nothing. */
async function expectConverged(resources: Resource[]): Promise<LiveResource[]> {
  const writes = h.sandbox.counters.writes()
  const { planned, live } = await plan(resources)
  for (const { change } of planned) {
    expect({ address: change.address, action: change.action, fields: change.fields }).toEqual({ address: change.address, action: 'noop', fields: [] })
  }
  expect(h.sandbox.counters.writes()).toBe(writes)
  return live
}

const routeCount = (key: string) => h.sandbox.counters.snapshot().routes[key]?.count ?? 0

async function scheduleFault(fault: string, route: string, times = 1): Promise<void> {
  const response = await fetch(`${h.sandbox.url}/__sandbox/faults/schedule`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fault, route, times }),
  })
  expect(response.status).toBe(200)
}

async function countersOverHttp(): Promise<{ total: number; routes: Record<string, { count: number }> }> {
  return (await (await fetch(`${h.sandbox.url}/__sandbox/counters`)).json()) as { total: number; routes: Record<string, { count: number }> }
}

/** A direct API call (someone using the console or another tool behind cac's back). */
async function api(method: string, path: string, json?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(new URL(path, h.sandbox.url), {
    method,
    headers: { 'Syllable-API-Key': 'console@example.com', ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    body: json === undefined ? undefined : JSON.stringify(json),
  })
  const body = (await response.json()) as Record<string, unknown>
  expect(response.status, JSON.stringify(body)).toBe(200)
  return body
}

const stored = () => h.sandbox.store.state.syllable
const campaignsNamed = (name: string) => Object.values(stored().campaigns).filter((c) => c.campaign_name === name)

/** A second provider on the harness's client, with its own create policy (waits, sleep). */
function providerWith(createRetry: Partial<CreateRetryPolicy>): Provider {
  return createSyllableProvider({ config: { name: 'syllable', type: 'syllable', url: h.sandbox.url, settings: { actor: ACTOR } }, client: h.client, baseUrl: h.sandbox.url, target: 'sandbox', retry: retryWithCreates(createRetry) })
}

// ---------------------------------------------------------------------------------------------

describe('readLive', () => {
  /** Writes many campaigns and batches straight into the emulator's state (no HTTP). */
  function seed(campaignCount: number, batchCount: number): void {
    const state = stored()
    for (let i = 0; i < campaignCount; i += 1) {
      const id = state.next_campaign_id++
      const record: StoredCampaign = {
        id,
        campaign_name: `Seeded ${String(i).padStart(4, '0')}`,
        description: null,
        mode: null,
        sms_session_ttl: null,
        label: null,
        labels: null,
        campaign_variables: {},
        daily_start_time: '09:00:00',
        daily_end_time: null,
        source: null,
        caller_id: '+19995551234',
        hourly_rate: 1 + (i % 100),
        max_daily_calls: null,
        retry_count: 0,
        retry_interval: null,
        active_days: ['mon'],
        voicemail_detection: null,
        allowed_line_types: null,
        include_unknown_line_types: true,
        target_filters: null,
        agent_id: null,
        created_at: '2026-11-01T00:00:00.000Z',
        updated_at: '2026-11-01T00:00:00.000Z',
        last_updated_by: 'seed@example.com',
        webhooks: [],
      }
      state.campaigns[String(id)] = record
    }
    for (let i = 0; i < batchCount; i += 1) {
      const record: StoredBatch = {
        batch_id: `seeded-${i}`,
        campaign_id: 1 + (i % campaignCount),
        sequence: state.next_batch_sequence++,
        expires_on: null,
        paused: null,
        call_rate: null,
        auto_call_rate: false,
        created_at: '2026-11-01T00:00:00.000Z',
        last_updated_at: '2026-11-01T00:00:00.000Z',
        last_updated_by: 'seed@example.com',
        deleted_at: null,
        deleted_reason: null,
        requests: [],
      }
      state.batches[record.batch_id] = record
    }
  }

  it('reads every page of both lists, the pages after the first concurrently, with list requests only', async () => {
    seed(2345, 1203)
    const live = await h.provider.readLive(['SyllableCampaign', 'SyllableBatch'], [])

    expect(live.filter((item) => item.kind === 'SyllableCampaign')).toHaveLength(2345)
    expect(live.filter((item) => item.kind === 'SyllableBatch')).toHaveLength(1203)
    expect(new Set(live.map((item) => item.address)).size).toBe(2345 + 1203)

    const counters = await countersOverHttp()
    expect(counters.routes).toEqual({
      [`GET ${CAMPAIGNS}`]: expect.objectContaining({ count: 3 }),
      [`GET ${BATCHES}`]: expect.objectContaining({ count: 2 }),
    })
    expect(counters.total).toBe(5)

    const pagesOf = (path: string) => h.client.sent.filter((r) => r.path === path).map((r) => [r.query?.page, r.query?.limit])
    expect(pagesOf(CAMPAIGNS)).toEqual([[0, 1000], [1, 1000], [2, 1000]])
    expect(pagesOf(BATCHES)).toEqual([[0, 1000], [1, 1000]])
    // Campaign pages 1 and 2 were both under way before either had an answer.
    const [second, third] = h.client.sent.flatMap((r, i) => (r.path === CAMPAIGNS && r.query?.page !== 0 ? [i] : []))
    const { events } = h.client
    expect(events.indexOf(`start ${third}`)).toBeLessThan(events.indexOf(`end ${second}`))
  })

  it('maps to LiveResources: address, id, normalised spec, who and when', async () => {
    seed(3, 2)
    const live = await h.provider.readLive(['SyllableCampaign', 'SyllableBatch'], [])
    const first = live.find((item) => item.name === 'Seeded 0000')!
    expect(first).toMatchObject({
      kind: 'SyllableCampaign',
      provider: 'syllable',
      address: 'syllable/campaign/Seeded 0000',
      id: 1,
      updatedAt: '2026-11-01T00:00:00.000Z',
      updatedBy: 'seed@example.com',
    })
    expect(first.spec).toMatchObject({ daily_start_time: '09:00:00', hourly_rate: 1, webhooks: [] })
    expect(first.spec).not.toHaveProperty('id')
    const seededBatch = live.find((item) => item.name === 'seeded-1')!
    expect(seededBatch).toMatchObject({ kind: 'SyllableBatch', address: 'syllable/batch/seeded-1', id: 'seeded-1', status: 'PENDING' })
    expect(seededBatch.spec).toEqual({ batch_id: 'seeded-1', campaign: 'Seeded 0001', expires_on: null, paused: false, call_rate: null, auto_call_rate: false })
  })

  it('reads campaigns for batches (to name their campaign) but returns only the kinds asked for', async () => {
    seed(2, 2)
    const live = await h.provider.readLive(['SyllableBatch'], [])
    expect(live.map((item) => item.kind)).toEqual(['SyllableBatch', 'SyllableBatch'])
    expect(live[0]!.spec.campaign).toBe('Seeded 0000')
    expect(routeCount(`GET ${CAMPAIGNS}`)).toBe(1)
    expect(await h.provider.readLive(['SarvamCampaign'], [])).toEqual([])
  })
})

describe('readLive of a name that is there twice', () => {
  const copy = (name: string) => api('POST', CAMPAIGNS, { campaign_name: name, campaign_variables: {}, caller_id: null, active_days: [] })

  it('reads the name again after a moment: a racing run removes its second copy, and one is left to plan against', async () => {
    const first = await copy('Racing')
    const second = await copy('Racing')
    const sleeps: number[] = []
    const provider = providerWith({
      settleDelaysMs: [5, 10, 20],
      sleep: async (ms) => {
        sleeps.push(ms)
        if (sleeps.length === 2) await api('DELETE', `${CAMPAIGNS}/${String(second.id)}`)
      },
    })
    const live = await provider.readLive(['SyllableCampaign'], [])
    expect(live.map((item) => item.id)).toEqual([first.id])
    expect(sleeps).toEqual([5, 10])
  })

  it('copies that stay are all reported (the planner says it cannot tell which one the file means)', async () => {
    await copy('Twins')
    await copy('Twins')
    await copy('Single')
    const provider = providerWith({ settleDelaysMs: [1, 1], sleep: async () => undefined })
    const live = await provider.readLive(['SyllableCampaign'], [])
    expect(live.map((item) => item.name).sort()).toEqual(['Single', 'Twins', 'Twins'])
  })
})

describe('refresh', () => {
  it('re-reads campaigns by id, or by exact name for a planned create, and batches by batch_id', async () => {
    await applyAll([campaign('Alpha'), campaign('Alpha Beta'), campaign('alpha'), batch('b-1', 'Alpha')])
    const alphaId = campaignsNamed('Alpha')[0]!.id
    const gone = await api('POST', CAMPAIGNS, { campaign_name: 'Gone', campaign_variables: {}, caller_id: null, active_days: [] })
    await api('DELETE', `${CAMPAIGNS}/${String(gone.id)}`)

    const refreshed = await h.provider.refresh([
      { kind: 'SyllableCampaign', name: 'Alpha', id: alphaId },
      { kind: 'SyllableCampaign', name: 'Alpha Beta' },
      { kind: 'SyllableCampaign', name: 'Nobody' },
      { kind: 'SyllableCampaign', name: 'Gone', id: gone.id as number },
      { kind: 'SyllableBatch', name: 'b-1', id: 'b-1' },
      { kind: 'SyllableBatch', name: 'b-missing', id: 'b-missing' },
    ])
    expect([...refreshed.keys()]).toEqual([
      'syllable/campaign/Alpha',
      'syllable/campaign/Alpha Beta',
      'syllable/campaign/Nobody',
      'syllable/campaign/Gone',
      'syllable/batch/b-1',
      'syllable/batch/b-missing',
    ])
    expect(refreshed.get('syllable/campaign/Alpha')).toMatchObject({ id: alphaId, name: 'Alpha' })
    expect(refreshed.get('syllable/campaign/Alpha Beta')).toMatchObject({ name: 'Alpha Beta', id: campaignsNamed('Alpha Beta')[0]!.id })
    expect(refreshed.get('syllable/campaign/Nobody')).toBeUndefined()
    expect(refreshed.get('syllable/campaign/Gone')).toBeUndefined()
    expect(refreshed.get('syllable/batch/b-1')).toMatchObject({ id: 'b-1', spec: { campaign: 'Alpha' } })
    expect(refreshed.get('syllable/batch/b-missing')).toBeUndefined()
  })

  it('gives the same normalised spec as readLive (so plan fingerprints compare)', async () => {
    const resources = [
      campaign('Same', { daily_start_time: '9:00', webhooks: [hook('https://h.example.com', { auth_values: { hmac_secret: secret() } })] }),
      batch('b-same', 'Same', { expires_on: '2026-12-31T23:59:59+01:00' }),
    ]
    await applyAll(resources)
    const live = await h.provider.readLive(h.provider.kinds, resources)
    h.sandbox.counters.reset()
    const refreshed = await h.provider.refresh(live.map((item) => ({ kind: item.kind, name: item.name, id: item.id })))
    for (const item of live) expect(refreshed.get(item.address)?.spec).toEqual(item.spec)
    // With ids at hand, no list is read: one GET per resource (plus the batch's campaign, for its name).
    expect(Object.keys(h.sandbox.counters.snapshot().routes).sort()).toEqual([`GET ${BATCHES}/{batch_id}`, `GET ${CAMPAIGNS}/{campaign_id}`])
  })
})

describe('campaign create', () => {
  it('creates from the file and the next plan is empty', async () => {
    const resources = [campaign('Plain', { hourly_rate: 25, daily_start_time: '9:00', daily_end_time: '17:00' })]
    const outcomes = await applyAll(resources)
    expect(outcomes.get('syllable/campaign/Plain')).toEqual({ id: campaignsNamed('Plain')[0]!.id })
    await expectConverged(resources)
  })

  it('adopts the campaign when the answer to its POST is lost (drop): exactly one exists', async () => {
    await scheduleFault('drop', `POST ${CAMPAIGNS}`)
    const resources = [campaign('Dropped', { hourly_rate: 30, webhooks: [hook('https://h.example.com', { auth_values: { hmac_secret: secret() } })] })]
    const outcome = (await applyAll(resources)).get('syllable/campaign/Dropped')!
    expect(campaignsNamed('Dropped')).toHaveLength(1)
    expect(outcome).toEqual({ id: campaignsNamed('Dropped')[0]!.id, adopted: true, steps: ['adopted after an interrupted create'] })
    expect(routeCount(`POST ${CAMPAIGNS}`)).toBe(1)
    await expectConverged(resources)
  })

  it('posts again when the connection was reset before the server acted: exactly one exists', async () => {
    await scheduleFault('reset', `POST ${CAMPAIGNS}`)
    const resources = [campaign('Reset')]
    const outcome = (await applyAll(resources)).get('syllable/campaign/Reset')!
    expect(campaignsNamed('Reset')).toHaveLength(1)
    expect(outcome).toEqual({ id: campaignsNamed('Reset')[0]!.id })
    expect(routeCount(`POST ${CAMPAIGNS}`)).toBe(2)
    await expectConverged(resources)
  })

  it('looks before posting again after a 500', async () => {
    await scheduleFault('error500', `POST ${CAMPAIGNS}`)
    const resources = [campaign('Five Hundred')]
    await applyAll(resources)
    expect(campaignsNamed('Five Hundred')).toHaveLength(1)
    expect(h.client.sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${CAMPAIGNS}`, // plan
      `GET ${BATCHES}`,
      `POST ${CAMPAIGNS}`, // 500
      `GET ${CAMPAIGNS}`, // look for it by name
      `POST ${CAMPAIGNS}`,
      `GET ${CAMPAIGNS}`, // is this the first campaign of its name?
    ])
    await expectConverged(resources)
  })

  it('adopts a same-named campaign found after an ambiguous failure, then updates it to the file', async () => {
    const resources = [campaign('Raced', { hourly_rate: 40, description: 'from the file' })]
    const { planned } = await plan(resources)
    // Between plan and apply, an earlier run's create lands with other values.
    await api('POST', CAMPAIGNS, { campaign_name: 'Raced', campaign_variables: {}, caller_id: null, active_days: ['sun'], hourly_rate: 3 })
    await scheduleFault('error503', `POST ${CAMPAIGNS}`)
    const outcome = await h.provider.apply(planned[0]!.change, contextFor(undefined))
    expect(outcome).toEqual({ id: campaignsNamed('Raced')[0]!.id, adopted: true, steps: ['adopted after an interrupted create', 'updated'] })
    expect(campaignsNamed('Raced')).toHaveLength(1)
    await expectConverged(resources)
  })

  it('after a lost answer, a later copy of the name is removed and the first adopted: exactly one is left', async () => {
    const first = await api('POST', CAMPAIGNS, { campaign_name: 'Twice', campaign_variables: {}, caller_id: null, active_days: [] })
    await scheduleFault('drop', `POST ${CAMPAIGNS}`)
    const resources = [campaign('Twice')]
    const outcome = await h.provider.apply(changeFor(h.provider, resources[0]!, undefined), contextFor(undefined))
    expect(campaignsNamed('Twice').map((c) => c.id)).toEqual([first.id])
    expect(outcome).toEqual({ id: first.id, adopted: true, steps: ['adopted after an interrupted create', `removed a second copy (id ${Number(first.id) + 1})`, 'updated'] })
    await expectConverged(resources)
  })

  it('a later copy that cannot be removed (a batch is attached to it) is reported, never guessed at', async () => {
    await api('POST', CAMPAIGNS, { campaign_name: 'Thrice', campaign_variables: {}, caller_id: null, active_days: [] })
    const second = await api('POST', CAMPAIGNS, { campaign_name: 'Thrice', campaign_variables: {}, caller_id: null, active_days: [] })
    await api('POST', BATCHES, { batch_id: 'on-second', campaign_id: second.id })
    await scheduleFault('drop', `POST ${CAMPAIGNS}`)
    const change = changeFor(h.provider, campaign('Thrice'), undefined)
    await expect(h.provider.apply(change, contextFor(undefined))).rejects.toThrow(
      new RegExp(`campaigns of that name now exist; cac keeps id \\d+, the first, and could not remove the others \\(id ${String(second.id)}: .*409`),
    )
    expect(campaignsNamed('Thrice').map((c) => c.id)).toContain(second.id)
  })

  it('a create whose gateway timed out while another run created the same campaign: the late copy is removed too', async () => {
    h.sandbox.faults.update({ late_commit_ms: 30 })
    await scheduleFault('late_commit', `POST ${CAMPAIGNS}`)
    const provider = providerWith({
      backoffMs: 1,
      settleDelaysMs: [100, 100],
      // The other run's create lands during this run's first wait, before this run's own late commit.
      sleep: async (ms) => {
        if (campaignsNamed('Crossed').length === 0) await api('POST', CAMPAIGNS, { campaign_name: 'Crossed', campaign_variables: {}, caller_id: null, active_days: [] })
        await new Promise((resolve) => setTimeout(resolve, ms))
      },
    })
    const resources = [campaign('Crossed')]
    const outcome = await provider.apply(changeFor(provider, resources[0]!, undefined), contextFor(undefined))
    const left = campaignsNamed('Crossed')
    expect(left).toHaveLength(1)
    expect(outcome).toMatchObject({ id: left[0]!.id, adopted: true })
    expect(outcome.steps).toContain(`removed a second copy (id ${left[0]!.id + 1})`)
    expect(await provider.settle!()).toEqual([])
    await expectConverged(resources)
  })

  it('a late copy that lands after this run adopted another run\'s campaign is removed by the watch, and reported as a note', async () => {
    const other = await api('POST', CAMPAIGNS, { campaign_name: 'Overtaken', campaign_variables: {}, caller_id: null, active_days: [] })
    h.sandbox.faults.update({ late_commit_ms: 150 })
    await scheduleFault('late_commit', `POST ${CAMPAIGNS}`)
    const provider = providerWith({
      backoffMs: 1,
      settleDelaysMs: [20, 400],
      // The other run's copy is there before this run's first look; this run's own lands 150 ms after its 504.
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    })
    const resources = [campaign('Overtaken')]
    const outcome = await provider.apply(changeFor(provider, resources[0]!, undefined), contextFor(undefined))
    expect(outcome).toEqual({ id: other.id, adopted: true, steps: ['adopted after an interrupted create', 'updated'] })
    // The batches of this run can go on meanwhile: the watch runs in the background until settle.
    expect(await provider.settle!()).toEqual([
      { address: 'syllable/campaign/Overtaken', message: `removed a second copy (id ${Number(other.id) + 1}) that the platform committed late`, warning: false },
    ])
    expect(campaignsNamed('Overtaken').map((c) => c.id)).toEqual([other.id])
    await expectConverged(resources)
  })

  it('a campaign another run created first: this run removes its own second copy and adopts the first', async () => {
    const resources = [campaign('Raced twice', { hourly_rate: 12 })]
    const { planned } = await plan(resources)
    // Another run (another CI job, another machine) creates the same campaign after this run planned.
    const first = await api('POST', CAMPAIGNS, { campaign_name: 'Raced twice', campaign_variables: {}, caller_id: null, active_days: ['sun'] })
    const outcome = await h.provider.apply(planned[0]!.change, contextFor(undefined))
    expect(campaignsNamed('Raced twice').map((c) => c.id)).toEqual([first.id])
    expect(outcome).toEqual({
      id: first.id,
      adopted: true,
      steps: ['adopted the first copy, made by another run at the same time', `removed this run's second copy (id ${Number(first.id) + 1})`, 'updated'],
    })
    await expectConverged(resources)
  })

  it('any number of runs creating the same campaigns and batches at once end with exactly one of each', async () => {
    const resources = [campaign('Stampede A'), campaign('Stampede B', { hourly_rate: 7 }), batch('stampede-a1', 'Stampede A'), batch('stampede-b1', 'Stampede B')]
    const { planned } = await plan(resources)
    const runs = 6
    const providers = Array.from({ length: runs }, () =>
      createSyllableProvider(
        { config: { name: 'syllable', type: 'syllable', url: h.sandbox.url, settings: { actor: ACTOR } }, client: new HttpClient({ baseUrl: h.sandbox.url, headers: { 'Syllable-API-Key': 'ci@example.com' } }), baseUrl: h.sandbox.url, target: 'sandbox', retry: retryWithCreates({ backoffMs: 1, settleDelaysMs: [1, 1, 1] }) },
      ),
    )
    h.sandbox.faults.update({ latency_ms: 5 })
    try {
      const results = await Promise.all(
        providers.map(async (provider) => {
          const ids = new Map<string, string | number>()
          for (const kind of ['SyllableCampaign', 'SyllableBatch']) {
            await Promise.all(
              planned
                .filter(({ change }) => change.kind === kind)
                .map(async ({ change }) => ids.set(change.address, (await provider.apply(change, contextFor(undefined, ids))).id)),
            )
          }
          return ids
        }),
      )
      const campaigns = Object.values(stored().campaigns)
      expect(campaigns.map((c) => c.campaign_name).sort()).toEqual(['Stampede A', 'Stampede B'])
      const batches = Object.values(stored().batches).filter((b) => b.deleted_at === null)
      expect(batches.map((b) => [b.batch_id, stored().campaigns[String(b.campaign_id)]?.campaign_name]).sort()).toEqual([
        ['stampede-a1', 'Stampede A'],
        ['stampede-b1', 'Stampede B'],
      ])
      // The runs did race: second copies were made, and removed by the runs that made them.
      expect(routeCount(`POST ${CAMPAIGNS}`)).toBe(2 * runs)
      expect(routeCount(`DELETE ${CAMPAIGNS}/{campaign_id}`)).toBe(2 * runs - 2)
      // Every run ends up naming the same campaign.
      for (const ids of results) expect(ids.get('syllable/campaign/Stampede A')).toBe(campaignsNamed('Stampede A')[0]!.id)
    } finally {
      h.sandbox.faults.update({ latency_ms: 0 })
      await Promise.all(providers.map((provider) => provider.close()))
    }
    await expectConverged(resources)
  })

  it('a create the platform commits after its gateway gave up (504) is found by waiting, not made twice', async () => {
    h.sandbox.faults.update({ late_commit_ms: 30 })
    await scheduleFault('late_commit', `POST ${CAMPAIGNS}`)
    const provider = providerWith({ backoffMs: 1, settleDelaysMs: [20, 40, 80] })
    const resources = [campaign('Late')]
    const outcome = await provider.apply(changeFor(provider, resources[0]!, undefined), contextFor(undefined))
    expect(campaignsNamed('Late')).toHaveLength(1)
    expect(outcome).toEqual({ id: campaignsNamed('Late')[0]!.id, adopted: true, steps: ['adopted after an interrupted create'] })
    expect(routeCount(`POST ${CAMPAIGNS}`)).toBe(1)
    expect(await provider.settle!()).toEqual([])
    await expectConverged(resources)
  })

  it('gives up after three lost attempts, having created nothing', async () => {
    await scheduleFault('reset', `POST ${CAMPAIGNS}`, 3)
    const change = changeFor(h.provider, campaign('Unlucky'), undefined)
    await expect(h.provider.apply(change, contextFor(undefined))).rejects.toBeInstanceOf(NetworkError)
    expect(routeCount(`POST ${CAMPAIGNS}`)).toBe(3)
    expect(campaignsNamed('Unlucky')).toHaveLength(0)
  })

  it('does not retry a refusal, and its error never carries the secret', async () => {
    const bad = 'bm90IGVub3VnaA==' // valid Base64, but far too short for the platform
    const change = changeFor(
      h.provider,
      campaign('Refused', { webhooks: [hook('https://h.example.com', { auth_values: { hmac_secret: secret(bad) } })] }),
      undefined,
    )
    const error = await h.provider.apply(change, contextFor(undefined)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as Error).message).not.toContain(bad)
    expect(JSON.stringify((error as ValidationError).detail)).not.toContain(bad)
    expect(routeCount(`POST ${CAMPAIGNS}`)).toBe(1)
    expect(routeCount(`GET ${CAMPAIGNS}`)).toBe(0)
  })
})

describe('campaign update (full replacement)', () => {
  it('keeps every field the file does not declare, as set directly through the API', async () => {
    const v1 = [campaign('Keep', { hourly_rate: 10 })]
    await applyAll(v1)
    const id = campaignsNamed('Keep')[0]!.id
    await api('PUT', `${CAMPAIGNS}/${id}`, {
      campaign_name: 'Keep',
      campaign_variables: { region: 'us-east' },
      caller_id: '+19995551234',
      active_days: ['mon', 'tue'],
      hourly_rate: 10,
      description: 'set in the console',
      label: 'legacy',
      retry_count: 2,
      retry_interval: '30m',
      voicemail_detection: { mode: 'v2', voicemail_detection_v2_pre_speech_timeout: 4 },
      target_filters: { match: 'any', rules: [{ field: 'line_type', op: 'in', values: ['mobile'] }] },
      allowed_line_types: ['voip', 'mobile'],
      include_unknown_line_types: false,
      webhooks: [hook('https://console.example.com', { auth_values: { hmac_secret: base64Secret() } })],
    })
    const before = structuredClone(stored().campaigns[String(id)]!)

    const v2 = [campaign('Keep', { hourly_rate: 99 })]
    const { planned } = await plan(v2)
    expect(planned[0]!.change.fields).toEqual([{ path: ['hourly_rate'], kind: 'change', before: 10, after: 99 }])
    await h.provider.apply(planned[0]!.change, contextFor(planned[0]!.live))

    const after = stored().campaigns[String(id)]!
    expect(after.hourly_rate).toBe(99)
    expect({ ...after, hourly_rate: 10, updated_at: before.updated_at, last_updated_by: before.last_updated_by }).toEqual(before)
    expect(after.webhooks).toEqual(before.webhooks) // same id, secret still stored
    await expectConverged(v2)
  })

  it('keeps webhook ids and stored secrets without resending them; adds, changes and removes by url', async () => {
    const v1 = [
      campaign('Hooks', {
        webhooks: [
          hook('https://a.example.com', { auth_values: { hmac_secret: secret() } }),
          hook('https://b.example.com'),
        ],
      }),
    ]
    await applyAll(v1)
    await expectConverged(v1)
    const id = campaignsNamed('Hooks')[0]!.id
    const [a, b] = stored().campaigns[String(id)]!.webhooks
    expect(a!.auth_value_keys).toEqual(['hmac_secret'])

    // The variable behind A's secret is not even set: a kept secret must not need its value.
    const v2 = [
      campaign('Hooks', {
        webhooks: [
          hook('https://b.example.com', { request_method: 'PUT', trigger_statuses: ['BUSY'], auth_values: { hmac_secret: secret() } }),
          hook('https://a.example.com', { trigger_statuses: ['COMPLETED', 'NO-ANSWER'], auth_values: { hmac_secret: new SecretValue('UNSET', undefined) } }),
          hook('https://c.example.com', { trigger_statuses: ['FAILED'] }),
        ],
      }),
    ]
    await applyAll(v2)
    const put = h.client.sent.filter((r) => r.method === 'PUT').at(-1)!.json as { webhooks: Record<string, unknown>[] }
    expect(put.webhooks[1]).toEqual({ id: a!.id, ...hook('https://a.example.com', { trigger_statuses: ['COMPLETED', 'NO-ANSWER'] }), auth_values: { hmac_secret: null } })
    const hooks = stored().campaigns[String(id)]!.webhooks
    expect(hooks.map((w) => [w.url, w.id, w.auth_value_keys])).toEqual([
      ['https://b.example.com', b!.id, ['hmac_secret']],
      ['https://a.example.com', a!.id, ['hmac_secret']],
      ['https://c.example.com', expect.any(Number), []],
    ])
    await expectConverged(v2)

    // Dropping a secret from the file removes it on the platform; dropping a webhook deletes it.
    const v3 = [campaign('Hooks', { webhooks: [hook('https://a.example.com')] })]
    await applyAll(v3)
    expect(stored().campaigns[String(id)]!.webhooks).toEqual([{ id: a!.id, ...hook('https://a.example.com'), auth_value_keys: [] }])
    await expectConverged(v3)
  })

  it('moves a legacy label into labels when the file declares labels', async () => {
    await api('POST', CAMPAIGNS, { ...campaign('Labelled').spec, label: 'legacy' })
    const withLegacy = [campaign('Labelled', { labels: ['legacy'] })]
    expect((await plan(withLegacy)).planned[0]!.change.action).toBe('noop')
    const cleared = [campaign('Labelled', { labels: [] })]
    await applyAll(cleared)
    expect(campaignsNamed('Labelled')[0]).toMatchObject({ label: null, labels: [] })
    await expectConverged(cleared)
  })

  it('reads the campaign itself when the executor passes no live resource', async () => {
    await applyAll([campaign('No Context', { hourly_rate: 5 })])
    const id = campaignsNamed('No Context')[0]!.id
    const { planned } = await plan([campaign('No Context', { hourly_rate: 6 })])
    expect(await h.provider.apply(planned[0]!.change, contextFor(undefined))).toEqual({ id })
    await expectConverged([campaign('No Context', { hourly_rate: 6 })])
  })
})

describe('batches', () => {
  it('creates a batch under a campaign created earlier in the same run, with its new id', async () => {
    const resources = [campaign('Parent'), batch('2026-11-renewals', 'Parent', { expires_on: '2027-01-01T00:59:59+01:00', paused: false, call_rate: 20 })]
    const outcomes = await applyAll(resources)
    const parentId = outcomes.get('syllable/campaign/Parent')!.id
    expect(outcomes.get('syllable/batch/2026-11-renewals')).toEqual({ id: '2026-11-renewals' })
    expect(stored().batches['2026-11-renewals']).toMatchObject({ campaign_id: parentId, expires_on: '2026-12-31T23:59:59.000Z', paused: false, call_rate: 20 })
    await expectConverged(resources)
  })

  it('fails clearly, sending nothing, when the campaign has no id', async () => {
    const change = changeFor(h.provider, batch('orphan', 'Nowhere'), undefined)
    await expect(h.provider.apply(change, contextFor(undefined))).rejects.toThrow(/campaign "Nowhere" has no id/)
    expect(h.sandbox.counters.writes()).toBe(0)
  })

  it('updates only the setters that changed, as the seed documents the PUT', async () => {
    const v1 = [campaign('Rates'), batch('b-rates', 'Rates', { paused: false, call_rate: 20, expires_on: '2026-12-31T00:00:00Z' })]
    await applyAll(v1)
    const v2 = [campaign('Rates'), batch('b-rates', 'Rates', { paused: false, call_rate: 30, expires_on: '2026-12-31T01:00:00+01:00' })]
    const { planned } = await plan(v2)
    const batchChange = planned.find((p) => p.change.kind === 'SyllableBatch')!
    expect(batchChange.change.fields).toEqual([{ path: ['call_rate'], kind: 'change', before: 20, after: 30 }])

    // Someone holds the batch between plan and apply: a partial PUT must not undo that.
    await api('PUT', `${BATCHES}/b-rates`, { paused: true })
    await h.provider.apply(batchChange.change, contextFor(batchChange.live, new Map([['syllable/campaign/Rates', campaignsNamed('Rates')[0]!.id]])))
    const put = h.client.sent.filter((r) => r.method === 'PUT').at(-1)!
    expect(put).toMatchObject({
      path: `${BATCHES}/b-rates`,
      json: { batch_id: 'b-rates', campaign_id: campaignsNamed('Rates')[0]!.id, last_updated_by: ACTOR, call_rate: 30 },
    })
    expect(Object.keys(put.json as object).sort()).toEqual(['batch_id', 'call_rate', 'campaign_id', 'last_updated_by'])
    expect(stored().batches['b-rates']).toMatchObject({ call_rate: 30, paused: true, last_updated_by: ACTOR })

    // Applying the file again takes the hold back off; then nothing is left to do.
    await applyAll(v2)
    expect(stored().batches['b-rates']!.paused).toBe(false)
    await expectConverged(v2)
  })

  it('adopts a batch whose create answer was lost (drop), and posts again after a reset', async () => {
    await applyAll([campaign('Lossy')])
    await scheduleFault('drop', `POST ${BATCHES}`)
    const dropped = [campaign('Lossy'), batch('b-drop', 'Lossy', { call_rate: 7 })]
    expect((await applyAll(dropped)).get('syllable/batch/b-drop')).toEqual({ id: 'b-drop', adopted: true, steps: ['adopted after an interrupted create'] })
    await expectConverged(dropped)

    await scheduleFault('reset', `POST ${BATCHES}`)
    const reset = [...dropped, batch('b-reset', 'Lossy', { paused: true })]
    expect((await applyAll(reset)).get('syllable/batch/b-reset')).toEqual({ id: 'b-reset' })
    expect(routeCount(`POST ${BATCHES}`)).toBe(3)
    expect(Object.keys(stored().batches).sort()).toEqual(['b-drop', 'b-reset'])
    await expectConverged(reset)
  })

  it('adopts a batch_id that someone else created first under the same campaign, and brings it to the file', async () => {
    await applyAll([campaign('Taken')])
    const id = campaignsNamed('Taken')[0]!.id
    await api('POST', BATCHES, { batch_id: 'b-taken', campaign_id: id, call_rate: 3 })
    const resources = [batch('b-taken', 'Taken', { call_rate: 9 })]
    const change = changeFor(h.provider, resources[0]!, undefined)
    const outcome = await h.provider.apply(change, contextFor(undefined, new Map([['syllable/campaign/Taken', id]])))
    expect(outcome).toEqual({ id: 'b-taken', adopted: true, steps: ['adopted: it was created elsewhere first', 'updated'] })
    expect(stored().batches['b-taken']).toMatchObject({ campaign_id: id, call_rate: 9 })
    await expectConverged([campaign('Taken'), ...resources])
  })

  it('refuses a batch_id that someone else took under another campaign', async () => {
    await applyAll([campaign('Mine'), campaign('Theirs')])
    const theirs = campaignsNamed('Theirs')[0]!.id
    await api('POST', BATCHES, { batch_id: 'b-theirs', campaign_id: theirs })
    const change = changeFor(h.provider, batch('b-theirs', 'Mine'), undefined)
    await expect(
      h.provider.apply(change, contextFor(undefined, new Map([['syllable/campaign/Mine', campaignsNamed('Mine')[0]!.id]]))),
    ).rejects.toThrow(/already exists under campaign id .*give this one a new batch_id/)
  })

  it('a batch that names another campaign is a plan error with the reason', async () => {
    await applyAll([campaign('One'), campaign('Two'), batch('b-move', 'One')])
    const { planned } = await plan([batch('b-move', 'Two')])
    const { change, live } = planned[0]!
    expect(change.fields).toEqual([{ path: ['campaign'], kind: 'change', before: 'One', after: 'Two' }])
    expect(h.provider.policy('SyllableBatch').assess({ live: live!, fields: change.fields, options: { pauseToUpdate: false } })).toEqual({
      action: 'error',
      reason: "a batch's campaign cannot change after creation; give the batch a new batch_id",
    })
  })
})
