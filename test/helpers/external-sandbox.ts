import { expect } from 'vitest'

import { actorForKey } from '../../src/sandbox/actor.js'
import { startSandbox } from '../../src/sandbox/index.js'
import { SARVAM_START } from './definitions.js'
import type { CounterSnapshot } from '../../src/sandbox/counters.js'
import { startServingCli } from './run-cli.js'
import { sandboxClient, type RequestOptions, type SandboxReply } from './sandbox.js'

/**
 * The frozen clock of every external sandbox. Sarvam creates need a start between now+120 s and
 * now+7 days, so fixtures that start on 2026-11-25…2026-11-30 stay valid whatever the real date.
 */
export const SANDBOX_NOW = '2026-11-24T00:00:00Z'

/**
 * The API key cac is given for an external sandbox. Like a real key it is a secret (cac masks it
 * in every output), so it is not the identity the sandbox records for it: that is SANDBOX_ACTOR.
 */
export const SANDBOX_API_KEY = 'sk-sandbox-cac-ci-0001'
export const SANDBOX_ACTOR = actorForKey(SANDBOX_API_KEY)

/** The Syllable outbound API and the Sarvam workspace the default cac.yaml points at. */
export const SYLLABLE_CAMPAIGNS = '/api/v1/outbound/campaigns'
export const SYLLABLE_BATCHES = '/api/v1/outbound/batches'
export const SARVAM_CAMPAIGNS = '/api/scheduling/v1/orgs/acme/workspaces/outbound/campaigns'

/** Route templates as the counters name them. */
export const ROUTES = {
  syllableCampaigns: 'GET /api/v1/outbound/campaigns',
  syllableCampaign: 'GET /api/v1/outbound/campaigns/{campaign_id}',
  syllableBatches: 'GET /api/v1/outbound/batches',
  syllableBatch: 'GET /api/v1/outbound/batches/{batch_id}',
  createSyllableCampaign: 'POST /api/v1/outbound/campaigns',
  putSyllableCampaign: 'PUT /api/v1/outbound/campaigns/{campaign_id}',
  createSyllableBatch: 'POST /api/v1/outbound/batches',
  putSyllableBatch: 'PUT /api/v1/outbound/batches/{batch_id}',
  sarvamCampaigns: 'GET /api/scheduling/v1/orgs/{org_id}/workspaces/{workspace_id}/campaigns',
  sarvamCampaign: 'GET /api/scheduling/v1/orgs/{org_id}/workspaces/{workspace_id}/campaigns/{campaign_id}',
  createSarvamCampaign: 'POST /api/scheduling/v1/orgs/{org_id}/workspaces/{workspace_id}/campaigns',
  patchSarvamCampaign: 'PATCH /api/scheduling/v1/orgs/{org_id}/workspaces/{workspace_id}/campaigns/{campaign_id}',
  sarvamStatus: 'PUT /api/scheduling/v1/orgs/{org_id}/workspaces/{workspace_id}/campaigns/{campaign_id}/status',
} as const

export type SandboxRequest = (method: string, path: string, options?: RequestOptions) => Promise<SandboxReply>

export interface FaultSettings {
  rate_429?: number
  rate_500?: number
  rate_503?: number
  rate_reset?: number
  rate_drop?: number
  /** A 504 at once, the write committed `late_commit_ms` later (a gateway that gave up first). */
  rate_late_commit?: number
  late_commit_ms?: number
  /** Random faults only for these methods / routes containing these strings. */
  methods?: string[]
  routes?: string[]
  seed?: number
  retry_after_seconds?: number
  latency_ms?: number
}

export type ScheduledFaultKind = 'drop' | 'reset' | 'error500' | 'error503' | 'throttle' | 'late_commit'

/** A live campaign as the Syllable API returns it (the fields these tests read). */
export interface SyllableCampaignReply {
  id: number
  campaign_name: string
  description: string | null
  hourly_rate: number
  webhooks: { id: number; url: string; request_method: string; trigger_statuses: string[]; auth_value_keys: string[] }[]
  [field: string]: unknown
}

export interface SarvamCampaignReply {
  campaign_id: string
  name: string
  status: string
  description: string | null
  [field: string]: unknown
}

/** The parts of `GET /__sandbox/state` these tests read. */
export interface SandboxState {
  syllable: {
    campaigns: Record<string, { id: number; campaign_name: string; description: string | null; hourly_rate: number }>
    batches: Record<string, { batch_id: string; campaign_id: number; call_rate: number | null; deleted_at: string | null }>
  }
}

