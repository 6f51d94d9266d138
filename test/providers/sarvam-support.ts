import { retryWithCreates } from './create-retry.js'
/**
 * Shared pieces of the Sarvam provider tests: a sandbox with a frozen clock, providers bound to a
 * workspace of it, builders of specs, resources and changes, and the sandbox's control API.
 */
import { afterAll, beforeAll, expect } from 'vitest'

import type { ProviderConfig } from '../../src/model/provider.js'
import type { SarvamSettings } from '../../src/providers/sarvam/platform.js'
import { HttpClient } from '../../src/http/client.js'
import type { FieldChange, ResourceChange, Spec } from '../../src/model/plan.js'
import type { Resource } from '../../src/model/resource.js'
import { resourceAddress } from '../../src/platforms.js'
import { diffSpecs } from '../../src/model/spec-diff.js'
import type { LiveResource, PlanOptions, Provider } from '../../src/model/provider.js'
import { createSarvamProvider, normaliseDesiredCampaign } from '../../src/providers/sarvam/index.js'
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js'

export const T0 = '2026-11-23T00:00:00Z'
export const T0_MS = Date.parse(T0)
export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR
export const PROVIDER = 'sarvam'
export const ORG = 'acme'

export const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z')

/** A valid file spec: starts an hour after T0, runs a week. */
export function campaignSpec(name: string, overrides: Spec = {}): Spec {
  return {
    name,
    description: 'Hindi reminders for EMIs due this week',
    app_config: {
      app_id: 'payment-reminder-agent',
      app_version: 2,
      attempts_per_second: 2,
      connection_configs: [{ connection_id: 'conn-exotel-001', phone_numbers: ['+918047168000', '+918047168001'] }],
      retry_config: { max_retries: 3, retry_interval_minutes: 30 },
    },
    start_timestamp: iso(T0_MS + HOUR),
    end_timestamp: iso(T0_MS + HOUR + 7 * DAY),
    allowed_schedule: {
      allowed_start_time: '10:00',
      allowed_end_time: '19:00',
      allowed_days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
      timezone: 'Asia/Kolkata',
    },
    ...overrides,
  }
}

export function declared(spec: Spec, provider = PROVIDER): Resource {
  const name = String(spec.name)
  return {
    kind: 'SarvamCampaign',
    provider,
    name,
    address: resourceAddress(provider, 'SarvamCampaign', name),
    spec,
    source: { file: 'campaigns/test.yaml', documentIndex: 0, line: 1, column: 1 },
  }
}

export function createChange(spec: Spec): ResourceChange {
  const resource = declared(spec)
  return {
    address: resource.address,
    kind: 'SarvamCampaign',
    provider: PROVIDER,
    name: resource.name,
    action: 'create',
    fields: [],
    desired: spec,
    dependsOn: [],
  }
}

/** The update a planner would make: the diff of the normalised live and desired specs. */
export function updateChange(live: LiveResource, spec: Spec): ResourceChange {
  const fields: FieldChange[] = diffSpecs(live.spec, normaliseDesiredCampaign(spec))
  return {
    address: live.address,
    kind: 'SarvamCampaign',
    provider: PROVIDER,
    name: live.name,
    action: 'update',
    fields,
    desired: spec,
    liveId: live.id,
    live: live.spec,
    ...(live.status ? { liveStatus: live.status } : {}),
    dependsOn: [],
  }
}

export const NO_PAUSE: PlanOptions = { pauseToUpdate: false }
export const PAUSE_TO_UPDATE: PlanOptions = { pauseToUpdate: true }

export function context(live?: LiveResource, options: PlanOptions = NO_PAUSE) {
  return { ...(live ? { live } : {}), resolveId: () => undefined, options }
}

export interface SarvamHarness {
  sandbox(): RunningSandbox
  /** A provider for one workspace of the sandbox (closed after the file's tests). */
  provider(workspaceId: string): Provider
  /** A plain client of the sandbox, for setting up state behind the provider's back. */
  client(): HttpClient
  workspacePath(workspaceId: string): string
  counters(): Promise<Counters>
  resetCounters(): Promise<void>
  scheduleFault(fault: { fault: string; route: string; times?: number }): Promise<void>
  clearFaults(): Promise<void>
}

