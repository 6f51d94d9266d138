import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { beforeAll, describe, expect, it } from 'vitest'

import { startSandbox } from '../../src/sandbox/index.js'
import { sandboxClient, useSandbox, type RequestOptions, type SandboxReply } from '../helpers/sandbox.js'

const CAMPAIGNS = '/api/v1/outbound/campaigns'
const BATCHES = '/api/v1/outbound/batches'
const NOW = '2026-11-23T00:00:00.000Z'

interface Batch {
  batch_id: string
  campaign_id: number
  status: string
  [key: string]: unknown
}

interface ValidationBody {
  detail: { type: string; loc: (string | number)[]; msg: string; input?: unknown }[]
}

const detailOf = (reply: SandboxReply) => (reply.body as ValidationBody).detail
const locsOf = (reply: SandboxReply) => detailOf(reply).map((entry) => entry.loc)
const batchPath = (batchId: string) => `${BATCHES}/${encodeURIComponent(batchId)}`
const requestBody = (referenceId: string, target: string) => ({ reference_id: referenceId, target, request_variables: { first_name: 'Ann' } })

/** One sandbox per describe, with a campaign to hang batches on. */
function batchSandbox() {
  const { request, sandbox } = useSandbox({ now: NOW })
  let campaignId = 0
  beforeAll(async () => {
    const reply = await request('POST', CAMPAIGNS, {
      json: { campaign_name: 'Batches', campaign_variables: {}, caller_id: '+19995551234', active_days: ['mon'] },
    })
    campaignId = (reply.body as { id: number }).id
  })

  async function createBatch(batchId: string, extra: Record<string, unknown> = {}): Promise<Batch> {
    const reply = await request('POST', BATCHES, { json: { batch_id: batchId, campaign_id: campaignId, ...extra } })
    expect(reply.status, reply.text).toBe(200)
    return reply.body as Batch
  }

  return { request, sandbox, createBatch, campaignId: () => campaignId }
}