/** `cac sandbox serve` in its own process, and what the tests do to it from the outside. */
export interface ExternalSandbox {
  url: string
  /** Requests to the sandbox (platform routes with a test key, or the control API). */
  request: SandboxRequest
  /** Variables that point both providers of the default cac.yaml at this sandbox, with api keys. */
  env: Record<string, string>
  counters(): Promise<CounterSnapshot>
  resetCounters(): Promise<void>
  /** Requests per route that are not GETs (what may have written), since the last reset. */
  writeRoutes(): Promise<Record<string, number>>
  /** Replaces the fault settings (`PUT /__sandbox/faults`). */
  setFaults(settings: FaultSettings): Promise<void>
  /** No faults, nothing scheduled. */
  clearFaults(): Promise<void>
  /** A fault for the next `times` requests on a route (`POST /__sandbox/faults/schedule`). */
  scheduleFault(fault: ScheduledFaultKind, route: string, times: number): Promise<void>
  advanceClock(seconds: number): Promise<void>
  state(): Promise<SandboxState>
  stop(): Promise<void>
}

/**
 * Starts `cac sandbox serve --port 0 --memory --now SANDBOX_NOW` (state in memory, whatever the
 * project's `sandbox:` section says) and stops it when the test ends (pass the test context's
 * onTestFinished).
 */
export async function startExternalSandbox(
  cwd: string,
  onTestFinished: (cleanup: () => Promise<void>) => void,
): Promise<ExternalSandbox> {
  const server = await startServingCli(['sandbox', 'serve', '--port', '0', '--memory', '--now', SANDBOX_NOW], { cwd })
  return drivenSandbox(server.url, async () => void (await server.stop()), onTestFinished)
}

/**
 * The same sandbox (same server, same control API over HTTP, same frozen clock) in this process,
 * for the in-process tier: no process to spawn.
 */
export async function startInProcessSandbox(onTestFinished: (cleanup: () => Promise<void>) => void): Promise<ExternalSandbox> {
  const running = await startSandbox({ now: SANDBOX_NOW })
  return drivenSandbox(running.url, () => running.close(), onTestFinished)
}

function drivenSandbox(url: string, close: () => Promise<void>, onTestFinished: (cleanup: () => Promise<void>) => void): ExternalSandbox {
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    await close()
  }
  onTestFinished(stop)
  const request: SandboxRequest = sandboxClient(() => url)
  const control = async (method: string, path: string, json?: unknown): Promise<unknown> => {
    const reply = await request(method, `/__sandbox${path}`, json === undefined ? {} : { json })
    expect(reply.status, `${method} /__sandbox${path}: ${reply.text}`).toBe(200)
    return reply.body
  }
  const counters = async () => (await control('GET', '/counters')) as CounterSnapshot
  return {
    url,
    request,
    env: {
      SYLLABLE_API_URL: url,
      SARVAM_API_URL: url,
      SYLLABLE_API_KEY: SANDBOX_API_KEY,
      SARVAM_API_KEY: SANDBOX_API_KEY,
    },
    counters,
    resetCounters: async () => void (await control('DELETE', '/counters')),
    writeRoutes: async () => {
      const { routes } = await counters()
      return Object.fromEntries(
        Object.entries(routes)
          .filter(([route]) => !route.startsWith('GET '))
          .map(([route, counter]) => [route, counter.count]),
      )
    },
    setFaults: async (settings) => void (await control('PUT', '/faults', settings)),
    clearFaults: async () => void (await control('DELETE', '/faults')),
    scheduleFault: async (fault, route, times) => void (await control('POST', '/faults/schedule', { fault, route, times })),
    advanceClock: async (seconds) => void (await control('PUT', '/clock', { advance_seconds: seconds })),
    state: async () => (await control('GET', '/state')) as SandboxState,
    stop,
  }
}

/** Request counts per route, from a counters snapshot. */
export function routeCounts(snapshot: CounterSnapshot): Record<string, number> {
  return Object.fromEntries(Object.entries(snapshot.routes).map(([route, counter]) => [route, counter.count]))
}

function expectStatus(reply: SandboxReply, status: number, what: string): void {
  expect(reply.status, `${what}: ${reply.text}`).toBe(status)
}