export interface Counters {
  total: number
  routes: Record<string, { count: number; outcomes: Record<string, number> }>
}

/** One sandbox (clock frozen at T0) for a test file, with providers built on demand. */
export function useSarvamHarness(): SarvamHarness {
  let running: RunningSandbox | undefined
  let plain: HttpClient | undefined
  const providers: Provider[] = []
  beforeAll(async () => {
    running = await startSandbox({ now: T0 })
    plain = newClient(running.url)
  })
  afterAll(async () => {
    await Promise.all(providers.map((p) => p.close()))
    await plain?.close()
    await running?.close()
  })
  const sandbox = (): RunningSandbox => {
    if (!running) throw new Error('the sandbox is not running')
    return running
  }
  const control = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${sandbox().url}/__sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    expect(response.status, await response.clone().text()).toBe(200)
    return response.json()
  }
  return {
    sandbox,
    provider(workspaceId) {
      const config: ProviderConfig<SarvamSettings> = { name: PROVIDER, type: 'sarvam', url: 'sandbox', settings: { orgId: ORG, workspaceId } }
      const baseUrl = sandbox().url
      const provider = createSarvamProvider({ config, client: newClient(baseUrl), baseUrl, target: 'sandbox (test)', retry: retryWithCreates({ backoffMs: 1 }) })
      providers.push(provider)
      return provider
    },
    client: () => plain!,
    workspacePath: (workspaceId) => `/api/scheduling/v1/orgs/${ORG}/workspaces/${workspaceId}`,
    counters: async () => (await control('GET', '/counters')) as Counters,
    resetCounters: async () => void (await control('DELETE', '/counters')),
    scheduleFault: async (fault) => void (await control('POST', '/faults/schedule', fault)),
    clearFaults: async () => void (await control('DELETE', '/faults')),
  }
}

export function newClient(baseUrl: string): HttpClient {
  return new HttpClient({ baseUrl, headers: { 'X-API-Key': 'ci@example.com' }, retry: { baseDelayMs: 1, maxDelayMs: 5 } })
}

/** Route keys of the sandbox's counters. */
export const ROUTE = {
  list: 'GET /api/scheduling/v1/orgs/{org_id}/workspaces/{workspace_id}/campaigns',
  detail: 'GET /api/scheduling/v1/orgs/{org_id}/workspaces/{workspace_id}/campaigns/{campaign_id}',
  create: 'POST /api/scheduling/v1/orgs/{org_id}/workspaces/{workspace_id}/campaigns',
  patch: 'PATCH /api/scheduling/v1/orgs/{org_id}/workspaces/{workspace_id}/campaigns/{campaign_id}',
  status: 'PUT /api/scheduling/v1/orgs/{org_id}/workspaces/{workspace_id}/campaigns/{campaign_id}/status',
} as const

export const countOf = (counters: Counters, route: string): number => counters.routes[route]?.count ?? 0

/** Requests that could change something (everything but GET). */
export const writesOf = (counters: Counters): number =>
  Object.entries(counters.routes)
    .filter(([key]) => !key.startsWith('GET '))
    .reduce((sum, [, counter]) => sum + counter.count, 0)

/** The live campaign of this name, read as a plan reads it (declared, so with its detail). */
export async function readCampaign(provider: Provider, spec: Spec): Promise<LiveResource> {
  const live = await provider.readLive(['SarvamCampaign'], [declared(spec)])
  const found = live.filter((resource) => resource.name === spec.name)
  expect(found, `live campaigns named ${String(spec.name)}`).toHaveLength(1)
  return found[0]!
}

/** Every scenario ends here: read live again, and the file's spec shows no difference. */
export async function expectConverged(provider: Provider, spec: Spec): Promise<LiveResource> {
  const live = await readCampaign(provider, spec)
  expect(diffSpecs(live.spec, normaliseDesiredCampaign(spec))).toEqual([])
  return live
}
