import { describe, expect, it } from 'vitest'

import { expectNoCrash } from '../helpers/cli-output.js'
import { campaignsWithBatches } from '../helpers/definitions.js'
import { startExternalSandbox, type ExternalSandbox } from '../helpers/external-sandbox.js'
import { applySummary, cacIn, expectConverged } from '../helpers/plan-apply.js'
import { tempProject } from '../helpers/temp-project.js'

const pad = (i: number) => String(i).padStart(3, '0')

/** `count` campaigns, each with a batch. */
const files = (count: number) => campaignsWithBatches('Race', count, () => 5)

/** Exactly one campaign per name, and every live batch under the campaign that has its name. */
async function expectOneCopyOfEach(sandbox: ExternalSandbox, count: number): Promise<void> {
  const state = await sandbox.state()
  const campaigns = Object.values(state.syllable.campaigns)
  const names = campaigns.map((campaign) => campaign.campaign_name).sort()
  expect(names, 'one campaign per name').toEqual(Array.from({ length: count }, (_, i) => `Race ${pad(i)}`))
  const batches = Object.values(state.syllable.batches).filter((batch) => batch.deleted_at === null)
  expect(batches).toHaveLength(count)
  for (const batch of batches) {
    expect(state.syllable.campaigns[String(batch.campaign_id)]?.campaign_name, batch.batch_id).toBe(`Race ${batch.batch_id.slice(5)}`)
  }
}

/**
 * Runs from different checkouts (different machines, CI jobs with their own workspace) share no
 * lock: what keeps them from making a campaign twice is how each create is confirmed.
 */
describe.concurrent('concurrent applies from several checkouts', { timeout: 240_000 }, () => {
  it('three applies at once, 50 ms latency: one copy of every campaign and batch, and each checkout converges', async ({ onTestFinished }) => {
    const count = 40
    const checkouts = await Promise.all([1, 2, 3].map(() => tempProject(files(count), { onTestFinished })))
    const sandbox = await startExternalSandbox(checkouts[0]!, onTestFinished)
    await sandbox.setFaults({ latency_ms: 50 })
    const runs = await Promise.all(checkouts.map((dir) => cacIn(dir, sandbox.env)(['apply', '--auto-approve'])))
    for (const run of runs) {
      expectNoCrash(run)
      expect(run.code, `${run.stdout}${run.stderr}`).toBe(0)
      expect(applySummary(run.stdout)).toMatch(/^Apply complete: /)
    }
    // Where two runs both planned to create a campaign, both posted it, and the one whose copy came
    // second removed it. (On a loaded machine one run may finish before another plans: no race then.)
    const plannedBy = new Map<string, number>()
    for (const run of runs) for (const [, name] of run.stdout.matchAll(/^\s*\+ create {2}syllable\/campaign\/(Race \d{3})$/gm)) plannedBy.set(name!, (plannedBy.get(name!) ?? 0) + 1)
    if ([...plannedBy.values()].some((planned) => planned > 1)) {
      expect(runs.map((run) => run.stdout).join('\n')).toContain("removed this run's second copy")
    }
    await expectOneCopyOfEach(sandbox, count)
    await sandbox.clearFaults()
    for (const dir of checkouts) await expectConverged(cacIn(dir, sandbox.env), sandbox)
  })

  it('a gateway that answers 504 to every campaign create while the platform commits it 1.5 s later: no copy is made twice', async ({ onTestFinished }) => {
    const count = 8
    const project = await tempProject(files(count), { onTestFinished })
    const sandbox = await startExternalSandbox(project, onTestFinished)
    await sandbox.setFaults({ rate_late_commit: 1, late_commit_ms: 1500, methods: ['POST'], routes: ['POST /api/v1/outbound/campaigns'] })
    const cac = cacIn(project, sandbox.env)
    const apply = await cac(['apply', '--auto-approve'])
    expectNoCrash(apply)
    expect(apply.code, `${apply.stdout}${apply.stderr}`).toBe(0)
    expect(apply.stdout).toContain('adopted after an interrupted create')
    expect((await sandbox.counters()).routes['POST /api/v1/outbound/campaigns']?.count).toBe(count)
    await expectOneCopyOfEach(sandbox, count)
    await sandbox.clearFaults()
    await expectConverged(cac, sandbox)
  })

  it('two applies at once while a third of the creates time out at the gateway and commit late: one copy of each', async ({ onTestFinished }) => {
    const count = 16
    const checkouts = await Promise.all([1, 2].map(() => tempProject(files(count), { onTestFinished })))
    const sandbox = await startExternalSandbox(checkouts[0]!, onTestFinished)
    await sandbox.setFaults({ latency_ms: 20, rate_late_commit: 0.33, late_commit_ms: 800, seed: 11, methods: ['POST'] })
    const runs = await Promise.all(checkouts.map((dir) => cacIn(dir, sandbox.env)(['apply', '--auto-approve'])))
    for (const run of runs) expectNoCrash(run)
    await sandbox.clearFaults()
    // A batch create that timed out may leave its run incomplete; a second apply finishes the job.
    for (const [index, run] of runs.entries()) {
      if (run.code !== 0) {
        const again = await cacIn(checkouts[index]!, sandbox.env)(['apply', '--auto-approve'])
        expect(again.code, `${again.stdout}${again.stderr}`).toBe(0)
      }
    }
    await expectOneCopyOfEach(sandbox, count)
    for (const dir of checkouts) await expectConverged(cacIn(dir, sandbox.env), sandbox)
  })
})