/** A Syllable campaign by name, as the API shows it (with its webhooks). */
export async function syllableCampaign(request: SandboxRequest, name: string): Promise<SyllableCampaignReply> {
  const list = await request('GET', SYLLABLE_CAMPAIGNS, { query: { limit: 1000 } })
  expectStatus(list, 200, 'list Syllable campaigns')
  const found = (list.body as { items: SyllableCampaignReply[] }).items.filter((c) => c.campaign_name === name)
  expect(found, `exactly one Syllable campaign named ${name}`).toHaveLength(1)
  const detail = await request('GET', `${SYLLABLE_CAMPAIGNS}/${found[0]!.id}`)
  expectStatus(detail, 200, `read Syllable campaign ${name}`)
  return detail.body as SyllableCampaignReply
}

/**
 * Edits a Syllable campaign the way a console user would: the full-replacement PUT with every
 * current value, `changes` on top, webhooks kept by id and their stored secret kept (null).
 */
export async function editSyllableCampaign(request: SandboxRequest, name: string, changes: Record<string, unknown>): Promise<SyllableCampaignReply> {
  const current = await syllableCampaign(request, name)
  const { id, agent_id: _agent, created_at: _created, updated_at: _updated, last_updated_by: _by, webhooks, ...settings } = current
  const body = {
    ...settings,
    webhooks: webhooks.map((webhook) => ({
      id: webhook.id,
      url: webhook.url,
      request_method: webhook.request_method,
      trigger_statuses: webhook.trigger_statuses,
      auth_values: Object.fromEntries(webhook.auth_value_keys.map((key) => [key, null])),
    })),
    ...changes,
  }
  const reply = await request('PUT', `${SYLLABLE_CAMPAIGNS}/${id}`, { json: body })
  expectStatus(reply, 200, `PUT Syllable campaign ${name}`)
  return reply.body as SyllableCampaignReply
}

/** Creates a Syllable campaign directly through the API (behind the files' back). */
export async function createSyllableCampaign(request: SandboxRequest, name: string, extra: Record<string, unknown> = {}): Promise<SyllableCampaignReply> {
  const reply = await request('POST', SYLLABLE_CAMPAIGNS, {
    json: { campaign_name: name, campaign_variables: {}, caller_id: '+19995550999', active_days: ['mon'], ...extra },
  })
  expectStatus(reply, 200, `create Syllable campaign ${name}`)
  return reply.body as SyllableCampaignReply
}

/** Creates a Sarvam campaign directly through the API (behind the files' back); `extra` adds to or replaces the required fields. */
export async function createSarvamCampaign(request: SandboxRequest, name: string, extra: Record<string, unknown> = {}): Promise<SarvamCampaignReply> {
  const reply = await request('POST', SARVAM_CAMPAIGNS, {
    json: {
      name,
      app_config: { app_id: 'reminder-agent', app_version: 1, attempts_per_second: 1, connection_configs: [{ connection_id: 'conn-1', phone_numbers: ['+918047168000'] }] },
      start_timestamp: SARVAM_START,
      end_timestamp: '2026-12-10T00:00:00Z',
      allowed_schedule: { allowed_start_time: '10:00', allowed_end_time: '19:00', allowed_days: ['Monday'], timezone: 'Asia/Kolkata' },
      ...extra,
    },
  })
  expect(reply.status, `create Sarvam campaign ${name}: ${reply.text}`).toBeLessThan(300)
  return reply.body as SarvamCampaignReply
}

/** A Sarvam campaign's detail by name. */
export async function sarvamCampaign(request: SandboxRequest, name: string): Promise<SarvamCampaignReply> {
  const list = await request('GET', SARVAM_CAMPAIGNS, { query: { limit: 100 } })
  expectStatus(list, 200, 'list Sarvam campaigns')
  const found = (list.body as { items: SarvamCampaignReply[] }).items.filter((c) => c.name === name)
  expect(found, `exactly one Sarvam campaign named ${name}`).toHaveLength(1)
  const detail = await request('GET', `${SARVAM_CAMPAIGNS}/${found[0]!.campaign_id}`)
  expectStatus(detail, 200, `read Sarvam campaign ${name}`)
  return detail.body as SarvamCampaignReply
}

/** PATCHes a Sarvam campaign directly through the API. */
export async function editSarvamCampaign(request: SandboxRequest, name: string, changes: Record<string, unknown>): Promise<SarvamCampaignReply> {
  const { campaign_id } = await sarvamCampaign(request, name)
  const reply = await request('PATCH', `${SARVAM_CAMPAIGNS}/${campaign_id}`, { json: changes })
  expectStatus(reply, 200, `PATCH Sarvam campaign ${name}`)
  return reply.body as SarvamCampaignReply
}
