import { writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { expectNoCrash } from '../helpers/cli-output.js'
import { documents, sarvamCampaignDoc, syllableBatchDoc, syllableCampaignDoc, UNTIL_ACTIVE_SECONDS } from '../helpers/definitions.js'
import { editSyllableCampaign, ROUTES, startInProcessSandbox, type ExternalSandbox } from '../helpers/external-sandbox.js'
import { runInProcess } from '../helpers/in-process-cli.js'
import { applyLines, cacInProcess, expectConverged, type Cac } from '../helpers/plan-apply.js'
import { tempProject } from '../helpers/temp-project.js'

const SYLLABLE_FILE = 'campaigns/syllable.yaml'
const SARVAM_FILE = 'campaigns/sarvam.yaml'
/** A webhook secret (Base64 of 32 bytes) the files name by variable: it must never be printed. */
const HMAC_SECRET = Buffer.from('github-format-test-hmac-key-0001').toString('base64')
const WEBHOOK = { url: 'https://hooks.example.com/beta', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_values: { hmac_secret: '${env:BETA_HMAC}' } }
const ACTIVE_REASON =
  'campaign is active: updates are only allowed when it is scheduled or paused; run apply with --pause-to-update to pause it, update it, and resume it'

/** The line of each document's `kind:` in a definition file's text, in order. */
function kindLines(text: string): number[] {
  return text.split('\n').flatMap((line, index) => (line.startsWith('kind: ') ? [index + 1] : []))
}

type OnTestFinished = (cleanup: () => Promise<void>) => void

interface Applied {
  project: string
  cac: Cac
  sandbox: ExternalSandbox
  targets: string
}

/** A project whose files were applied to an in-process sandbox (`files` replace the default ones; `env` is added to every run's). */
async function applied(onTestFinished: OnTestFinished, files: Record<string, string>, env: Record<string, string> = {}): Promise<Applied> {
  const project = await tempProject(files, { onTestFinished })
  const sandbox = await startInProcessSandbox(onTestFinished)
  const cac = cacInProcess(project, { ...sandbox.env, ...env })
  const first = await cac(['apply', '--auto-approve'])
  expect(first.code, first.stdout + first.stderr).toBe(0)
  return { project, cac, sandbox, targets: `Targets: sarvam → ${sandbox.url}, syllable → ${sandbox.url}` }
}

/** The lines of an output, without the empty string after the last newline. */
function linesOf(stdout: string): string[] {
  return stdout.replace(/\n$/, '').split('\n')
}

/** The lines an apply printed after the plan it folds into a `::group::`. */
function afterPlanGroup(stdout: string): string[] {
  const lines = linesOf(stdout)
  expect(lines[0]).toBe('::group::cac apply: the plan')
  return lines.slice(lines.indexOf('::endgroup::') + 1)
}

describe.concurrent('--format github', { timeout: 120_000 }, () => {
  it('plan: a notice per create and update naming the fields, a warning per blocked change, at its definition; apply annotates the blocked one; then no changes', async ({ onTestFinished }) => {
    const { project, cac, sandbox, targets } = await applied(
      onTestFinished,
      { [SYLLABLE_FILE]: syllableCampaignDoc('Alpha'), [SARVAM_FILE]: sarvamCampaignDoc('reminders-hi', { description: 'first' }) },
      { BETA_HMAC: HMAC_SECRET },
    )
    await sandbox.advanceClock(UNTIL_ACTIVE_SECONDS)
    const edited = documents(syllableCampaignDoc('Alpha', { hourly_rate: 30, caller_id: '+19995550002' }), syllableCampaignDoc('Beta', { webhooks: [WEBHOOK] }))
    await writeFile(join(project, SYLLABLE_FILE), edited)
    const [alphaLine, betaLine] = kindLines(edited)
    await writeFile(join(project, SARVAM_FILE), sarvamCampaignDoc('reminders-hi', { description: 'second' }))

    await sandbox.resetCounters()
    const plan = await cac(['plan', '--format', 'github', '--detailed-exitcode'])
    expectNoCrash(plan)
    expect(plan.code).toBe(2)
    expect(linesOf(plan.stdout)).toEqual([
      `::warning file=campaigns/sarvam.yaml,line=1,title=sarvam/campaign/reminders-hi::blocked sarvam/campaign/reminders-hi: ${ACTIVE_REASON}`,
      `::notice file=campaigns/syllable.yaml,line=${alphaLine},title=syllable/campaign/Alpha::update syllable/campaign/Alpha: caller_id, hourly_rate`,
      `::notice file=campaigns/syllable.yaml,line=${betaLine},title=syllable/campaign/Beta::create syllable/campaign/Beta: active_days, caller_id, campaign_name, campaign_variables, webhooks`,
      targets,
      'Plan: 1 to create, 1 to update, 1 blocked, 0 unchanged.',
    ])
    expect(await sandbox.writeRoutes(), 'plan writes nothing').toEqual({})
    // Field names only: not the secret, not even its mask.
    expect(plan.stdout).not.toContain(HMAC_SECRET)
    expect(plan.stdout).not.toContain('(sensitive)')

    const apply = await cac(['apply', '--auto-approve', '--format', 'github'])
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    const ending = afterPlanGroup(apply.stdout)
    expect(applyLines(ending.join('\n')).map(({ outcome, address }) => `${outcome} ${address}`).sort()).toEqual(['created syllable/campaign/Beta', 'updated syllable/campaign/Alpha'])
    expect(ending.slice(2)).toEqual([
      `::warning file=campaigns/sarvam.yaml,line=1,title=sarvam/campaign/reminders-hi::blocked sarvam/campaign/reminders-hi: ${ACTIVE_REASON}`,
      'Apply incomplete: 1 created, 1 updated, 1 blocked, 0 unchanged.',
      'The blocked change is not made by running apply again: do what the reason above says (e.g. --pause-to-update for a running campaign), or change the file.',
    ])

    await writeFile(join(project, SARVAM_FILE), sarvamCampaignDoc('reminders-hi', { description: 'first' }))
    await sandbox.resetCounters()
    const again = await cac(['plan', '--format', 'github', '--detailed-exitcode'])
    expect(again.code).toBe(0)
    expect(linesOf(again.stdout)).toEqual([targets, 'No changes. Plan: 0 to create, 0 to update, 3 unchanged.'])
    await expectConverged(cac, sandbox)
  })

  it('plan: an error at the definition of a change in error (exit 1); names with %, : and , are escaped where GitHub needs it', async ({ onTestFinished }) => {
    const name = 'Sale: 50%, today'
    const { project, cac, sandbox } = await applied(onTestFinished, {
      [SYLLABLE_FILE]: documents(syllableCampaignDoc('Alpha'), syllableCampaignDoc('Omega', { caller_id: '+19995550009' }), syllableBatchDoc('alpha-1', 'Alpha')),
    })
    const moved = documents(syllableCampaignDoc('Alpha'), syllableCampaignDoc('Omega', { caller_id: '+19995550009' }), syllableBatchDoc('alpha-1', 'Omega'), syllableCampaignDoc(name, { caller_id: '+19995550010' }))
    await writeFile(join(project, SYLLABLE_FILE), moved)
    const [, , batchLine, saleLine] = kindLines(moved)
    await sandbox.resetCounters()
    const plan = await cac(['plan', '--format', 'github', '--detailed-exitcode'])
    expectNoCrash(plan)
    expect(plan.code).toBe(1)
    expect(linesOf(plan.stdout)).toEqual([
      `::error file=campaigns/syllable.yaml,line=${batchLine},title=syllable/batch/alpha-1::error syllable/batch/alpha-1: a batch's campaign cannot change after creation; give the batch a new batch_id`,
      `::notice file=campaigns/syllable.yaml,line=${saleLine},title=syllable/campaign/Sale%3A 50%25%2C today::create syllable/campaign/Sale: 50%25, today: active_days, caller_id, campaign_name, campaign_variables`,
      `Targets: syllable → ${sandbox.url}`,
      'Plan: 1 to create, 0 to update, 1 in error, 2 unchanged.',
    ])

    // apply refuses the whole plan, and says where the change in error is declared.
    const apply = await cac(['apply', '--auto-approve', '--format', 'github'])
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    expect(afterPlanGroup(apply.stdout)).toEqual([
      `::error file=campaigns/syllable.yaml,line=${batchLine},title=syllable/batch/alpha-1::error syllable/batch/alpha-1: a batch's campaign cannot change after creation; give the batch a new batch_id`,
      '::error title=cac apply failed::nothing was applied: the plan has 1 change in error (syllable/batch/alpha-1); fix them first',
    ])
    expect(await sandbox.writeRoutes()).toEqual({})

    await writeFile(
      join(project, SYLLABLE_FILE),
      documents(syllableCampaignDoc('Alpha'), syllableCampaignDoc('Omega', { caller_id: '+19995550009' }), syllableBatchDoc('alpha-1', 'Alpha'), syllableCampaignDoc(name, { caller_id: '+19995550010' })),
    )
    expect((await cac(['apply', '--auto-approve', '--format', 'github'])).code).toBe(0)
    await expectConverged(cac, sandbox)
  })

  it('plan: invalid files are errors at their line and column (exit 1, nothing sent); a platform failure is one error', async ({ onTestFinished }) => {
    const project = await tempProject({ [SYLLABLE_FILE]: syllableCampaignDoc('Alpha', { hourly_rate: 'fast' }) }, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const cac = cacInProcess(project, sandbox.env)
    const invalid = await cac(['plan', '--format', 'github'])
    expectNoCrash(invalid)
    expect(invalid.code).toBe(1)
    expect(linesOf(invalid.stdout)).toEqual(['::error file=campaigns/syllable.yaml,line=8,col=16,title=cac spec.hourly_rate::must be an integer, got "fast"'])
    expect(invalid.stderr).toContain('Nothing was sent to the platforms: fix the files first.')
    expect((await sandbox.counters()).total).toBe(0)

    await writeFile(join(project, SYLLABLE_FILE), syllableCampaignDoc('Alpha'))
    await sandbox.scheduleFault('error500', ROUTES.syllableCampaigns, 10)
    const down = await cac(['plan', '--format', 'github'])
    expectNoCrash(down)
    expect(down.code).toBe(1)
    const failure = `syllable → ${sandbox.url}: GET /api/v1/outbound/campaigns → 500: Internal Server Error`
    expect(linesOf(down.stdout)).toEqual([`::error title=cac plan failed::${failure}`])
    expect(down.stderr).toBe(`Error: ${failure}\n`)
  })

  it('apply: an error at the definition of a failed change with the platform message, a warning for its skipped dependant, plain lines for the rest; then it converges', async ({ onTestFinished }) => {
    const { project, cac, sandbox } = await applied(onTestFinished, { [SYLLABLE_FILE]: documents(syllableCampaignDoc('Existing'), syllableBatchDoc('existing-1', 'Existing')) })
    const grown = documents(syllableCampaignDoc('Existing'), syllableBatchDoc('existing-1', 'Existing', { call_rate: 7 }), syllableCampaignDoc('Doomed', { caller_id: '+19995550002' }), syllableBatchDoc('doomed-1', 'Doomed'))
    await writeFile(join(project, SYLLABLE_FILE), grown)
    const [, , doomedLine, doomedBatchLine] = kindLines(grown)
    await sandbox.scheduleFault('error500', ROUTES.createSyllableCampaign, 10)

    const apply = await cac(['apply', '--auto-approve', '--format', 'github'])
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    const lines = afterPlanGroup(apply.stdout)
    expect(lines.filter((line) => !line.startsWith('✓ '))).toEqual([
      `::error file=campaigns/syllable.yaml,line=${doomedLine},title=syllable/campaign/Doomed::failed syllable/campaign/Doomed: POST /api/v1/outbound/campaigns → 500: Internal Server Error`,
      `::warning file=campaigns/syllable.yaml,line=${doomedBatchLine},title=syllable/batch/doomed-1::skipped syllable/batch/doomed-1: syllable/campaign/Doomed was not applied`,
      'Apply incomplete: 0 created, 1 updated, 1 failed, 1 skipped, 1 unchanged.',
      'Run apply again to retry what did not complete; what succeeded is not repeated.',
    ])
    expect(applyLines(lines.join('\n'))).toEqual([{ outcome: 'updated', address: 'syllable/batch/existing-1', detail: expect.stringMatching(/^id existing-1, \d+ ms$/) }])

    await sandbox.clearFaults()
    const retried = await cac(['apply', '--auto-approve', '--format', 'github'])
    expect(retried.code, retried.stdout).toBe(0)
    expect(afterPlanGroup(retried.stdout).at(-1)).toBe('Apply complete: 2 created, 0 updated, 2 unchanged.')
    await expectConverged(cac, sandbox)
  })

  it('apply PLANFILE: annotations point at where the project declares the change now, not where the plan was made', async ({ onTestFinished }) => {
    const { project, cac, sandbox } = await applied(onTestFinished, { [SYLLABLE_FILE]: syllableCampaignDoc('Existing') })
    const grown = documents(syllableCampaignDoc('Existing'), syllableCampaignDoc('Doomed', { caller_id: '+19995550002' }))
    await writeFile(join(project, SYLLABLE_FILE), grown)
    const [, doomedLine] = kindLines(grown)
    // Planned from the folder above, so the plan records `<project>/campaigns/syllable.yaml`.
    const planned = await runInProcess(['plan', '--config', `${basename(project)}/cac.yaml`, '--out', `${basename(project)}/plan.json`], { cwd: dirname(project), env: sandbox.env })
    expect(planned.code, planned.stderr).toBe(0)
    await sandbox.scheduleFault('error500', ROUTES.createSyllableCampaign, 10)

    const apply = await cac(['apply', 'plan.json', '--format', 'github'])
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    expect(afterPlanGroup(apply.stdout)).toEqual([
      `::error file=campaigns/syllable.yaml,line=${doomedLine},title=syllable/campaign/Doomed::failed syllable/campaign/Doomed: POST /api/v1/outbound/campaigns → 500: Internal Server Error`,
      'Apply incomplete: 0 created, 0 updated, 1 failed, 1 unchanged.',
      'Run apply again to retry what did not complete; what succeeded is not repeated.',
    ])

    // A plan the platform moved away from is refused, each stale change at its definition.
    await sandbox.clearFaults()
    await editSyllableCampaign(sandbox.request, 'Existing', { hourly_rate: 9 })
    await writeFile(join(project, SYLLABLE_FILE), documents(syllableCampaignDoc('Existing', { hourly_rate: 5 }), syllableCampaignDoc('Doomed', { caller_id: '+19995550002' })))
    expect((await cac(['plan', '--out', 'plan.json'])).code).toBe(0)
    await editSyllableCampaign(sandbox.request, 'Existing', { hourly_rate: 10 })
    const stale = await cac(['apply', 'plan.json', '--format', 'github'])
    expect(stale.code).toBe(1)
    expect(afterPlanGroup(stale.stdout)).toEqual([
      expect.stringMatching(/^::error file=campaigns\/syllable\.yaml,line=1,title=syllable\/campaign\/Existing::stale syllable\/campaign\/Existing: changed on the platform since the plan .*hourly_rate$/),
    ])

    expect((await cac(['apply', '--auto-approve', '--format', 'github'])).code).toBe(0)
    await expectConverged(cac, sandbox)
  })
})
