import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { ANSI_ESCAPE, expectNoCrash } from '../helpers/cli-output.js'
import { definition, documents, syllableBatchDoc, syllableCampaignDoc } from '../helpers/definitions.js'
import { editSyllableCampaign, startInProcessSandbox, syllableCampaign } from '../helpers/external-sandbox.js'
import { applyLines, applySummary, cacInProcess, expectConverged, type JsonApplyResult } from '../helpers/plan-apply.js'
import { maxInFlight, startRecordingProxy, type RecordedRequest } from '../helpers/recording-proxy.js'
import { tempProject } from '../helpers/temp-project.js'

const CAMPAIGNS_PATH = /^\/api\/v1\/outbound\/campaigns(\?|$)/
const BATCHES_PATH = /^\/api\/v1\/outbound\/batches(\?|$)/
const isWrite = (request: RecordedRequest) => request.method !== 'GET'

/** `count` campaigns named Wave 0…, each with a batch wave-0…. */
function waveFiles(count: number): Record<string, string> {
  const docs = Array.from({ length: count }, (_, i) => [
    syllableCampaignDoc(`Wave ${i}`, { caller_id: `+1999555000${i}` }),
    syllableBatchDoc(`wave-${i}`, `Wave ${i}`, { call_rate: 10 + i }),
  ]).flat()
  return { 'campaigns/waves.yaml': documents(...docs) }
}

