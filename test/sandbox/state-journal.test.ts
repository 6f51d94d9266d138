import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { SandboxStore, startSandbox, StateFileError, type RunningSandbox } from '../../src/sandbox/index.js'
import { sandboxClient } from '../helpers/sandbox.js'
import { BASE, campaignBody as sarvamBody, HOUR, iso } from './sarvam-support.js'

const CAMPAIGNS = '/api/v1/outbound/campaigns'
const BATCHES = '/api/v1/outbound/batches'
const NOW = '2026-11-23T00:00:00.000Z'
const syllableBody = (name: string) => ({ campaign_name: name, campaign_variables: { region: 'eu' }, caller_id: '+19995551234', active_days: ['mon'] })

let dir: string
let statePath: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cac-journal-'))
  statePath = join(dir, 'sandbox.json')
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function withSandbox<T>(use: (request: ReturnType<typeof sandboxClient>, running: RunningSandbox) => Promise<T>): Promise<T> {
  const running = await startSandbox({ statePath, now: NOW })
  try {
    return await use(sandboxClient(() => running.url), running)
  } finally {
    await running.close()
  }
}

const expectOk = (reply: { status: number; text: string }) => expect(reply.status, reply.text).toBe(200)
const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>
const snapshotOf = (generation: number | undefined, syllable: Record<string, unknown>) =>
  JSON.stringify({ format_version: 1, ...(generation === undefined ? {} : { generation }), syllable })

