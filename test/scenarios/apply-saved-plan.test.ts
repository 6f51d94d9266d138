import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { expectNoCrash } from '../helpers/cli-output.js'
import { documents, syllableBatchDoc, syllableCampaignDoc } from '../helpers/definitions.js'
import {
  editSyllableCampaign,
  ROUTES,
  routeCounts,
  startInProcessSandbox,
  SANDBOX_ACTOR,
  SYLLABLE_BATCHES,
  syllableCampaign,
  type ExternalSandbox,
} from '../helpers/external-sandbox.js'
import { applyLines, applySummary, cacInProcess, expectConverged, planSummary, type Cac } from '../helpers/plan-apply.js'
import { tempProject } from '../helpers/temp-project.js'

const SYLLABLE_FILE = 'campaigns/syllable.yaml'
const BASELINE = documents(
  syllableCampaignDoc('Alpha', { hourly_rate: 10, retry_count: 1 }),
  syllableBatchDoc('alpha-1', 'Alpha', { call_rate: 5 }),
)
/** The next version of the files: Alpha's rate goes up, Beta and its batch are new. */
const NEXT = documents(
  syllableCampaignDoc('Alpha', { hourly_rate: 12, retry_count: 1 }),
  syllableBatchDoc('alpha-1', 'Alpha', { call_rate: 5 }),
  syllableCampaignDoc('Beta', { caller_id: '+19995550002' }),
  syllableBatchDoc('beta-1', 'Beta', { call_rate: 7 }),
)

interface Setup {
  project: string
  cac: Cac
  sandbox: ExternalSandbox
}

/** BASELINE applied to a fresh sandbox, then the files moved on to NEXT and a plan saved to plan.json. */
async function savedPlan(onTestFinished: (cleanup: () => Promise<void>) => void): Promise<Setup> {
  const project = await tempProject({ [SYLLABLE_FILE]: BASELINE }, { onTestFinished })
  const sandbox = await startInProcessSandbox(onTestFinished)
  const cac = cacInProcess(project, sandbox.env)
  expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
  await writeFile(join(project, SYLLABLE_FILE), NEXT)

  const plan = await cac(['plan', '--out', 'plan.json'])
  expectNoCrash(plan)
  expect(plan.code).toBe(0)
  expect(planSummary(plan.stdout)).toBe('Plan: 2 to create, 1 to update, 1 unchanged.')
  expect(plan.stderr).toBe('Saved the plan to plan.json; apply exactly this plan with: cac apply plan.json\n')
  return { project, cac, sandbox }
}