describe('Syllable batches: create', () => {
  const { request, createBatch, campaignId } = batchSandbox()

  it('answers a CommunicationBatch with defaults, null where unset, and status PENDING', async () => {
    const batch = await createBatch('create.defaults')
    expect(batch).toEqual({
      batch_id: 'create.defaults',
      campaign_id: campaignId(),
      expires_on: null,
      paused: null,
      call_rate: null,
      auto_call_rate: false,
      auto_call_rate_baseline: null,
      status: 'PENDING',
      upload_filename: null,
      dispatch_id: null,
      created_at: NOW,
      deleted_at: null,
      deleted_reason: null,
      last_updated_at: NOW,
      last_updated_by: 'tester@example.com',
      error_message: null,
    })
  })

  it('stores expires_on as a UTC instant and accepts auto_call_rate with it', async () => {
    const batch = await createBatch('create.expiry', { expires_on: '2026-12-31T05:30:00+05:30', auto_call_rate: true, call_rate: 3600 })
    expect(batch).toMatchObject({ expires_on: '2026-12-31T00:00:00.000Z', auto_call_rate: true, call_rate: 3600 })
  })

  it('answers 404 when the campaign does not exist', async () => {
    const reply = await request('POST', BATCHES, { json: { batch_id: 'create.orphan', campaign_id: 987654 } })
    expect(reply.status).toBe(404)
    expect(reply.body).toEqual({ detail: 'Campaign 987654 not found' })
  })

  it('answers 409 for a batch_id in use, including by a deleted batch', async () => {
    await createBatch('create.dup')
    const again = await request('POST', BATCHES, { json: { batch_id: 'create.dup', campaign_id: campaignId() } })
    expect(again.status).toBe(409)
    expect(again.body).toEqual({ detail: 'Batch create.dup already exists' })

    await createBatch('create.dup-deleted')
    await request('DELETE', batchPath('create.dup-deleted'), { form: { delete_reason: 'gone' } })
    const reuse = await request('POST', BATCHES, { json: { batch_id: 'create.dup-deleted', campaign_id: campaignId() } })
    expect(reuse.status).toBe(409)
    expect(reuse.body).toEqual({ detail: 'Batch create.dup-deleted already exists (a deleted batch keeps its id)' })
  })

  it('validates the body: required fields, types, call_rate range, offsets, auto_call_rate needs expires_on', async () => {
    const missing = await request('POST', BATCHES, { json: {} })
    expect(locsOf(missing)).toEqual([
      ['body', 'batch_id'],
      ['body', 'campaign_id'],
    ])
    const empty = await request('POST', BATCHES, { json: { batch_id: '', campaign_id: campaignId() } })
    expect(detailOf(empty)).toMatchObject([{ type: 'string_too_short', loc: ['body', 'batch_id'] }])
    const types = await request('POST', BATCHES, { json: { batch_id: 7, campaign_id: '1', paused: 'no' } })
    expect(detailOf(types).map((entry) => entry.type)).toEqual(['string_type', 'int_type', 'bool_type'])

    for (const callRate of [0, 3601]) {
      const reply = await request('POST', BATCHES, { json: { batch_id: 'create.rate', campaign_id: campaignId(), call_rate: callRate } })
      expect(reply.status).toBe(422)
      expect(locsOf(reply)).toEqual([['body', 'call_rate']])
    }
    const naive = await request('POST', BATCHES, { json: { batch_id: 'create.naive', campaign_id: campaignId(), expires_on: '2026-12-31T00:00:00' } })
    expect(detailOf(naive)).toEqual([
      { type: 'timezone_aware', loc: ['body', 'expires_on'], msg: 'Input should have timezone info', input: '2026-12-31T00:00:00' },
    ])
    const notDate = await request('POST', BATCHES, { json: { batch_id: 'create.notdate', campaign_id: campaignId(), expires_on: 'tomorrow' } })
    expect(locsOf(notDate)).toEqual([['body', 'expires_on']])

    const auto = await request('POST', BATCHES, { json: { batch_id: 'create.auto', campaign_id: campaignId(), auto_call_rate: true } })
    expect(auto.status).toBe(422)
    expect(detailOf(auto)).toMatchObject([{ type: 'value_error', loc: ['body', 'auto_call_rate'] }])
    expect(detailOf(auto)[0]!.msg).toContain('requires expires_on')

    // A rejected create leaves nothing behind.
    expect((await request('GET', batchPath('create.auto'))).status).toBe(404)
  })

  it('takes client-chosen ids literally, even ones that name object internals or need escaping', async () => {
    for (const batchId of ['__proto__', 'constructor', 'toString', 'a/b c', '20260822.9']) {
      await createBatch(batchId)
      const read = await request('GET', batchPath(batchId))
      expect(read.status, batchId).toBe(200)
      expect((read.body as Batch).batch_id).toBe(batchId)
    }
    expect((await request('GET', batchPath('hasOwnProperty'))).status).toBe(404)
  })
})