describe('sandbox state journal', () => {
  it('journals every kind of change, and a reader replays it while the server still runs', async () => {
    await withSandbox(async (request, running) => {
      const first = await request('POST', CAMPAIGNS, { json: syllableBody('First') })
      expectOk(first)
      const id = (first.body as { id: number }).id
      const doomed = await request('POST', CAMPAIGNS, { json: syllableBody('Doomed') })
      expectOk(await request('PUT', `${CAMPAIGNS}/${id}`, { json: { ...syllableBody('First, renamed'), webhooks: [{ trigger_statuses: ['COMPLETED'], url: 'https://hooks.example.com/x', request_method: 'POST' }] } }))
      expectOk(await request('DELETE', `${CAMPAIGNS}/${(doomed.body as { id: number }).id}`))
      expectOk(await request('POST', BATCHES, { json: { batch_id: 'kept', campaign_id: id } }))
      expectOk(await request('POST', BATCHES, { json: { batch_id: 'gone', campaign_id: id } }))
      expectOk(await request('PUT', `${BATCHES}/kept`, { json: { paused: true } }))
      for (const ref of ['r1', 'r2', 'r3']) expectOk(await request('POST', `${BATCHES}/kept/requests`, { json: { reference_id: ref, target: `+1999555000${ref.slice(1)}`, request_variables: {} } }))
      expectOk(await request('POST', `${BATCHES}/kept/remove-requests`, { json: ['r2'] }))
      expectOk(await request('DELETE', `${BATCHES}/gone`, { form: { delete_reason: 'test' } }))
      const now = Date.parse(NOW)
      const sarvam = await request('POST', `${BASE}/campaigns`, { json: sarvamBody(now, { name: 'hi' }) })
      expectOk(sarvam)
      const campaignId = (sarvam.body as { campaign_id: string }).campaign_id
      expectOk(await request('PATCH', `${BASE}/campaigns/${campaignId}`, { json: { description: 'changed' } }))
      expectOk(await request('PUT', `${BASE}/campaigns/${campaignId}/status`, { json: { action: 'pause' } }))

      // The snapshot was written by the first commit only: the rest is in the journal.
      expect(Object.keys((await readJson(statePath)).syllable as object)).toContain('campaigns')
      expect((await stat(`${statePath}.journal`)).size).toBeGreaterThan(0)
      const reader = await SandboxStore.open(statePath, { readOnly: true })
      expect(reader.state).toEqual(running.store.state)
      expect(reader.state.syllable.batches.kept!.requests.map((r) => r.reference_id)).toEqual(['r1', 'r3'])
    })
    // Closing folds the journal into the snapshot and removes it.
    expect(await readdir(dir)).toEqual(['sandbox.json'])
    const reopened = await SandboxStore.open(statePath, { readOnly: true })
    expect(reopened.state.syllable.campaigns['1']!.campaign_name).toBe('First, renamed')
    expect(reopened.state.syllable.campaigns['2']).toBeUndefined()
  })

  it('ignores a torn last line, then starts a fresh snapshot on the next write', async () => {
    await writeFile(statePath, snapshotOf(4, { next_campaign_id: 1, next_webhook_id: 1, next_batch_sequence: 1, campaigns: {}, batches: {} }))
    const set = { set: ['syllable', 'next_campaign_id'], value: 7 }
    await writeFile(`${statePath}.journal`, `{"generation":4}\n${JSON.stringify(set)}\n{"set":["syllable","next_camp`)
    const reader = await SandboxStore.open(statePath, { readOnly: true })
    expect(reader.state.syllable.next_campaign_id).toBe(7)

    await withSandbox(async (request) => {
      const created = await request('POST', CAMPAIGNS, { json: syllableBody('After the crash') })
      expect(created.body).toMatchObject({ id: 7 })
    })
    expect(await readdir(dir)).toEqual(['sandbox.json'])
    expect(await readJson(statePath)).toMatchObject({ generation: 5, syllable: { next_campaign_id: 8 } })
  })

  it('refuses a broken line that is not the last, naming the journal and the line', async () => {
    await writeFile(statePath, snapshotOf(2, {}))
    await writeFile(`${statePath}.journal`, '{"generation":2}\nnot json\n{"delete":["syllable","x"]}\n')
    await expect(SandboxStore.open(statePath, { readOnly: true })).rejects.toThrow(StateFileError)
    await expect(SandboxStore.open(statePath, { readOnly: true })).rejects.toThrow(`${statePath}.journal line 2 is not valid JSON`)
  })

  it('ignores a journal of an older snapshot (a crash between writing a snapshot and starting its journal)', async () => {
    await writeFile(statePath, snapshotOf(5, { next_campaign_id: 3 }))
    await writeFile(`${statePath}.journal`, '{"generation":4}\n{"set":["syllable","next_campaign_id"],"value":99}\n')
    expect((await SandboxStore.open(statePath, { readOnly: true })).state.syllable.next_campaign_id).toBe(3)
  })

  it('loads a state file written before journals (no generation) and keeps serving it', async () => {
    const old = { format_version: 1, syllable: { next_campaign_id: 2, next_webhook_id: 1, next_batch_sequence: 1, campaigns: {}, batches: {} }, sarvam: { next_campaign_number: 1, workspaces: {} } }
    await withSandbox(async (request) => {
      expectOk(await request('POST', CAMPAIGNS, { json: syllableBody('Seed') }))
    })
    const written = await readJson(statePath)
    await writeFile(statePath, JSON.stringify({ ...old, syllable: { ...old.syllable, campaigns: (written.syllable as { campaigns: object }).campaigns } }))
    await withSandbox(async (request) => {
      expect((await request('GET', CAMPAIGNS)).body).toMatchObject({ total_count: 1 })
      expect((await request('POST', CAMPAIGNS, { json: syllableBody('Next') })).body).toMatchObject({ id: 2 })
    })
    expect(await readJson(statePath)).toMatchObject({ format_version: 1, generation: 1 })
  })

  it('compacts the journal once it outgrows the snapshot, so it stays bounded', async () => {
    await withSandbox(async (request, running) => {
      let largest = 0
      for (let i = 0; i < 800; i++) {
        expectOk(await request('POST', CAMPAIGNS, { json: { ...syllableBody(`Campaign ${i}`), description: 'x'.repeat(2000) } }))
        if (i % 25 === 0) largest = Math.max(largest, (await stat(`${statePath}.journal`)).size)
      }
      const snapshot = await readJson(statePath)
      expect(snapshot.generation as number).toBeGreaterThan(1)
      // The journal never holds much more than the larger of 1 MiB and twice the snapshot (one line of slack).
      const bound = Math.max(1024 * 1024, 2 * (await stat(statePath)).size) + 2048
      expect(largest).toBeLessThanOrEqual(bound)
      expect((await stat(`${statePath}.journal`)).size).toBeLessThanOrEqual(bound)
      const reader = await SandboxStore.open(statePath, { readOnly: true })
      expect(Object.keys(reader.state.syllable.campaigns)).toHaveLength(800)
      expect(reader.state).toEqual(running.store.state)
    })
  }, 30_000)
})

