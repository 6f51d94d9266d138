import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { expectNoCrash } from '../helpers/cli-output.js'
import { documents, sarvamCampaignDoc, syllableBatchDoc, syllableCampaignDoc } from '../helpers/definitions.js'
import {
  ROUTES,
  routeCounts,
  SARVAM_CAMPAIGNS,
  startInProcessSandbox,
  SYLLABLE_BATCHES,
  syllableCampaign,
  type ScheduledFaultKind,
} from '../helpers/external-sandbox.js'
import {
  applyLines,
  applySummary,
  cacInProcess,
  expectConverged,
  planSummary,
  type JsonApplyResult,
} from '../helpers/plan-apply.js'
import type { CliResult } from '../helpers/run-cli.js'
import { tempProject } from '../helpers/temp-project.js'

/** 20% of API requests fail: throttled, 5xx, reset before handling, or committed and then dropped. */
const TWENTY_PERCENT_FAULTS = { rate_429: 0.05, rate_500: 0.05, rate_503: 0.03, rate_reset: 0.03, rate_drop: 0.04, seed: 7, retry_after_seconds: 0 }

const pad = (i: number) => String(i).padStart(3, '0')

/** `count` Syllable campaigns, each with a batch: 2 × count resources in files of 10 pairs. */
function loadFiles(count: number): Record<string, string> {
  const files: Record<string, string> = {}
  for (let file = 0; file < count / 10; file += 1) {
    const docs: string[] = []
    for (let i = file * 10; i < file * 10 + 10; i += 1) {
      docs.push(
        syllableCampaignDoc(`Load ${pad(i)}`, { caller_id: `+1999555${String(i).padStart(4, '0')}`, hourly_rate: i + 1, campaign_variables: { n: String(i) } }),
        syllableBatchDoc(`load-${pad(i)}`, `Load ${pad(i)}`, { call_rate: i + 5 }),
      )
    }
    files[`campaigns/load-${file}.yaml`] = documents(...docs)
  }
  return files
}

/**
 * What an apply says about itself is true: its summary line counts the lines it printed, and a
 * failed or skipped change is listed again under "Failed:" / "Skipped:".
 */
function expectTruthfulReport(apply: CliResult): void {
  const lines = applyLines(apply.stdout)
  const count = (outcome: string) => lines.filter((line) => line.outcome === outcome).length
  const summary = applySummary(apply.stdout)
  expect(summary, `an apply summary\n${apply.stdout}${apply.stderr}`).toBeDefined()
  expect(summary).toContain(`${count('created')} created, ${count('updated')} updated`)
  if (count('failed') > 0) expect(summary).toContain(`${count('failed')} failed`)
  if (count('skipped') > 0) expect(summary).toContain(`${count('skipped')} skipped`)
  for (const line of lines.filter((l) => l.outcome === 'failed' || l.outcome === 'skipped')) {
    expect(apply.stdout).toContain(`\n  ${line.address}: ${line.detail}\n`)
  }
  expect(summary!.startsWith(apply.code === 0 ? 'Apply complete:' : 'Apply incomplete:')).toBe(true)
}