describe('Syllable batches: status is derived from deletion, expiry, hold and requests (frozen clock)', () => {
  const { request, sandbox, createBatch } = batchSandbox()

  const statusOf = async (batchId: string) => ((await request('GET', batchPath(batchId))).body as Batch).status

  it('PENDING → ACTIVE (requests added) → PAUSED (on hold) → ACTIVE → EXPIRED (clock passes expires_on) → CANCELED', async () => {
    await createBatch('status.walk', { expires_on: '2026-11-23T01:00:00Z' })
    expect(await statusOf('status.walk')).toBe('PENDING')

    await request('POST', `${batchPath('status.walk')}/requests`, { json: requestBody('r1', '+15125550001') })
    expect(await statusOf('status.walk')).toBe('ACTIVE')

    await request('PUT', batchPath('status.walk'), { json: { paused: true } })
    expect(await statusOf('status.walk')).toBe('PAUSED')
    await request('PUT', batchPath('status.walk'), { json: { paused: false } })
    expect(await statusOf('status.walk')).toBe('ACTIVE')

    sandbox().clock.advance(3599)
    expect(await statusOf('status.walk')).toBe('ACTIVE')
    sandbox().clock.advance(1) // exactly expires_on: expired
    expect(await statusOf('status.walk')).toBe('EXPIRED')

    const deleted = await request('DELETE', batchPath('status.walk'), { form: { delete_reason: 'done' } })
    expect((deleted.body as Batch).status).toBe('CANCELED')
  })

  it('a paused batch with no requests is PAUSED; an unpaused empty one PENDING; expiry beats the hold', async () => {
    await createBatch('status.hold', { paused: true })
    expect(await statusOf('status.hold')).toBe('PAUSED')
    await request('PUT', batchPath('status.hold'), { json: { paused: null } })
    expect(await statusOf('status.hold')).toBe('PENDING')

    const now = sandbox().clock.nowIso()
    await createBatch('status.past', { paused: true, expires_on: now })
    expect(await statusOf('status.past')).toBe('EXPIRED')
    // Extending the expiry brings it back.
    await request('PUT', batchPath('status.past'), { json: { expires_on: '2099-01-01T00:00:00Z' } })
    expect(await statusOf('status.past')).toBe('PAUSED')
  })
})

describe('Syllable batches: PUT is a partial update', () => {
  const { request, sandbox, createBatch, campaignId } = batchSandbox()

  it('changes only the setters present, and records when', async () => {
    await createBatch('update.partial', { paused: true, call_rate: 10, expires_on: '2026-12-31T00:00:00Z' })
    sandbox().clock.advance(30)
    const reply = await request('PUT', batchPath('update.partial'), { json: { call_rate: 20 } })
    expect(reply.status, reply.text).toBe(200)
    expect(reply.body).toMatchObject({
      paused: true,
      call_rate: 20,
      expires_on: '2026-12-31T00:00:00.000Z',
      auto_call_rate: false,
      created_at: NOW,
      last_updated_at: '2026-11-23T00:00:30.000Z',
      last_updated_by: 'tester@example.com',
    })
    const cleared = await request('PUT', batchPath('update.partial'), { json: { call_rate: null, expires_on: null } })
    expect(cleared.body).toMatchObject({ paused: true, call_rate: null, expires_on: null })
    const unchanged = await request('PUT', batchPath('update.partial'), { json: {} })
    expect(unchanged.body).toMatchObject({ paused: true, call_rate: null, expires_on: null })
  })

  it("accepts the seed document's body: matching batch_id/campaign_id, its last_updated_by, non-setters ignored", async () => {
    const batch = await createBatch('update.seed')
    const reply = await request('PUT', batchPath('update.seed'), {
      json: {
        batch_id: 'update.seed',
        campaign_id: campaignId(),
        expires_on: '2099-01-01T00:00:00Z',
        count: 152,
        status: 'IDLE',
        created_at: '2024-01-01T00:00:00Z',
        deleted_at: '2024-01-01T00:00:00Z',
        deleted_reason: 'User request',
        last_worked_on: '2024-01-01T00:00:00Z',
        last_updated_by: 'user@email.com',
      },
    })
    expect(reply.status, reply.text).toBe(200)
    expect(reply.body).toMatchObject({
      expires_on: '2099-01-01T00:00:00.000Z',
      status: 'PENDING',
      created_at: batch.created_at,
      deleted_at: null,
      deleted_reason: null,
      last_updated_by: 'user@email.com',
    })
    expect(reply.body).not.toHaveProperty('count')
  })

  it('refuses (422) to change batch_id or campaign_id', async () => {
    await createBatch('update.identity')
    const reply = await request('PUT', batchPath('update.identity'), { json: { batch_id: 'other', campaign_id: campaignId() + 1000, paused: true } })
    expect(reply.status).toBe(422)
    expect(detailOf(reply)).toEqual([
      { type: 'value_error', loc: ['body', 'batch_id'], msg: 'Value error, batch_id cannot be changed', input: 'other' },
      { type: 'value_error', loc: ['body', 'campaign_id'], msg: 'Value error, campaign_id cannot be changed', input: campaignId() + 1000 },
    ])
    expect(((await request('GET', batchPath('update.identity'))).body as Batch).paused).toBeNull()
  })

  it('enabling auto_call_rate needs an expires_on, stored or sent; clearing it under auto_call_rate is refused', async () => {
    await createBatch('update.auto')
    const without = await request('PUT', batchPath('update.auto'), { json: { auto_call_rate: true } })
    expect(detailOf(without)).toMatchObject([{ type: 'value_error', loc: ['body', 'auto_call_rate'] }])

    const together = await request('PUT', batchPath('update.auto'), { json: { auto_call_rate: true, expires_on: '2027-01-01T00:00:00Z' } })
    expect(together.body).toMatchObject({ auto_call_rate: true })
    const clearing = await request('PUT', batchPath('update.auto'), { json: { expires_on: null } })
    expect(detailOf(clearing)).toMatchObject([{ type: 'value_error', loc: ['body', 'expires_on'] }])
    // A null auto_call_rate leaves it as it is.
    const nulled = await request('PUT', batchPath('update.auto'), { json: { auto_call_rate: null } })
    expect(nulled.body).toMatchObject({ auto_call_rate: true })
    const off = await request('PUT', batchPath('update.auto'), { json: { auto_call_rate: false, expires_on: null } })
    expect(off.body).toMatchObject({ auto_call_rate: false, expires_on: null })
  })

  it('validates types and ranges, and answers 404 for unknown or deleted batches', async () => {
    await createBatch('update.validate')
    const bad = await request('PUT', batchPath('update.validate'), { json: { call_rate: 0, paused: 'yes', expires_on: '2026-12-01' } })
    expect(locsOf(bad)).toEqual(
      expect.arrayContaining([
        ['body', 'call_rate'],
        ['body', 'paused'],
        ['body', 'expires_on'],
      ]),
    )
    expect((await request('PUT', batchPath('update.nobody'), { json: { paused: true } })).status).toBe(404)
    await request('DELETE', batchPath('update.validate'), { form: { delete_reason: 'gone' } })
    const deleted = await request('PUT', batchPath('update.validate'), { json: { paused: true } })
    expect(deleted.status).toBe(404)
    expect(deleted.body).toEqual({ detail: 'Batch update.validate not found' })
  })
})

