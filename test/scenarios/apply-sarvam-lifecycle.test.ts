import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { expectNoCrash } from '../helpers/cli-output.js'
import { sarvamCampaignDoc, syllableCampaignDoc, UNTIL_ACTIVE_SECONDS } from '../helpers/definitions.js'
import { ROUTES, sarvamCampaign, startInProcessSandbox, syllableCampaign, type ExternalSandbox } from '../helpers/external-sandbox.js'
import { applyLines, applySummary, cacInProcess, expectConverged, planSummary, type Cac } from '../helpers/plan-apply.js'
import { startRecordingProxy } from '../helpers/recording-proxy.js'
import { tempProject } from '../helpers/temp-project.js'

const SARVAM_FILE = 'campaigns/sarvam.yaml'
const ACTIVE_REASON =
  'campaign is active: updates are only allowed when it is scheduled or paused; run apply with --pause-to-update to pause it, update it, and resume it'

interface Setup {
  project: string
  cac: Cac
  sandbox: ExternalSandbox
  /** Rewrites the Sarvam campaign's file. */
  edit: (fields: Record<string, unknown>) => Promise<void>
}

/** reminders-hi (and a Syllable campaign) created on an external sandbox; `seconds` later on its clock. */
async function createdCampaign(onTestFinished: (cleanup: () => Promise<void>) => void, seconds = 0): Promise<Setup> {
  const project = await tempProject(
    { [SARVAM_FILE]: sarvamCampaignDoc('reminders-hi', { description: 'first' }), 'campaigns/syllable.yaml': syllableCampaignDoc('Alpha') },
    { onTestFinished },
  )
  const sandbox = await startInProcessSandbox(onTestFinished)
  const cac = cacInProcess(project, sandbox.env)
  expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
  if (seconds > 0) await sandbox.advanceClock(seconds)
  const edit = (fields: Record<string, unknown>) =>
    writeFile(join(project, SARVAM_FILE), sarvamCampaignDoc('reminders-hi', { description: 'first', ...fields }))
  return { project, cac, sandbox, edit }
}

