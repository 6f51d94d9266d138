import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js'
import { sandboxClient } from '../helpers/sandbox.js'
import { BASE, HOUR, T0, campaignBody, shapeProblems, type Detail, type Summary } from './sarvam-support.js'

const now = Date.parse(T0)

describe('Sarvam campaigns survive a restart on the same state file', () => {
  let directory: string
  let statePath: string
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'cac-sarvam-'))
    statePath = join(directory, 'sandbox.json')
  })
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true })
  })

  /** Runs `use` against a fresh sandbox on the state file, then closes it (waiting for the write). */
  async function withSandbox<T>(
    use: (request: ReturnType<typeof sandboxClient>, running: RunningSandbox) => Promise<T>,
    startAt: string | number = T0,
  ): Promise<T> {
    const running = await startSandbox({ statePath, now: new Date(startAt) })
    try {
      return await use(sandboxClient(() => running.url), running)
    } finally {
      await running.close()
    }
  }

  it('keeps the campaign, its id, its status and the id counter', async () => {
    const first = await withSandbox(async (request) => {
      const created = await request('POST', `${BASE}/campaigns`, { json: campaignBody(now, { name: 'persisted' }) })
      expect(created.status, created.text).toBe(200)
      const { campaign_id } = created.body as Summary
      const paused = await request('PUT', `${BASE}/campaigns/${campaign_id}/status`, { json: { action: 'pause' } })
      expect(paused.status, paused.text).toBe(200)
      return (await request('GET', `${BASE}/campaigns/${campaign_id}`)).body as Detail
    })
    expect(JSON.parse(await readFile(statePath, 'utf8'))).toMatchObject({ sarvam: { next_campaign_number: 2 } })

    await withSandbox(async (request) => {
      const reply = await request('GET', `${BASE}/campaigns/${first.campaign_id}`)
      expect(reply.status).toBe(200)
      expect(shapeProblems('CampaignDetail', reply.body)).toBe('')
      expect(reply.body).toEqual(first)
      expect((reply.body as Detail).status).toBe('paused')

      // The counter survived too: the next campaign gets the next id, and the name is still taken.
      const again = await request('POST', `${BASE}/campaigns`, { json: campaignBody(now, { name: 'persisted' }) })
      expect(again.status).toBe(409)
      const next = await request('POST', `${BASE}/campaigns`, { json: campaignBody(now, { name: 'persisted-2' }) })
      expect((next.body as Summary).campaign_id).toBe('camp-00000002')
    })
  })

  it('the status after a restart follows the clock: derived transitions are recomputed, actions are kept', async () => {
    const [waiting, cancelled] = await withSandbox(async (request) => {
      const ids: string[] = []
      for (const name of ['lifecycle-waiting', 'lifecycle-cancelled']) {
        const created = await request('POST', `${BASE}/campaigns`, { json: campaignBody(now, { name }) })
        expect(created.status, created.text).toBe(200)
        ids.push((created.body as Summary).campaign_id)
      }
      expect((await request('PUT', `${BASE}/campaigns/${ids[1]}/status`, { json: { action: 'cancel' } })).status).toBe(200)
      return ids as [string, string]
    })
    await withSandbox(async (request) => {
      expect(((await request('GET', `${BASE}/campaigns/${waiting}`)).body as Detail).status).toBe('active')
      expect(((await request('GET', `${BASE}/campaigns/${cancelled}`)).body as Detail).status).toBe('cancelled')
    }, now + 2 * HOUR)
  })
})