describe('Syllable batches: DELETE is a soft delete with a form reason', () => {
  const { request, createBatch } = batchSandbox()

  it('needs delete_reason as a form field', async () => {
    await createBatch('delete.form')
    const attempts: RequestOptions[] = [{}, { form: {} }, { form: { delete_reason: '' } }, { json: { delete_reason: 'sent as JSON' } }]
    for (const options of attempts) {
      const reply = await request('DELETE', batchPath('delete.form'), options)
      expect(reply.status).toBe(422)
      expect(detailOf(reply)).toMatchObject([{ type: 'missing', loc: ['body', 'delete_reason'], msg: 'Field required' }])
    }
    expect((await request('GET', batchPath('delete.form'))).status).toBe(200)
  })

  it('records when, why and who; the batch then leaves every read', async () => {
    await createBatch('delete.soft')
    await request('POST', `${batchPath('delete.soft')}/requests`, { json: requestBody('r1', '+15125550001') })
    const reply = await request('DELETE', batchPath('delete.soft'), { form: { delete_reason: 'User request' } })
    expect(reply.status).toBe(200)
    expect(reply.body).toMatchObject({ batch_id: 'delete.soft', status: 'CANCELED', deleted_at: NOW, deleted_reason: 'User request' })

    expect((await request('GET', batchPath('delete.soft'))).status).toBe(404)
    expect((await request('GET', `${batchPath('delete.soft')}/results`)).status).toBe(404)
    expect((await request('POST', `${batchPath('delete.soft')}/requests`, { json: requestBody('r2', '+15125550002') })).status).toBe(404)
    expect((await request('POST', `${batchPath('delete.soft')}/remove-requests`, { json: ['r1'] })).status).toBe(404)
    expect((await request('DELETE', batchPath('delete.soft'), { form: { delete_reason: 'again' } })).status).toBe(404)
    const list = await request('GET', BATCHES)
    expect((list.body as { items: Batch[] }).items.map((batch) => batch.batch_id)).not.toContain('delete.soft')
  })

  it('answers 404 for a batch that never existed (after checking the form)', async () => {
    expect((await request('DELETE', batchPath('delete.nobody'), { form: { delete_reason: 'x' } })).status).toBe(404)
  })
})