describe.concurrent('cac plan / apply and the Sarvam campaign lifecycle', { timeout: 180_000 }, () => {
  it('an active campaign is blocked without --pause-to-update: plan says why, apply changes nothing for it and exits 1, the rest is applied', async ({ onTestFinished }) => {
    const { project, cac, sandbox, edit } = await createdCampaign(onTestFinished, UNTIL_ACTIVE_SECONDS)
    expect(await sarvamCampaign(sandbox.request, 'reminders-hi')).toMatchObject({ status: 'active' })
    await edit({ description: 'second' })
    await writeFile(join(project, 'campaigns/syllable.yaml'), syllableCampaignDoc('Alpha', { hourly_rate: 30 }))

    const plan = await cac(['plan', '--detailed-exitcode'])
    expectNoCrash(plan)
    expect(plan.code).toBe(2)
    expect(plan.stdout).toContain(`! blocked  sarvam/campaign/reminders-hi: ${ACTIVE_REASON}\n      description: "first" → "second"\n`)
    expect(planSummary(plan.stdout)).toBe('Plan: 0 to create, 1 to update, 1 blocked, 0 unchanged.')

    await sandbox.resetCounters()
    const apply = await cac(['apply', '--auto-approve'])
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    expect(applyLines(apply.stdout)).toEqual([expect.objectContaining({ outcome: 'updated', address: 'syllable/campaign/Alpha' })])
    expect(apply.stdout).toContain(`Not attempted:\n  sarvam/campaign/reminders-hi: blocked: ${ACTIVE_REASON}\n`)
    expect(applySummary(apply.stdout)).toBe('Apply incomplete: 0 created, 1 updated, 1 blocked, 0 unchanged.')
    expect(await sandbox.writeRoutes()).toEqual({ [ROUTES.putSyllableCampaign]: 1 })
    expect(await sarvamCampaign(sandbox.request, 'reminders-hi')).toMatchObject({ status: 'active', description: 'first' })
    expect((await syllableCampaign(sandbox.request, 'Alpha')).hourly_rate).toBe(30)
  })

  it('with --pause-to-update an active campaign is paused, patched and resumed: it converges and is active again', async ({ onTestFinished }) => {
    const { cac, sandbox, edit } = await createdCampaign(onTestFinished, UNTIL_ACTIVE_SECONDS)
    await edit({ description: 'second' })

    const plan = await cac(['plan', '--pause-to-update', '--detailed-exitcode'])
    expectNoCrash(plan)
    expect(plan.code).toBe(2)
    expect(plan.stdout).toContain('~ update  sarvam/campaign/reminders-hi\n      description: "first" → "second"\n')
    expect(planSummary(plan.stdout)).toBe('Plan: 0 to create, 1 to update, 1 unchanged.')

    await sandbox.resetCounters()
    const apply = await cac(['apply', '--auto-approve', '--pause-to-update'])
    expectNoCrash(apply)
    expect(apply.code, apply.stderr).toBe(0)
    expect(applyLines(apply.stdout)).toEqual([
      { outcome: 'updated', address: 'sarvam/campaign/reminders-hi', detail: expect.stringMatching(/^id camp-\w+, paused, patched, resumed, \d+ ms$/) },
    ])
    expect(await sandbox.writeRoutes()).toEqual({ [ROUTES.sarvamStatus]: 2, [ROUTES.patchSarvamCampaign]: 1 })
    expect(await sarvamCampaign(sandbox.request, 'reminders-hi')).toMatchObject({ status: 'active', description: 'second' })

    await expectConverged(cac, sandbox)
  })

  it('with --pause-to-update, a PATCH that keeps failing still leaves the campaign resumed (active); the next apply converges', async ({ onTestFinished }) => {
    const { cac, sandbox, edit } = await createdCampaign(onTestFinished, UNTIL_ACTIVE_SECONDS)
    await edit({ description: 'second' })
    await sandbox.scheduleFault('error500', ROUTES.patchSarvamCampaign, 10)

    await sandbox.resetCounters()
    const apply = await cac(['apply', '--auto-approve', '--pause-to-update'])
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    expect(applyLines(apply.stdout)).toEqual([expect.objectContaining({ outcome: 'failed', address: 'sarvam/campaign/reminders-hi' })])
    expect(await sandbox.writeRoutes()).toMatchObject({ [ROUTES.sarvamStatus]: 2 })
    expect(await sarvamCampaign(sandbox.request, 'reminders-hi')).toMatchObject({ status: 'active', description: 'first' })

    await sandbox.clearFaults()
    const next = await cac(['apply', '--auto-approve', '--pause-to-update'])
    expect(next.code, next.stderr).toBe(0)
    expect(await sarvamCampaign(sandbox.request, 'reminders-hi')).toMatchObject({ status: 'active', description: 'second' })
    await expectConverged(cac, sandbox)
  })

  it('a plan saved with --pause-to-update is applied as it was made: paused, patched, resumed', async ({ onTestFinished }) => {
    const { cac, sandbox, edit } = await createdCampaign(onTestFinished, UNTIL_ACTIVE_SECONDS)
    await edit({ description: 'second' })

    const plan = await cac(['plan', '--pause-to-update', '--out', 'plan.json'])
    expectNoCrash(plan)
    expect(plan.code).toBe(0)
    expect(plan.stdout).toContain('~ update  sarvam/campaign/reminders-hi\n')

    const apply = await cac(['apply', 'plan.json'])
    expectNoCrash(apply)
    expect(apply.code, `${apply.stdout}${apply.stderr}`).toBe(0)
    expect(applyLines(apply.stdout)).toEqual([
      { outcome: 'updated', address: 'sarvam/campaign/reminders-hi', detail: expect.stringMatching(/^id camp-\w+, paused, patched, resumed, \d+ ms$/) },
    ])
    expect(await sarvamCampaign(sandbox.request, 'reminders-hi')).toMatchObject({ status: 'active', description: 'second' })
    await expectConverged(cac, sandbox)
  })

  it.for([
    ['scheduled (before its start)', 0, 'scheduled'],
    ['active (after its start)', UNTIL_ACTIVE_SECONDS, 'active'],
  ] as const)('a campaign that is %s: paused: true in the file pauses it, paused: false resumes it', async ([, seconds, status], { onTestFinished }) => {
    const { cac, sandbox, edit } = await createdCampaign(onTestFinished, seconds)
    expect(await sarvamCampaign(sandbox.request, 'reminders-hi')).toMatchObject({ status })

    await edit({ paused: true })
    const plan = await cac(['plan'])
    expect(plan.stdout).toContain('~ update  sarvam/campaign/reminders-hi\n      paused: false → true\n')
    await sandbox.resetCounters()
    const pause = await cac(['apply', '--auto-approve'])
    expectNoCrash(pause)
    expect(pause.code, pause.stderr).toBe(0)
    expect(applyLines(pause.stdout)).toEqual([expect.objectContaining({ outcome: 'updated', detail: expect.stringMatching(/^id camp-\w+, paused, \d+ ms$/) })])
    expect(await sandbox.writeRoutes()).toEqual({ [ROUTES.sarvamStatus]: 1 })
    expect(await sarvamCampaign(sandbox.request, 'reminders-hi')).toMatchObject({ status: 'paused' })
    await expectConverged(cac, sandbox)

    await edit({ paused: false })
    const resume = await cac(['apply', '--auto-approve'])
    expectNoCrash(resume)
    expect(resume.code, resume.stderr).toBe(0)
    expect(applyLines(resume.stdout)).toEqual([expect.objectContaining({ outcome: 'updated', detail: expect.stringMatching(/^id camp-\w+, resumed, \d+ ms$/) })])
    expect(await sarvamCampaign(sandbox.request, 'reminders-hi')).toMatchObject({ status })
    await expectConverged(cac, sandbox)
  })

  it('pausing an active campaign in the file lets its other changes through without --pause-to-update (paused, then patched)', async ({ onTestFinished }) => {
    const { cac, sandbox, edit } = await createdCampaign(onTestFinished, UNTIL_ACTIVE_SECONDS)
    await edit({ paused: true, description: 'second' })

    const apply = await cac(['apply', '--auto-approve'])
    expectNoCrash(apply)
    expect(apply.code, apply.stderr).toBe(0)
    expect(applyLines(apply.stdout)).toEqual([expect.objectContaining({ detail: expect.stringMatching(/^id camp-\w+, paused, patched, \d+ ms$/) })])
    expect(await sarvamCampaign(sandbox.request, 'reminders-hi')).toMatchObject({ status: 'paused', description: 'second' })
    await expectConverged(cac, sandbox)
  })

  it('an update PATCHes only the fields that changed', async ({ onTestFinished }) => {
    const { cac, sandbox, edit } = await createdCampaign(onTestFinished)
    const proxy = await startRecordingProxy(sandbox.url)
    onTestFinished(() => proxy.close())
    await edit({
      description: 'second',
      allowed_schedule: { allowed_start_time: '10:00', allowed_end_time: '18:00', allowed_days: ['Monday', 'Tuesday', 'Wednesday'], timezone: 'Asia/Kolkata' },
    })

    const apply = await cac(['apply', '--auto-approve'], { SARVAM_API_URL: proxy.url })
    expectNoCrash(apply)
    expect(apply.code, apply.stderr).toBe(0)
    expect(apply.stdout).toContain('      allowed_schedule.allowed_end_time: "19:00" → "18:00"\n      description: "first" → "second"\n')
    const patches = proxy.requests.filter((request) => request.method === 'PATCH')
    expect(patches).toHaveLength(1)
    expect(patches[0]!.body).toEqual({
      description: 'second',
      allowed_schedule: { allowed_start_time: '10:00', allowed_end_time: '18:00', allowed_days: ['Monday', 'Tuesday', 'Wednesday'], timezone: 'Asia/Kolkata' },
    })
    expect(proxy.requests.filter((request) => request.method !== 'GET' && request.method !== 'PATCH')).toEqual([])
    await expectConverged(cac, sandbox)
  })

  it('an ended campaign is blocked, --pause-to-update or not', async ({ onTestFinished }) => {
    const { cac, sandbox, edit } = await createdCampaign(onTestFinished, 30 * 24 * 3600)
    expect(await sarvamCampaign(sandbox.request, 'reminders-hi')).toMatchObject({ status: 'ended' })
    await edit({ description: 'second' })

    await sandbox.resetCounters()
    const apply = await cac(['apply', '--auto-approve', '--pause-to-update'])
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    expect(apply.stdout).toContain('! blocked  sarvam/campaign/reminders-hi: campaign has ended: it can no longer be changed\n')
    expect(applySummary(apply.stdout)).toBe('Apply incomplete: 0 created, 0 updated, 1 blocked, 1 unchanged.')
    expect(await sandbox.writeRoutes()).toEqual({})
  })

  it('a changed start_timestamp (create-only) is an error: plan exits 1, apply refuses the whole plan and sends nothing', async ({ onTestFinished }) => {
    const { project, cac, sandbox, edit } = await createdCampaign(onTestFinished)
    await edit({ start_timestamp: '2026-11-26T00:00:00Z' })
    await writeFile(join(project, 'campaigns/syllable.yaml'), syllableCampaignDoc('Alpha', { hourly_rate: 30 }))

    const plan = await cac(['plan', '--detailed-exitcode'])
    expectNoCrash(plan)
    expect(plan.code).toBe(1)
    expect(plan.stdout).toContain(
      '✗ error  sarvam/campaign/reminders-hi: start_timestamp can only be set when the campaign is created\n' +
        '      start_timestamp: "2026-11-25T00:00:00Z" → "2026-11-26T00:00:00Z"\n',
    )
    expect(planSummary(plan.stdout)).toBe('Plan: 0 to create, 1 to update, 1 in error, 0 unchanged.')

    await sandbox.resetCounters()
    const apply = await cac(['apply', '--auto-approve'])
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    expect(apply.stderr).toBe('Error: nothing was applied: the plan has 1 change in error (sarvam/campaign/reminders-hi); fix them first\n')
    expect(await sandbox.writeRoutes()).toEqual({})
  })
})
