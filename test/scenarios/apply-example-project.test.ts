import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { expectNoCrash, expectNotPrinted } from '../helpers/cli-output.js'
import {
  ROUTES,
  routeCounts,
  sarvamCampaign,
  startInProcessSandbox,
  SYLLABLE_BATCHES,
  syllableCampaign,
} from '../helpers/external-sandbox.js'
import { applyLines, applySummary, cacInProcess, exampleProjectFiles, expectConverged, planSummary } from '../helpers/plan-apply.js'
import { tempProject } from '../helpers/temp-project.js'

// The repository's own example project: two Syllable campaigns, a batch for each, two Sarvam campaigns.
const ADDRESSES = [
  'sarvam/campaign/payment-reminders-hi',
  'sarvam/campaign/renewals-ta',
  'syllable/batch/2026-11-renewals',
  'syllable/batch/2026-12-clinic-reminders',
  'syllable/campaign/Clinic Appointment Reminders',
  'syllable/campaign/Spring Renewals',
]
const BATCH_CAMPAIGN: Record<string, string> = {
  '2026-11-renewals': 'Spring Renewals',
  '2026-12-clinic-reminders': 'Clinic Appointment Reminders',
}

interface StateFile {
  syllable: { campaigns: Record<string, { id: number; campaign_name: string }>; batches: Record<string, { batch_id: string; campaign_id: number }> }
}

/** Every batch line comes after the line of the campaign it belongs to. */
function expectBatchesAfterTheirCampaigns(stdout: string): void {
  const order = applyLines(stdout).map((line) => line.address)
  for (const [batch, campaign] of Object.entries(BATCH_CAMPAIGN)) {
    expect(order.indexOf(`syllable/batch/${batch}`), `${batch} is applied after ${campaign}`).toBeGreaterThan(
      order.indexOf(`syllable/campaign/${campaign}`),
    )
  }
}