describe('Syllable batches: requests, results and counts', () => {
  const { request, createBatch } = batchSandbox()

  it('adds requests one by one; a repeated reference_id or target is kept as DUPLICATE', async () => {
    await createBatch('requests.add')
    const first = await request('POST', `${batchPath('requests.add')}/requests`, { json: requestBody('r1', '+15125550001') })
    expect(first.status, first.text).toBe(200)
    expect(first.body).toEqual({
      reference_id: 'r1',
      target: '+15125550001',
      request_variables: { first_name: 'Ann' },
      channel_manager_sid: null,
      created_at: NOW,
      sent_at: null,
      attempt_count: 0,
      session_id: null,
      conversation_id: null,
      request_status: 'PENDING',
      channel_manager_status: null,
      insights_status: null,
      insights: null,
      line_type: null,
      enrichment: null,
    })
    const sameReference = await request('POST', `${batchPath('requests.add')}/requests`, { json: requestBody('r1', '+15125550002') })
    expect((sameReference.body as { request_status: string }).request_status).toBe('DUPLICATE')
    const sameTarget = await request('POST', `${batchPath('requests.add')}/requests`, { json: requestBody('r3', '+15125550001') })
    expect((sameTarget.body as { request_status: string }).request_status).toBe('DUPLICATE')
    await request('POST', `${batchPath('requests.add')}/requests`, { json: requestBody('r4', '+15125550004') })

    const details = await request('GET', batchPath('requests.add'))
    expect(details.body).toMatchObject({
      status: 'ACTIVE',
      status_counts: { PENDING: 2, DUPLICATE: 2 },
      detailed_status_counts: { PENDING: { total_count: 2 }, DUPLICATE: { total_count: 2 } },
    })
  })

  it('an empty batch has empty counts', async () => {
    await createBatch('requests.empty')
    expect((await request('GET', batchPath('requests.empty'))).body).toMatchObject({ status_counts: {}, detailed_status_counts: {} })
  })

  it('filters results by reference_id, status (any case) and insights_status', async () => {
    await createBatch('requests.results')
    for (const [reference, target] of [['a', '+1001'], ['b', '+1002'], ['a', '+1003']]) {
      await request('POST', `${batchPath('requests.results')}/requests`, { json: requestBody(reference!, target!) })
    }
    const results = (query: Record<string, string>) => request('GET', `${batchPath('requests.results')}/results`, { query })
    const refs = (reply: SandboxReply) => (reply.body as { reference_id: string; target: string }[]).map((row) => `${row.reference_id}${row.target}`)

    expect(refs(await results({}))).toEqual(['a+1001', 'b+1002', 'a+1003'])
    expect(refs(await results({ reference_id: 'a' }))).toEqual(['a+1001', 'a+1003'])
    expect(refs(await results({ status: 'duplicate' }))).toEqual(['a+1003'])
    expect(refs(await results({ reference_id: 'b', status: 'PENDING' }))).toEqual(['b+1002'])
    expect(refs(await results({ insights_status: 'COMPLETED' }))).toEqual([])
    expect((await request('GET', `${batchPath('requests.nobody')}/results`)).status).toBe(404)
  })

  it('removes requests by reference id and says how many', async () => {
    await createBatch('requests.remove')
    for (const [reference, target] of [['x', '+2001'], ['y', '+2002'], ['x', '+2003']]) {
      await request('POST', `${batchPath('requests.remove')}/requests`, { json: requestBody(reference!, target!) })
    }
    const removed = await request('POST', `${batchPath('requests.remove')}/remove-requests`, { json: ['x', 'unknown'] })
    expect(removed.status).toBe(200)
    expect(removed.body).toEqual({ removed: 2 })
    expect((await request('POST', `${batchPath('requests.remove')}/remove-requests`, { json: [] })).body).toEqual({ removed: 0 })
    expect((await request('GET', batchPath('requests.remove'))).body).toMatchObject({ status_counts: { PENDING: 1 } })
    await request('POST', `${batchPath('requests.remove')}/remove-requests`, { json: ['y'] })
    expect(((await request('GET', batchPath('requests.remove'))).body as Batch).status).toBe('PENDING')
  })

  it('validates request bodies and reference-id lists', async () => {
    await createBatch('requests.validate')
    const bad = await request('POST', `${batchPath('requests.validate')}/requests`, { json: { reference_id: 1, request_variables: { n: 2 } } })
    expect(locsOf(bad)).toEqual([
      ['body', 'target'],
      ['body', 'reference_id'],
      ['body', 'request_variables', 'n'],
    ])
    const list = await request('POST', `${batchPath('requests.validate')}/requests`, { json: [requestBody('r', '+1')] })
    expect(list.status).toBe(422)
    const notList = await request('POST', `${batchPath('requests.validate')}/remove-requests`, { json: { reference_ids: ['r'] } })
    expect(detailOf(notList)).toMatchObject([{ type: 'list_type', loc: ['body'] }])
    const notStrings = await request('POST', `${batchPath('requests.validate')}/remove-requests`, { json: ['r', 2] })
    expect(locsOf(notStrings)).toEqual([['body', 1]])
    expect((await request('POST', `${batchPath('requests.nobody')}/requests`, { json: requestBody('r', '+1') })).status).toBe(404)
  })

  it('answers upload_batch with 501: CSV upload is not emulated', async () => {
    await createBatch('requests.upload')
    const reply = await request('POST', `${batchPath('requests.upload')}/upload_batch`, { raw: 'reference_id,target\n1,+1', headers: { 'content-type': 'text/csv' } })
    expect(reply.status).toBe(501)
    expect((reply.body as { detail: string }).detail).toContain('not emulated')
  })
})