describe.concurrent('cac apply under faults', { timeout: 300_000 }, () => {
  it('200 changes with 20% injected faults: converges in a few runs, with no duplicate, and then has nothing to do', async ({ onTestFinished }) => {
    const project = await tempProject(loadFiles(100), { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const cac = cacInProcess(project, sandbox.env)
    await sandbox.setFaults(TWENTY_PERCENT_FAULTS)

    const runs: CliResult[] = []
    while (runs.length < 4 && runs.at(-1)?.code !== 0) {
      const apply = await cac(['apply', '--auto-approve'])
      expectNoCrash(apply)
      expect([0, 1], `exit code of run ${runs.length + 1}\n${apply.stderr}`).toContain(apply.code)
      // A run that got as far as applying reports truthfully; one whose plan failed says why on one line.
      if (applySummary(apply.stdout) !== undefined) expectTruthfulReport(apply)
      else expect(apply.stderr).toMatch(/^Error: \S+ → \S+: (GET|POST|PUT) \S+ .*\n$/)
      runs.push(apply)
    }
    expect(runs.at(-1)!.code, `apply converged within ${runs.length} runs`).toBe(0)
    // The faults did happen, committed-then-dropped creates included.
    const outcomes = Object.values((await sandbox.counters()).routes).flatMap((route) => Object.entries(route.outcomes))
    const faulted = (kind: string) => outcomes.filter(([outcome]) => outcome === kind).reduce((sum, [, n]) => sum + n, 0)
    expect(faulted('429') + faulted('500') + faulted('503') + faulted('reset') + faulted('dropped')).toBeGreaterThan(20)
    expect(faulted('dropped')).toBeGreaterThan(0)

    await sandbox.clearFaults()
    const plan = await cac(['plan', '--detailed-exitcode'])
    expectNoCrash(plan)
    expect(plan.code, plan.stdout).toBe(0)
    expect(planSummary(plan.stdout)).toBe('No changes. Plan: 0 to create, 0 to update, 200 unchanged.')

    // Dropped responses to committed creates were adopted, never created twice.
    const state = await sandbox.state()
    const names = Object.values(state.syllable.campaigns).map((campaign) => campaign.campaign_name)
    expect(names.sort()).toEqual(Array.from({ length: 100 }, (_, i) => `Load ${pad(i)}`))
    const idOf = new Map(Object.values(state.syllable.campaigns).map((campaign) => [campaign.campaign_name, campaign.id]))
    const batches = Object.values(state.syllable.batches)
    expect(batches).toHaveLength(100)
    for (const batch of batches) expect(batch.campaign_id, batch.batch_id).toBe(idOf.get(`Load ${batch.batch_id.slice('load-'.length)}`))

    await expectConverged(cac, sandbox)
  })

  it.for([
    ['text'],
    ['json'],
  ] as const)('a campaign whose create keeps failing: its batch is skipped, the rest is created, exit 1 (--format %s); the next apply converges', async ([format], { onTestFinished }) => {
    const project = await tempProject({ 'campaigns/syllable.yaml': syllableCampaignDoc('Existing') }, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const cac = cacInProcess(project, sandbox.env)
    expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
    await writeFile(
      join(project, 'campaigns', 'syllable.yaml'),
      documents(
        syllableCampaignDoc('Existing'),
        syllableBatchDoc('existing-1', 'Existing'),
        syllableCampaignDoc('Doomed', { caller_id: '+19995550002' }),
        syllableBatchDoc('doomed-1', 'Doomed'),
      ),
    )
    await writeFile(join(project, 'campaigns', 'sarvam.yaml'), sarvamCampaignDoc('reminders-hi'))
    // More 500s than the create will try: every attempt fails.
    await sandbox.scheduleFault('error500', ROUTES.createSyllableCampaign, 10)

    await sandbox.resetCounters()
    const apply = await cac(['apply', '--auto-approve', '--format', format])
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    const failure = 'POST /api/v1/outbound/campaigns → 500: Internal Server Error'
    if (format === 'text') {
      expect(applyLines(apply.stdout).sort((a, b) => a.address.localeCompare(b.address))).toEqual([
        { outcome: 'created', address: 'sarvam/campaign/reminders-hi', detail: expect.stringMatching(/^id camp-\w+, \d+ ms$/) },
        { outcome: 'skipped', address: 'syllable/batch/doomed-1', detail: 'syllable/campaign/Doomed was not applied' },
        { outcome: 'created', address: 'syllable/batch/existing-1', detail: expect.stringMatching(/^id existing-1, \d+ ms$/) },
        { outcome: 'failed', address: 'syllable/campaign/Doomed', detail: failure },
      ])
      expect(apply.stdout).toContain(
        'Failed:\n' +
          `  syllable/campaign/Doomed: ${failure}\n` +
          'Skipped:\n' +
          '  syllable/batch/doomed-1: syllable/campaign/Doomed was not applied\n' +
          'Apply incomplete: 2 created, 0 updated, 1 failed, 1 skipped, 1 unchanged.\n' +
          'Run apply again to retry what did not complete; what succeeded is not repeated.\n',
      )
      expectTruthfulReport(apply)
    } else {
      const result = JSON.parse(apply.stdout) as JsonApplyResult
      expect(result).toMatchObject({
        format_version: 1,
        targets: [
          { provider: 'sarvam', type: 'sarvam', target: sandbox.url },
          { provider: 'syllable', type: 'syllable', target: sandbox.url },
        ],
        succeeded: [
          { address: 'sarvam/campaign/reminders-hi', action: 'create', id: expect.stringMatching(/^camp-/), adopted: false, steps: [] },
          { address: 'syllable/batch/existing-1', action: 'create', id: 'existing-1', adopted: false, steps: [] },
        ],
        failed: [{ address: 'syllable/campaign/Doomed', action: 'create', message: failure }],
        skipped: [{ address: 'syllable/batch/doomed-1', action: 'create', reason: 'syllable/campaign/Doomed was not applied' }],
        not_attempted: [],
        unchanged: 1,
        complete: false,
      })
    }
    // Never a blind retry: each failed POST is followed by a look-up by name before the next one.
    const counts = routeCounts(await sandbox.counters())
    expect(counts[ROUTES.createSyllableCampaign]).toBe(3)
    expect(counts[ROUTES.syllableCampaigns]).toBeGreaterThanOrEqual(1 + 3)
    expect(await sandbox.writeRoutes()).toEqual({
      [ROUTES.createSyllableCampaign]: 3,
      [ROUTES.createSyllableBatch]: 1,
      [ROUTES.createSarvamCampaign]: 1,
    })
    expect((await sandbox.request('GET', `${SYLLABLE_BATCHES}/doomed-1`)).status).toBe(404)

    await sandbox.clearFaults()
    const next = await cac(['apply', '--auto-approve'])
    expectNoCrash(next)
    expect(next.code, next.stderr).toBe(0)
    expect(applyLines(next.stdout).map((line) => [line.outcome, line.address])).toEqual([
      ['created', 'syllable/campaign/Doomed'],
      ['created', 'syllable/batch/doomed-1'],
    ])
    expect(applySummary(next.stdout)).toBe('Apply complete: 2 created, 0 updated, 3 unchanged.')
    await expectConverged(cac, sandbox)
  })

  it('an update that keeps failing (5xx beyond the retries): its batch is skipped, the independent update goes through', async ({ onTestFinished }) => {
    const files = (rate: number, description: string) => ({
      'campaigns/syllable.yaml': documents(syllableCampaignDoc('Alpha', { hourly_rate: rate }), syllableBatchDoc('alpha-1', 'Alpha', { call_rate: rate })),
      'campaigns/sarvam.yaml': sarvamCampaignDoc('reminders-hi', { description }),
    })
    const project = await tempProject(files(10, 'first'), { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const cac = cacInProcess(project, sandbox.env)
    expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
    for (const [path, text] of Object.entries(files(20, 'second'))) await writeFile(join(project, path), text)
    await sandbox.scheduleFault('error503', ROUTES.putSyllableCampaign, 10)

    await sandbox.resetCounters()
    const apply = await cac(['apply', '--auto-approve'])
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    expect(applyLines(apply.stdout).map((line) => [line.outcome, line.address]).sort()).toEqual([
      ['failed', 'syllable/campaign/Alpha'],
      ['skipped', 'syllable/batch/alpha-1'],
      ['updated', 'sarvam/campaign/reminders-hi'],
    ])
    expect(apply.stdout).toMatch(/^ {2}syllable\/campaign\/Alpha: PUT \/api\/v1\/outbound\/campaigns\/\d+ → 503: Service Unavailable$/m)
    expect(applySummary(apply.stdout)).toBe('Apply incomplete: 0 created, 1 updated, 1 failed, 1 skipped, 0 unchanged.')
    expectTruthfulReport(apply)
    // The client retries an idempotent PUT on 503 (5 attempts in all), then gives up.
    expect(await sandbox.writeRoutes()).toEqual({ [ROUTES.putSyllableCampaign]: 5, [ROUTES.patchSarvamCampaign]: 1 })

    await sandbox.clearFaults()
    const next = await cac(['apply', '--auto-approve'])
    expect(next.code, next.stderr).toBe(0)
    expect(applySummary(next.stdout)).toBe('Apply complete: 0 created, 2 updated, 1 unchanged.')
    expect((await syllableCampaign(sandbox.request, 'Alpha')).hourly_rate).toBe(20)
    await expectConverged(cac, sandbox)
  })

  it('a create the platform refuses (422: a Sarvam start already past, which the files may say): the rest is applied, the 422 is not retried', async ({ onTestFinished }) => {
    const past = { start_timestamp: '2026-11-20T00:00:00Z' }
    const project = await tempProject(
      {
        'campaigns/sarvam.yaml': documents(sarvamCampaignDoc('too-late', past), sarvamCampaignDoc('on-time')),
        'campaigns/syllable.yaml': documents(syllableCampaignDoc('Alpha'), syllableBatchDoc('alpha-1', 'Alpha')),
      },
      { onTestFinished },
    )
    const sandbox = await startInProcessSandbox(onTestFinished)
    const cac = cacInProcess(project, sandbox.env)
    expect((await cac(['validate'])).code, 'the files are valid: a start in the past is for the platform to refuse').toBe(0)

    const apply = await cac(['apply', '--auto-approve'])
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    const refusal =
      'POST /api/scheduling/v1/orgs/acme/workspaces/outbound/campaigns → 422: start_timestamp: Value error, start_timestamp must be at least 120 seconds from now'
    expect(applyLines(apply.stdout).map((line) => [line.outcome, line.address, line.outcome === 'failed' ? line.detail : '']).sort()).toEqual([
      ['created', 'sarvam/campaign/on-time', ''],
      ['created', 'syllable/batch/alpha-1', ''],
      ['created', 'syllable/campaign/Alpha', ''],
      ['failed', 'sarvam/campaign/too-late', refusal],
    ])
    expect(applySummary(apply.stdout)).toBe('Apply incomplete: 3 created, 0 updated, 1 failed, 0 unchanged.')
    expectTruthfulReport(apply)
    expect(routeCounts(await sandbox.counters())[ROUTES.createSarvamCampaign]).toBe(2)

    // Fixed in the file, the next apply creates it and converges.
    await writeFile(join(project, 'campaigns/sarvam.yaml'), documents(sarvamCampaignDoc('too-late'), sarvamCampaignDoc('on-time')))
    const next = await cac(['apply', '--auto-approve'])
    expect(next.code, next.stderr).toBe(0)
    expect(applySummary(next.stdout)).toBe('Apply complete: 1 created, 0 updated, 3 unchanged.')
    await expectConverged(cac, sandbox)
  })

  interface DroppedCreate {
    what: string
    route: string
    fault: ScheduledFaultKind
    address: string
    count: (sandbox: Awaited<ReturnType<typeof startInProcessSandbox>>) => Promise<number>
  }
  const DROPPED: DroppedCreate[] = [
    {
      what: 'Syllable campaign',
      route: ROUTES.createSyllableCampaign,
      fault: 'drop',
      address: 'syllable/campaign/Alpha',
      count: async (sandbox) => Object.values((await sandbox.state()).syllable.campaigns).filter((c) => c.campaign_name === 'Alpha').length,
    },
    {
      what: 'Syllable batch',
      route: ROUTES.createSyllableBatch,
      fault: 'drop',
      address: 'syllable/batch/alpha-1',
      count: async (sandbox) => Object.values((await sandbox.state()).syllable.batches).filter((b) => b.batch_id === 'alpha-1').length,
    },
    {
      what: 'Sarvam campaign',
      route: ROUTES.createSarvamCampaign,
      fault: 'drop',
      address: 'sarvam/campaign/reminders-hi',
      count: async (sandbox) => {
        const list = await sandbox.request('GET', SARVAM_CAMPAIGNS, { query: { limit: 100 } })
        return (list.body as { items: { name: string }[] }).items.filter((c) => c.name === 'reminders-hi').length
      },
    },
  ]

  it.for(DROPPED.map((drop) => [drop.what, drop] as const))(
    'a %s create committed but its response dropped: adopted, not created twice',
    async ([, drop], { onTestFinished }) => {
      const project = await tempProject(
        {
          'campaigns/syllable.yaml': documents(syllableCampaignDoc('Alpha'), syllableBatchDoc('alpha-1', 'Alpha')),
          'campaigns/sarvam.yaml': sarvamCampaignDoc('reminders-hi'),
        },
        { onTestFinished },
      )
      const sandbox = await startInProcessSandbox(onTestFinished)
      const cac = cacInProcess(project, sandbox.env)
      await sandbox.scheduleFault(drop.fault, drop.route, 1)

      const apply = await cac(['apply', '--auto-approve'])
      expectNoCrash(apply)
      expect(apply.code, `${apply.stdout}${apply.stderr}`).toBe(0)
      const line = applyLines(apply.stdout).find((l) => l.address === drop.address)
      expect(line).toMatchObject({ outcome: 'created', detail: expect.stringContaining('adopted after an interrupted create') })
      expect(applySummary(apply.stdout)).toBe('Apply complete: 3 created, 0 updated, 0 unchanged.')
      expect(routeCounts(await sandbox.counters())[drop.route]).toBe(1)
      expect(await drop.count(sandbox)).toBe(1)
      await expectConverged(cac, sandbox)
    },
  )
})