describe.concurrent('cac plan / apply on the example project of this repository', { timeout: 180_000 }, () => {
  it('against the embedded sandbox: plans 6 creates, creates them (batches after campaigns), then has no changes across invocations', async ({ onTestFinished }) => {
    const project = await tempProject(await exampleProjectFiles(), { onTestFinished })
    const cac = cacInProcess(project)

    const plan = await cac(['plan'])
    expectNoCrash(plan)
    expect(plan.code).toBe(0)
    expect(plan.stdout).toContain('Targets:\n  sarvam → sandbox (.cac/sandbox.json)\n  syllable → sandbox (.cac/sandbox.json)\n')
    for (const address of ADDRESSES) expect(plan.stdout).toContain(`+ create  ${address}\n`)
    expect(planSummary(plan.stdout)).toBe('Plan: 6 to create, 0 to update, 0 unchanged.')
    // No secret in the environment: the embedded sandbox gets a stand-in, and says so.
    expect(plan.stderr).toContain('note: SYLLABLE_HMAC_SECRET is not set: the sandbox is given a generated stand-in secret')

    const apply = await cac(['apply', '--auto-approve'])
    expectNoCrash(apply)
    expect(apply.code, apply.stderr).toBe(0)
    expect(apply.stdout).toContain('syllable → sandbox (.cac/sandbox.json)')
    expect(applyLines(apply.stdout).map((line) => [line.outcome, line.address]).sort()).toEqual(ADDRESSES.map((a) => ['created', a]))
    expectBatchesAfterTheirCampaigns(apply.stdout)
    expect(applySummary(apply.stdout)).toBe('Apply complete: 6 created, 0 updated, 0 unchanged.')

    // The state persisted in .cac/sandbox.json: each batch under the id its campaign was given.
    const statePath = join(project, '.cac', 'sandbox.json')
    const state = JSON.parse(await readFile(statePath, 'utf8')) as StateFile
    const idOf = new Map(Object.values(state.syllable.campaigns).map((c) => [c.campaign_name, c.id]))
    for (const batch of Object.values(state.syllable.batches)) expect(batch.campaign_id).toBe(idOf.get(BATCH_CAMPAIGN[batch.batch_id]!))

    const again = await cac(['plan', '--detailed-exitcode'])
    expectNoCrash(again)
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('syllable → sandbox (.cac/sandbox.json)')
    expect(planSummary(again.stdout)).toBe('No changes. Plan: 0 to create, 0 to update, 6 unchanged.')

    // A second apply has nothing to do and writes nothing: the state file is byte for byte the same.
    const before = await readFile(statePath, 'utf8')
    const idle = await cac(['apply', '--auto-approve'])
    expectNoCrash(idle)
    expect(idle.code).toBe(0)
    expect(applySummary(idle.stdout)).toBe('Apply complete: 0 created, 0 updated, 6 unchanged.')
    expect(await readFile(statePath, 'utf8')).toBe(before)
  })

  it('against an external sandbox: plan reads only lists, apply sends one create per resource, the second plan sends only GETs', async ({ onTestFinished }) => {
    const project = await tempProject(await exampleProjectFiles(), { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const secret = randomBytes(32).toString('base64')
    const cac = cacInProcess(project, { ...sandbox.env, SYLLABLE_HMAC_SECRET: secret })

    const plan = await cac(['plan', '--detailed-exitcode'])
    expectNoCrash(plan)
    expect(plan.code).toBe(2)
    expect(plan.stdout).toContain(`Targets:\n  sarvam → ${sandbox.url}\n  syllable → ${sandbox.url}\n`)
    expect(planSummary(plan.stdout)).toBe('Plan: 6 to create, 0 to update, 0 unchanged.')
    expect(plan.stderr).toBe('')
    expectNotPrinted(plan, secret)
    // Nothing exists yet: one list request per kind, and no detail reads.
    expect(routeCounts(await sandbox.counters())).toEqual({
      [ROUTES.syllableCampaigns]: 1,
      [ROUTES.syllableBatches]: 1,
      [ROUTES.sarvamCampaigns]: 1,
    })

    await sandbox.resetCounters()
    const apply = await cac(['apply', '--auto-approve'])
    expectNoCrash(apply)
    expect(apply.code, apply.stderr).toBe(0)
    expectNotPrinted(apply, secret)
    expect(applySummary(apply.stdout)).toBe('Apply complete: 6 created, 0 updated, 0 unchanged.')
    expectBatchesAfterTheirCampaigns(apply.stdout)
    expect(await sandbox.writeRoutes()).toEqual({
      [ROUTES.createSyllableCampaign]: 2,
      [ROUTES.createSyllableBatch]: 2,
      [ROUTES.createSarvamCampaign]: 2,
    })

    // Each batch was created under the id its campaign got in this same run.
    for (const [batchId, campaignName] of Object.entries(BATCH_CAMPAIGN)) {
      const batch = await sandbox.request('GET', `${SYLLABLE_BATCHES}/${batchId}`)
      expect(batch.body).toMatchObject({ batch_id: batchId, campaign_id: (await syllableCampaign(sandbox.request, campaignName)).id })
    }
    expect((await syllableCampaign(sandbox.request, 'Spring Renewals')).webhooks[0]!.auth_value_keys).toEqual(['hmac_secret'])
    expect(await sarvamCampaign(sandbox.request, 'renewals-ta')).toMatchObject({ status: 'scheduled' })

    await sandbox.resetCounters()
    const again = await cac(['plan', '--detailed-exitcode'])
    expectNoCrash(again)
    expect(again.code).toBe(0)
    expect(planSummary(again.stdout)).toBe('No changes. Plan: 0 to create, 0 to update, 6 unchanged.')
    // The lists, plus the detail of each declared Sarvam campaign (Sarvam lists carry summaries only).
    expect(routeCounts(await sandbox.counters())).toEqual({
      [ROUTES.syllableCampaigns]: 1,
      [ROUTES.syllableBatches]: 1,
      [ROUTES.sarvamCampaigns]: 1,
      [ROUTES.sarvamCampaign]: 2,
    })

    await expectConverged(cac, sandbox)
  })
})