describe('Syllable batches: persisted state', () => {
  it('keeps batches (odd ids included), their requests, deletions and the creation order across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cac-syllable-batches-'))
    try {
      const statePath = join(dir, 'sandbox.json')
      const first = await startSandbox({ statePath, now: NOW })
      try {
        const request = sandboxClient(() => first.url)
        const campaign = await request('POST', CAMPAIGNS, { json: { campaign_name: 'P', campaign_variables: {}, caller_id: null, active_days: [] } })
        const campaignId = (campaign.body as { id: number }).id
        for (const batchId of ['__proto__', '2', '1', 'gone']) {
          expect((await request('POST', BATCHES, { json: { batch_id: batchId, campaign_id: campaignId } })).status).toBe(200)
        }
        await request('POST', `${batchPath('__proto__')}/requests`, { json: requestBody('r1', '+1') })
        await request('DELETE', batchPath('gone'), { form: { delete_reason: 'test' } })
      } finally {
        await first.close()
      }

      const second = await startSandbox({ statePath, now: NOW })
      try {
        const request = sandboxClient(() => second.url)
        const list = (await request('GET', BATCHES)).body as { items: Batch[] }
        expect(list.items.map((batch) => [batch.batch_id, batch.status])).toEqual([
          ['__proto__', 'ACTIVE'],
          ['2', 'PENDING'],
          ['1', 'PENDING'],
        ])
        expect((await request('GET', batchPath('gone'))).status).toBe(404)
        const campaignId = list.items[0]!.campaign_id
        expect((await request('POST', BATCHES, { json: { batch_id: 'gone', campaign_id: campaignId } })).status).toBe(409)
      } finally {
        await second.close()
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