describe.concurrent('cac apply PLANFILE', { timeout: 180_000 }, () => {
  it('applies a fresh saved plan exactly (batch under the new campaign), after re-reading only the resources it touches', async ({ onTestFinished }) => {
    const { cac, sandbox } = await savedPlan(onTestFinished)

    await sandbox.resetCounters()
    const apply = await cac(['apply', 'plan.json'])
    expectNoCrash(apply)
    expect(apply.code, apply.stderr).toBe(0)
    expect(apply.stdout).toContain(`syllable → ${sandbox.url}`)
    expect(applyLines(apply.stdout).map((line) => [line.outcome, line.address]).sort()).toEqual([
      ['created', 'syllable/batch/beta-1'],
      ['created', 'syllable/campaign/Beta'],
      ['updated', 'syllable/campaign/Alpha'],
    ])
    expect(applySummary(apply.stdout)).toBe('Apply complete: 2 created, 1 updated, 1 unchanged.')
    const counts = routeCounts(await sandbox.counters())
    // No list of everything: the update is re-read by id, the creates are looked up by name.
    expect(counts[ROUTES.syllableBatches] ?? 0).toBe(0)
    expect(counts[ROUTES.syllableCampaign]).toBeGreaterThanOrEqual(1)
    expect(await sandbox.writeRoutes()).toEqual({
      [ROUTES.putSyllableCampaign]: 1,
      [ROUTES.createSyllableCampaign]: 1,
      [ROUTES.createSyllableBatch]: 1,
    })
    const beta = await syllableCampaign(sandbox.request, 'Beta')
    expect((await sandbox.request('GET', `${SYLLABLE_BATCHES}/beta-1`)).body).toMatchObject({ campaign_id: beta.id, call_rate: 7 })
    expect((await syllableCampaign(sandbox.request, 'Alpha')).hourly_rate).toBe(12)

    await expectConverged(cac, sandbox)
  })

  it('refuses the same plan file a second time as stale, naming what moved, and sends nothing', async ({ onTestFinished }) => {
    const { cac, sandbox } = await savedPlan(onTestFinished)
    expect((await cac(['apply', 'plan.json'])).code).toBe(0)

    await sandbox.resetCounters()
    const again = await cac(['apply', 'plan.json'])
    expectNoCrash(again)
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('Error: the saved plan is stale; nothing was applied. Make a new plan. What moved:\n')
    expect(again.stderr).toContain(`  syllable/campaign/Alpha: changed on the platform since the plan by ${SANDBOX_ACTOR} at `)
    expect(again.stderr).toMatch(/^ {2}syllable\/campaign\/Alpha: changed on the platform since the plan by \S+ at \S+: hourly_rate$/m)
    expect(again.stderr).toMatch(/^ {2}syllable\/campaign\/Beta: was created on the platform since the plan \(id \d+\)$/m)
    expect(again.stderr).toMatch(/^ {2}syllable\/batch\/beta-1: was created on the platform since the plan \(id beta-1\)$/m)
    expect(applyLines(again.stdout)).toEqual([])
    expect(await sandbox.writeRoutes()).toEqual({})

    await expectConverged(cac, sandbox)
  })

  it('refuses the whole plan when a resource it updates was edited on the platform since, naming the resource and the field', async ({ onTestFinished }) => {
    const { cac, sandbox } = await savedPlan(onTestFinished)
    await editSyllableCampaign(sandbox.request, 'Alpha', { retry_count: 3 })

    await sandbox.resetCounters()
    const apply = await cac(['apply', 'plan.json'])
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    expect(apply.stderr).toBe(
      'Error: the saved plan is stale; nothing was applied. Make a new plan. What moved:\n' +
        `  syllable/campaign/Alpha: changed on the platform since the plan by tester@example.com at 2026-11-24T00:00:00.000Z: retry_count\n`,
    )
    // The whole plan is refused: not even the creates of Beta and its batch, which did not move.
    expect(applyLines(apply.stdout)).toEqual([])
    expect(await sandbox.writeRoutes()).toEqual({})
    expect(await syllableCampaign(sandbox.request, 'Alpha')).toMatchObject({ retry_count: 3, hourly_rate: 10 })
    expect((await sandbox.request('GET', `${SYLLABLE_BATCHES}/beta-1`)).status).toBe(404)

    // A new plan starts from what is there now.
    const plan = await cac(['plan'])
    expect(plan.stdout).toContain('~ update  syllable/campaign/Alpha\n      hourly_rate: 10 → 12\n      retry_count: 3 → 1\n')
  })

  it('refuses the plan when a field no file declares was edited since: the plan was made against other live values', async ({ onTestFinished }) => {
    const { cac, sandbox } = await savedPlan(onTestFinished)
    await editSyllableCampaign(sandbox.request, 'Alpha', { description: 'edited in the console' })

    await sandbox.resetCounters()
    const apply = await cac(['apply', 'plan.json'])
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    expect(apply.stderr).toMatch(/^ {2}syllable\/campaign\/Alpha: changed on the platform since the plan by tester@example\.com at \S+: description$/m)
    expect(await sandbox.writeRoutes()).toEqual({})
    expect((await syllableCampaign(sandbox.request, 'Alpha')).description).toBe('edited in the console')
  })

  it('refuses the plan when a resource it updates was deleted on the platform since', async ({ onTestFinished }) => {
    const files = (rate: number) => ({ [SYLLABLE_FILE]: documents(syllableCampaignDoc('Alpha'), syllableBatchDoc('alpha-1', 'Alpha', { call_rate: rate })) })
    const project = await tempProject(files(5), { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const cac = cacInProcess(project, sandbox.env)
    expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
    await writeFile(join(project, SYLLABLE_FILE), files(9)[SYLLABLE_FILE])
    expect((await cac(['plan', '--out', 'plan.json'])).code).toBe(0)
    const deleted = await sandbox.request('DELETE', `${SYLLABLE_BATCHES}/alpha-1`, { form: { delete_reason: 'cleanup' } })
    expect(deleted.status, deleted.text).toBe(200)

    await sandbox.resetCounters()
    const apply = await cac(['apply', 'plan.json'])
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    expect(apply.stderr).toContain('  syllable/batch/alpha-1: was deleted on the platform since the plan\n')
    expect(await sandbox.writeRoutes()).toEqual({})
  })

  it('refuses the plan when a resource it would create appeared on the platform since', async ({ onTestFinished }) => {
    const { cac, sandbox } = await savedPlan(onTestFinished)
    const made = await sandbox.request('POST', '/api/v1/outbound/campaigns', {
      json: { campaign_name: 'Beta', campaign_variables: {}, caller_id: '+19995550002', active_days: ['mon'] },
    })
    expect(made.status).toBe(200)

    await sandbox.resetCounters()
    const apply = await cac(['apply', 'plan.json'])
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    expect(apply.stderr).toContain(
      `  syllable/campaign/Beta: was created on the platform since the plan (id ${(made.body as { id: number }).id})\n`,
    )
    expect(await sandbox.writeRoutes()).toEqual({})
  })

  it.for([
    ['an edited desired value', (text: string) => text.replace('"hourly_rate": 12', '"hourly_rate": 13')],
    ['an edited action', (text: string) => text.replace('"action": "noop"', '"action": "update"')],
    ['a removed change', (text: string) => JSON.stringify({ ...JSON.parse(text), changes: JSON.parse(text).changes.slice(1) })],
  ] as const)('refuses a plan file with %s (checksum), before sending anything', async ([, tamper], { onTestFinished }) => {
    const { project, cac, sandbox } = await savedPlan(onTestFinished)
    const path = join(project, 'plan.json')
    const original = await readFile(path, 'utf8')
    const tampered = tamper(original)
    expect(tampered).not.toBe(original)
    await writeFile(path, tampered)

    await sandbox.resetCounters()
    const apply = await cac(['apply', 'plan.json'])
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    expect(apply.stderr).toBe(
      'Error: the plan file plan.json was changed after it was written (its checksum does not match): make the plan again\n',
    )
    expect(apply.stdout).toBe('')
    expect((await sandbox.counters()).total).toBe(0)
  })

  it.for([
    ['does not exist', 'missing.json', null, 'Error: the plan file missing.json does not exist\n'],
    ['is not JSON', 'plan.txt', 'Plan: 1 to create', 'Error: the plan file plan.txt is not a cac plan file (not JSON)\n'],
    ['is JSON but not a plan', 'other.json', '{"format_version": 1}', 'Error: the plan file other.json is not a cac plan file\n'],
  ] as const)('refuses a plan file that %s, with one line and no request', async ([, file, content, message], { onTestFinished }) => {
    const project = await tempProject(content === null ? {} : { [file]: content }, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const apply = await cacInProcess(project, sandbox.env)(['apply', file])
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    expect(apply.stderr).toBe(message)
    expect((await sandbox.counters()).total).toBe(0)
  })

  it('refuses a plan made for another target (a different URL), sending nothing to either', async ({ onTestFinished }) => {
    const { project, cac, sandbox } = await savedPlan(onTestFinished)
    const other = await startInProcessSandbox(onTestFinished)

    await sandbox.resetCounters()
    const apply = await cac(['apply', 'plan.json'], other.env)
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    expect(apply.stderr).toBe(
      `Error: nothing was applied: the plan was made for syllable → ${sandbox.url}, but this run targets ${other.url}\n`,
    )
    expect((await sandbox.counters()).total).toBe(0)
    expect((await other.counters()).total).toBe(0)
  })

  it('does not combine a plan file with --target (the plan fixes what is applied)', async ({ onTestFinished }) => {
    const { cac, sandbox } = await savedPlan(onTestFinished)
    await sandbox.resetCounters()
    const apply = await cac(['apply', 'plan.json', '--target', 'syllable/*'])
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    expect(apply.stderr).toContain('--target cannot be combined with a plan file')
    expect((await sandbox.counters()).total).toBe(0)
  })
})