describe('list pages kept in order', () => {
  it('Syllable campaigns and batches page correctly after creates, replacements and deletes', async () => {
    await withSandbox(async (request) => {
      for (let i = 1; i <= 60; i++) expectOk(await request('POST', CAMPAIGNS, { json: syllableBody(`C${i}`) }))
      for (const id of [5, 17, 60]) expectOk(await request('DELETE', `${CAMPAIGNS}/${id}`))
      for (const id of [1, 30]) expectOk(await request('PUT', `${CAMPAIGNS}/${id}`, { json: syllableBody(`C${id} renamed`) }))
      expectOk(await request('POST', CAMPAIGNS, { json: syllableBody('C61') }))
      const expectedIds = [...Array.from({ length: 61 }, (_, i) => i + 1)].filter((id) => ![5, 17, 60].includes(id))

      const pagesOf = async (path: string, query: Record<string, string | number>, key: string) => {
        const seen: unknown[] = []
        for (let page = 0; page < 8; page++) {
          const reply = await request('GET', path, { query: { ...query, page, limit: 10 } })
          seen.push(...(reply.body as { items: Record<string, unknown>[] }).items.map((item) => item[key]))
        }
        return seen
      }
      expect(await pagesOf(CAMPAIGNS, {}, 'id')).toEqual(expectedIds)
      expect(await pagesOf(CAMPAIGNS, { order_by_direction: 'desc' }, 'id')).toEqual([...expectedIds].reverse())
      expect(await pagesOf(CAMPAIGNS, {}, 'campaign_name')).toContain('C30 renamed')

      for (let i = 0; i < 30; i++) expectOk(await request('POST', BATCHES, { json: { batch_id: `b${String(29 - i).padStart(2, '0')}`, campaign_id: 2 } }))
      for (const gone of ['b03', 'b20']) expectOk(await request('DELETE', `${BATCHES}/${gone}`, { form: { delete_reason: 'test' } }))
      expectOk(await request('PUT', `${BATCHES}/b10`, { json: { paused: true } }))
      const expectedBatches = Array.from({ length: 30 }, (_, i) => `b${String(29 - i).padStart(2, '0')}`).filter((id) => id !== 'b03' && id !== 'b20')
      expect(await pagesOf(BATCHES, {}, 'batch_id')).toEqual(expectedBatches)
      expect((await request('GET', BATCHES, { query: { page: 1, limit: 10 } })).body).toMatchObject({ total_count: 28, total_pages: 3 })
    })
  })

  it('Sarvam campaigns list by created_at in both directions, also when the clock went back', async () => {
    await withSandbox(async (request) => {
      const now = Date.parse(NOW)
      const created: { id: string; at: number; n: number }[] = []
      for (let i = 0; i < 25; i++) {
        // Move the clock back and forth: creation order and created_at order differ.
        const at = now + ((i * 7) % 5) * HOUR
        expectOk(await request('PUT', '/__sandbox/clock', { json: { now: iso(at) } }))
        const reply = await request('POST', `${BASE}/campaigns`, { json: sarvamBody(at, { name: `s${i}` }) })
        expectOk(reply)
        created.push({ id: (reply.body as { campaign_id: string }).campaign_id, at, n: i })
      }
      const ascending = [...created].sort((a, b) => a.at - b.at || a.n - b.n).map((c) => c.id)
      const read = async (order: string) => {
        const ids: string[] = []
        for (let offset = 0; offset < 25; offset += 10) {
          const reply = await request('GET', `${BASE}/campaigns`, { query: { offset, limit: 10, sort_by: 'created_at', sort_order: order } })
          ids.push(...(reply.body as { items: { campaign_id: string }[] }).items.map((item) => item.campaign_id))
        }
        return ids
      }
      expect(await read('asc')).toEqual(ascending)
      expect(await read('desc')).toEqual([...ascending].reverse())
      const byName = await request('GET', `${BASE}/campaigns`, { query: { limit: 3, sort_by: 'name', sort_order: 'asc' } })
      expect((byName.body as { items: { name: string }[] }).items.map((item) => item.name)).toEqual(['s0', 's1', 's10'])
    })
  })
})
