import { describe, expect, it } from 'vitest'

import {
  BASE,
  T0,
  campaignBody,
  checkedShapes,
  createCampaign,
  getCampaign,
  setStatus,
  shapeProblems,
  useSarvamSandbox,
  workspacePath,
  type Detail,
  type Page,
  type Summary,
} from './sarvam-support.js'

const now = Date.parse(T0)

describe('Sarvam campaign responses have the documented shapes', () => {
  const { request } = useSarvamSandbox({ now: T0 })

  it('create answers a CampaignSummary: scheduled, created_by the caller, updated_by null, created_at = updated_at', async () => {
    const summary = await createCampaign(request, BASE, campaignBody(now, { name: 'shape-create' }))
    expect(summary).toEqual({
      name: 'shape-create',
      campaign_id: expect.stringMatching(/^camp-[0-9a-f]{8}$/) as unknown,
      status: 'scheduled',
      app_id: 'payment-reminder-agent',
      created_by: 'tester@example.com',
      created_at: '2026-11-23T00:00:00Z',
      updated_at: '2026-11-23T00:00:00Z',
      description: 'Hindi reminders for renewals due this week',
      app_type: 'agent',
      app_version: 2,
      updated_by: null,
    })
  })

  it('get answers a CampaignDetail with app_config defaults filled and unknown fields dropped', async () => {
    const body = campaignBody(now, {
      name: 'shape-detail',
      surprise: 'ignored',
      app_config: {
        app_id: 'payment-reminder-agent',
        app_version: 2,
        attempts_per_second: 2,
        connection_configs: [{ connection_id: 'conn-exotel-001', phone_numbers: ['+918047168000'], extra: 1 }],
        retry_config: { max_retries: 3, retry_interval_minutes: [15, 60], retry_on: { busy: { enabled: true } } },
        phone_rotation: { agent: true },
      },
    })
    const { campaign_id } = await createCampaign(request, BASE, body)
    const detail = await getCampaign(request, BASE, campaign_id)
    expect(detail.app_config).toEqual({
      app_id: 'payment-reminder-agent',
      app_version: 2,
      app_type: 'agent',
      attempts_per_second: 2,
      connection_configs: [{ connection_id: 'conn-exotel-001', phone_numbers: ['+918047168000'], weight: 1 }],
      retry_config: { max_retries: 3, retry_interval_minutes: [15, 60], retry_on: { busy: { enabled: true } } },
    })
    expect(detail.start_timestamp).toBe('2026-11-23T01:00:00Z')
    expect(detail.end_timestamp).toBe('2026-11-30T01:00:00Z')
    expect(detail.allowed_schedule).toEqual(body.allowed_schedule)
    expect(detail.webhook_config).toBeNull()
    expect(detail).not.toHaveProperty('surprise')
  })

  it('keeps webhook_config where it was given (top level or inside app_config)', async () => {
    const webhook = { url: 'https://hooks.example.com/sarvam', metadata: { team: 'collections' } }
    const top = await createCampaign(request, BASE, campaignBody(now, { name: 'shape-webhook-top', webhook_config: webhook }))
    expect((await getCampaign(request, BASE, top.campaign_id)).webhook_config).toEqual(webhook)

    const base = campaignBody(now)
    const nested = await createCampaign(request, BASE, {
      ...base,
      name: 'shape-webhook-nested',
      app_config: { ...(base.app_config as object), webhook_config: webhook },
    })
    const detail = await getCampaign(request, BASE, nested.campaign_id)
    expect(detail.webhook_config).toBeNull()
    expect(detail.app_config.webhook_config).toEqual(webhook)
  })

  it('answers timestamps given with an offset as the same instants in UTC', async () => {
    const summary = await createCampaign(
      request,
      BASE,
      campaignBody(now, { name: 'shape-offsets', start_timestamp: '2026-11-23T10:00:00+05:30', end_timestamp: '2026-11-24T10:00:00.250+05:30' }),
    )
    const detail = await getCampaign(request, BASE, summary.campaign_id)
    expect(detail.start_timestamp).toBe('2026-11-23T04:30:00Z')
    expect(detail.end_timestamp).toBe('2026-11-24T04:30:00.250Z')
  })

  it('accepts an experiment campaign (experiment_id, no app_id or app_version) and a workflow app', async () => {
    const base = campaignBody(now)
    const experiment = await createCampaign(request, BASE, {
      ...base,
      name: 'shape-experiment',
      app_config: { experiment_id: 'exp-greeting-ab', attempts_per_second: 1 },
    })
    expect(experiment.app_id).toBe('exp-greeting-ab')
    expect(experiment.app_version).toBeNull()
    const detail = await getCampaign(request, BASE, experiment.campaign_id)
    expect(detail.app_config).toEqual({ experiment_id: 'exp-greeting-ab', app_type: 'agent', attempts_per_second: 1 })

    const workflow = await createCampaign(request, BASE, {
      ...base,
      name: 'shape-workflow',
      app_config: { app_id: 'kyc-flow', app_version: 1, app_type: 'workflow' },
    })
    expect(workflow.app_type).toBe('workflow')
  })

  it('list answers the page envelope with summaries', async () => {
    const reply = await request('GET', `${BASE}/campaigns`, { query: { limit: 2 } })
    expect(reply.status).toBe(200)
    const page = reply.body as Page
    expect(page.items).toHaveLength(2)
    expect(page.total).toBeGreaterThanOrEqual(6)
    expect(page.next_page_uri).toMatch(/^\/api\/scheduling\/v1\/orgs\/acme\/workspaces\/outbound\/campaigns\?offset=2&limit=2$/)
    expect(page.prev_page_uri).toBeNull()
  })

  it('update and status answer a CampaignSummary that records who changed it and when', async () => {
    const { campaign_id } = await createCampaign(request, BASE, campaignBody(now, { name: 'shape-update' }))
    const patched = await request('PATCH', `${BASE}/campaigns/${campaign_id}`, {
      json: { description: 'new words' },
      headers: { 'X-API-Key': 'ops@example.com' },
    })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({ description: 'new words', updated_by: 'ops@example.com', created_by: 'tester@example.com' })

    const paused = await setStatus(request, BASE, campaign_id, 'pause')
    expect(paused.status).toBe(200)
    expect((paused.body as Summary).status).toBe('paused')
  })

  it('every campaign the list shows is a valid CampaignDetail when read by id', async () => {
    const page = (await request('GET', `${BASE}/campaigns`, { query: { limit: 100 } })).body as Page
    for (const item of page.items) {
      const detail: Detail = await getCampaign(request, BASE, item.campaign_id)
      expect(detail).toMatchObject(item)
    }
  })

  it('error bodies are FastAPI-shaped: 422 entries, and {detail: string} for 401/404/405/409', async () => {
    const invalid = await request('POST', `${BASE}/campaigns`, { json: {} })
    expect(invalid.status).toBe(422)
    expect((await request('GET', `${BASE}/campaigns/camp-ffffffff`)).status).toBe(404)
    expect((await request('GET', `${BASE}/campaigns`, { anonymous: true })).status).toBe(401)
    expect((await request('DELETE', `${BASE}/campaigns/camp-00000001`)).status).toBe(405)
    expect((await request('POST', `${BASE}/campaigns`, { json: campaignBody(now, { name: 'shape-create' }) })).status).toBe(409)
  })

  it('names stay unique per workspace through renames: the old name is free again, the new one is taken', async () => {
    const first = await createCampaign(request, BASE, campaignBody(now, { name: 'unique-a' }))
    const second = await createCampaign(request, BASE, campaignBody(now, { name: 'unique-b' }))
    const renamed = await request('PATCH', `${BASE}/campaigns/${first.campaign_id}`, { json: { name: 'unique-c' } })
    expect(renamed.status, renamed.text).toBe(200)
    expect((await request('PATCH', `${BASE}/campaigns/${first.campaign_id}`, { json: { name: 'unique-c' } })).status).toBe(200)
    const taken = await request('PATCH', `${BASE}/campaigns/${second.campaign_id}`, { json: { name: 'unique-c' } })
    expect(taken.status).toBe(409)
    expect(taken.text).toContain(first.campaign_id)
    expect((await request('POST', `${BASE}/campaigns`, { json: campaignBody(now, { name: 'unique-c' }) })).status).toBe(409)
    expect((await request('POST', `${BASE}/campaigns`, { json: campaignBody(now, { name: 'unique-a' }) })).status).toBe(200)
    expect((await request('POST', `${BASE}/campaigns`, { json: campaignBody(now, { name: 'unique-b' }) })).status).toBe(409)
    // Another workspace has names of its own.
    const other = workspacePath('acme', 'elsewhere')
    expect((await request('POST', `${other}/campaigns`, { json: campaignBody(now, { name: 'unique-b' }) })).status).toBe(200)
  })

  it('the schemas reject what the documented shapes do not allow', () => {
    const summary = {
      name: 'x',
      campaign_id: 'camp-1',
      status: 'scheduled',
      app_id: 'a',
      created_by: 'me',
      created_at: '2026-11-23T00:00:00Z',
      updated_at: '2026-11-23T00:00:00Z',
      description: null,
    }
    expect(shapeProblems('CampaignSummary', summary)).toBe('')
    expect(shapeProblems('CampaignSummary', { ...summary, status: 'running' })).not.toBe('')
    expect(shapeProblems('CampaignSummary', { ...summary, created_at: '2026-11-23T00:00:00' })).not.toBe('')
    expect(shapeProblems('CampaignSummary', { ...summary, app_type: 'bot' })).not.toBe('')
    expect(shapeProblems('CampaignSummary', { ...summary, campaignId: 'camp-1' })).not.toBe('')
    expect(shapeProblems('CampaignDetail', summary)).not.toBe('')
  })

  it('checked the shape of a response of every endpoint', () => {
    const keys = [...checkedShapes.keys()]
    for (const expected of [
      `POST ${BASE}/campaigns 200`,
      `GET ${BASE}/campaigns 200`,
      `GET ${BASE}/campaigns/{id} 200`,
      `PATCH ${BASE}/campaigns/{id} 200`,
      `PUT ${BASE}/campaigns/{id}/status 200`,
      `POST ${BASE}/campaigns 422`,
      `GET ${BASE}/campaigns/{id} 404`,
      `GET ${BASE}/campaigns 401`,
      `DELETE ${BASE}/campaigns/{id} 405`,
      `POST ${BASE}/campaigns 409`,
    ]) {
      expect(keys).toContain(expected)
    }
  })
})