describe.concurrent('what cac apply sends', { timeout: 180_000 }, () => {
  it('creates each batch after its campaign, with the id that campaign was just given; independent creates run concurrently', async ({ onTestFinished }) => {
    const project = await tempProject(waveFiles(6), { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const proxy = await startRecordingProxy(sandbox.url)
    onTestFinished(() => proxy.close())
    // Slow answers make overlap observable.
    await sandbox.setFaults({ latency_ms: 300 })

    const apply = await cacInProcess(project, { ...sandbox.env, SYLLABLE_API_URL: proxy.url })(['apply', '--auto-approve'])
    expectNoCrash(apply)
    expect(apply.code, apply.stderr).toBe(0)
    expect(applySummary(apply.stdout)).toBe('Apply complete: 12 created, 0 updated, 0 unchanged.')

    const campaignPosts = proxy.requests.filter((r) => r.method === 'POST' && CAMPAIGNS_PATH.test(r.path))
    const batchPosts = proxy.requests.filter((r) => r.method === 'POST' && BATCHES_PATH.test(r.path))
    expect(campaignPosts).toHaveLength(6)
    expect(batchPosts).toHaveLength(6)
    const state = await sandbox.state()
    const idOf = new Map(Object.values(state.syllable.campaigns).map((c) => [c.campaign_name, c.id]))
    for (let i = 0; i < 6; i += 1) {
      const campaignPost = campaignPosts.find((r) => (r.body as { campaign_name: string }).campaign_name === `Wave ${i}`)!
      const batchPost = batchPosts.find((r) => (r.body as { batch_id: string }).batch_id === `wave-${i}`)!
      expect(batchPost.started, `wave-${i} is posted after Wave ${i} was created`).toBeGreaterThanOrEqual(campaignPost.ended)
      expect(batchPost.body).toMatchObject({ batch_id: `wave-${i}`, campaign_id: idOf.get(`Wave ${i}`), call_rate: 10 + i })
    }
    expect(maxInFlight(campaignPosts), 'campaign creates in flight at once').toBeGreaterThanOrEqual(2)

    // Not a terminal: one plain line per change, no progress line rewritten in place.
    expect(apply.stdout).not.toContain('\r')
    expect(apply.stdout).not.toMatch(ANSI_ESCAPE)
    expect(apply.stdout).not.toContain('Applying…')
    const lines = applyLines(apply.stdout)
    expect(lines).toHaveLength(12)
    expect(new Set(lines.map((line) => line.address)).size).toBe(12)

    await sandbox.clearFaults()
    await expectConverged(cacInProcess(project, sandbox.env), sandbox)
  })

  it('--parallelism 1 sends one write at a time', async ({ onTestFinished }) => {
    const project = await tempProject(waveFiles(3), { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const proxy = await startRecordingProxy(sandbox.url)
    onTestFinished(() => proxy.close())
    await sandbox.setFaults({ latency_ms: 100 })

    const apply = await cacInProcess(project, { ...sandbox.env, SYLLABLE_API_URL: proxy.url })(['apply', '--auto-approve', '--parallelism', '1'])
    expectNoCrash(apply)
    expect(apply.code, apply.stderr).toBe(0)
    expect(proxy.requests.filter(isWrite)).toHaveLength(6)
    expect(maxInFlight(proxy.requests)).toBe(1)
  })

  it('a Syllable campaign update (full-replacement PUT) carries the live values of the fields the file does not declare', async ({ onTestFinished }) => {
    const file = (rate: number) => ({
      'campaigns/syllable.yaml': definition('SyllableCampaign', 'syllable', {
        campaign_name: 'Alpha',
        caller_id: '+19995550001',
        campaign_variables: { region: 'us-east' },
        active_days: ['mon', 'tue'],
        hourly_rate: rate,
        webhooks: [
          { url: 'https://hooks.example.com/a', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_values: { hmac_secret: '${env:SYLLABLE_HMAC_SECRET}' } },
        ],
      }),
    })
    const project = await tempProject(file(10), { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const env = { ...sandbox.env, SYLLABLE_HMAC_SECRET: Buffer.alloc(32, 7).toString('base64') }
    expect((await cacInProcess(project, env)(['apply', '--auto-approve'])).code).toBe(0)
    // Set in the console: fields the file does not mention.
    const consoleEdits = { description: 'set in the console', max_daily_calls: 40, labels: ['ops'], retry_interval: '2h', daily_start_time: '08:00:00' }
    await editSyllableCampaign(sandbox.request, 'Alpha', consoleEdits)
    await writeFile(join(project, 'campaigns/syllable.yaml'), file(25)['campaigns/syllable.yaml'])

    const proxy = await startRecordingProxy(sandbox.url)
    onTestFinished(() => proxy.close())
    const cac = cacInProcess(project, { ...env, SYLLABLE_API_URL: proxy.url })
    const apply = await cac(['apply', '--auto-approve'])
    expectNoCrash(apply)
    expect(apply.code, apply.stderr).toBe(0)
    expect(apply.stdout).toContain('~ update  syllable/campaign/Alpha\n      hourly_rate: 10 → 25\n')

    const puts = proxy.requests.filter(isWrite)
    expect(puts.map((r) => r.method)).toEqual(['PUT'])
    expect(puts[0]!.body).toMatchObject({ ...consoleEdits, hourly_rate: 25, campaign_variables: { region: 'us-east' } })
    // The webhook keeps its id, and its stored secret is kept without being sent again.
    const [stored] = (await syllableCampaign(sandbox.request, 'Alpha')).webhooks
    expect((puts[0]!.body as { webhooks: unknown[] }).webhooks).toEqual([
      { id: stored!.id, url: 'https://hooks.example.com/a', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_values: { hmac_secret: null } },
    ])
    const live = await syllableCampaign(sandbox.request, 'Alpha')
    expect(live).toMatchObject({ ...consoleEdits, hourly_rate: 25 })
    expect(live.webhooks).toEqual([expect.objectContaining({ url: 'https://hooks.example.com/a', auth_value_keys: ['hmac_secret'] })])
    await expectConverged(cacInProcess(project, env), sandbox)
  })

  it('a Syllable batch update sends batch_id, campaign_id, last_updated_by (the actor) and the changed fields only', async ({ onTestFinished }) => {
    const files = (rate: number) => ({
      'campaigns/syllable.yaml': documents(syllableCampaignDoc('Alpha'), syllableBatchDoc('alpha-1', 'Alpha', { call_rate: rate, paused: false })),
    })
    const project = await tempProject(files(5), { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    expect((await cacInProcess(project, sandbox.env)(['apply', '--auto-approve'])).code).toBe(0)
    await writeFile(join(project, 'campaigns/syllable.yaml'), files(9)['campaigns/syllable.yaml'])

    const proxy = await startRecordingProxy(sandbox.url)
    onTestFinished(() => proxy.close())
    const apply = await cacInProcess(project, { ...sandbox.env, SYLLABLE_API_URL: proxy.url })(['apply', '--auto-approve'])
    expectNoCrash(apply)
    expect(apply.code, apply.stderr).toBe(0)
    const writes = proxy.requests.filter(isWrite)
    expect(writes.map((r) => [r.method, r.path])).toEqual([['PUT', '/api/v1/outbound/batches/alpha-1']])
    expect(writes[0]!.body).toEqual({
      batch_id: 'alpha-1',
      campaign_id: (await syllableCampaign(sandbox.request, 'Alpha')).id,
      last_updated_by: 'ci@example.com',
      call_rate: 9,
    })
    await expectConverged(cacInProcess(project, sandbox.env), sandbox)
  })

  it('--format json prints only the result envelope: every change applied, with its id', async ({ onTestFinished }) => {
    const project = await tempProject(waveFiles(2), { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const cac = cacInProcess(project, sandbox.env)

    const apply = await cac(['apply', '--auto-approve', '--format', 'json'])
    expectNoCrash(apply)
    expect(apply.code, apply.stderr).toBe(0)
    const result = JSON.parse(apply.stdout) as JsonApplyResult
    const ids = new Map(Object.values((await sandbox.state()).syllable.campaigns).map((c) => [c.campaign_name, c.id]))
    expect(result).toMatchObject({
      format_version: 1,
      targets: [{ provider: 'syllable', type: 'syllable', target: sandbox.url }],
      succeeded: [
        { address: 'syllable/batch/wave-0', action: 'create', id: 'wave-0', adopted: false, steps: [] },
        { address: 'syllable/batch/wave-1', action: 'create', id: 'wave-1', adopted: false, steps: [] },
        { address: 'syllable/campaign/Wave 0', action: 'create', id: ids.get('Wave 0'), adopted: false, steps: [] },
        { address: 'syllable/campaign/Wave 1', action: 'create', id: ids.get('Wave 1'), adopted: false, steps: [] },
      ],
      failed: [],
      skipped: [],
      not_attempted: [],
      unchanged: 0,
      complete: true,
    })
    await expectConverged(cac, sandbox)
  })
})
