import { describe, expect, it } from 'vitest'

import { expectNoCrash } from '../helpers/cli-output.js'
import { documents, sarvamCampaignDoc, syllableBatchDoc, syllableCampaignDoc } from '../helpers/definitions.js'
import { createSyllableCampaign, ROUTES, startInProcessSandbox, syllableCampaign } from '../helpers/external-sandbox.js'
import { applyLines, applySummary, cacInProcess, expectConverged, planSummary } from '../helpers/plan-apply.js'
import { tempProject } from '../helpers/temp-project.js'

const FILES = {
  'campaigns/syllable.yaml': documents(
    syllableCampaignDoc('Alpha'),
    syllableBatchDoc('alpha-1', 'Alpha'),
    syllableCampaignDoc('Beta', { caller_id: '+19995550002' }),
    syllableBatchDoc('beta-1', 'Beta'),
  ),
  'campaigns/sarvam.yaml': sarvamCampaignDoc('reminders-hi'),
}

/** The addresses a text plan lists as changes, in order. */
const listed = (stdout: string) => [...stdout.matchAll(/^[+~!✗] \w+ +(\S.*?)(?::.*)?$/gm)].map((match) => match[1])

describe.concurrent('cac plan / apply --target', { timeout: 180_000 }, () => {
  it.for([
    ['syllable/campaign/*', ['syllable/campaign/Alpha', 'syllable/campaign/Beta']],
    ['sarvam/*', ['sarvam/campaign/reminders-hi']],
    ['*/Alpha', ['syllable/campaign/Alpha']],
    ['syllable/campaign/?lpha', ['syllable/campaign/Alpha']],
  ] as const)('plan --target %s lists only the matching addresses', async ([glob, expected], { onTestFinished }) => {
    const project = await tempProject(FILES, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)

    const plan = await cacInProcess(project, sandbox.env)(['plan', '--target', glob])
    expectNoCrash(plan)
    expect(plan.code).toBe(0)
    expect(listed(plan.stdout)).toEqual(expected)
    expect(planSummary(plan.stdout)).toBe(`Plan: ${expected.length} to create, 0 to update, 0 unchanged.`)
  })

  it('a --target that matches nothing is an error naming the closest address (matching is case-sensitive), and nothing is planned', async ({ onTestFinished }) => {
    const project = await tempProject(FILES, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const cac = cacInProcess(project, sandbox.env)
    for (const command of [['plan'], ['apply', '--auto-approve'], ['drift']]) {
      const result = await cac([...command, '--target', 'syllable/campaign/alpha', '--target', 'sarvam/*'])
      expectNoCrash(result)
      expect(result.code, command.join(' ')).toBe(1)
      expect(result.stdout).toBe('')
      expect(result.stderr).toBe('Error: --target "syllable/campaign/alpha" matches no resource the files declare or the platforms hold (did you mean "syllable/campaign/Alpha"?)\n')
    }
    expect(await sandbox.writeRoutes()).toEqual({})
  })

  it('several --target globs add up', async ({ onTestFinished }) => {
    const project = await tempProject(FILES, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const plan = await cacInProcess(project, sandbox.env)(['plan', '--target', 'sarvam/*', '--target', 'syllable/*/Beta', '--target', 'syllable/batch/beta-1'])
    expect(listed(plan.stdout)).toEqual(['sarvam/campaign/reminders-hi', 'syllable/batch/beta-1', 'syllable/campaign/Beta'])
  })

  it('a --target that leaves out a campaign a new batch needs makes the batch an error, and apply refuses', async ({ onTestFinished }) => {
    const project = await tempProject(FILES, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const cac = cacInProcess(project, sandbox.env)

    const plan = await cac(['plan', '--target', 'syllable/batch/*'])
    expectNoCrash(plan)
    expect(plan.code).toBe(1)
    expect(plan.stdout).toContain(
      '✗ error  syllable/batch/alpha-1: it needs syllable/campaign/Alpha, which neither exists nor is declared (or --target left it out)\n',
    )
    const apply = await cac(['apply', '--auto-approve', '--target', 'syllable/batch/*'])
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    expect(apply.stderr).toBe(
      'Error: nothing was applied: the plan has 2 changes in error (syllable/batch/alpha-1, syllable/batch/beta-1); fix them first\n',
    )
    expect(await sandbox.writeRoutes()).toEqual({})
  })

  it('apply --target changes only the matching resources; a later apply does the rest', async ({ onTestFinished }) => {
    const project = await tempProject(FILES, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const cac = cacInProcess(project, sandbox.env)

    const first = await cac(['apply', '--auto-approve', '--target', 'syllable/*/Alpha', '--target', 'syllable/*/alpha-1'])
    expectNoCrash(first)
    expect(first.code, first.stderr).toBe(0)
    expect(applyLines(first.stdout).map((line) => line.address)).toEqual(['syllable/campaign/Alpha', 'syllable/batch/alpha-1'])
    expect(await sandbox.writeRoutes()).toEqual({ [ROUTES.createSyllableCampaign]: 1, [ROUTES.createSyllableBatch]: 1 })

    const plan = await cac(['plan'])
    expect(listed(plan.stdout)).toEqual(['sarvam/campaign/reminders-hi', 'syllable/batch/beta-1', 'syllable/campaign/Beta'])
    expect(planSummary(plan.stdout)).toBe('Plan: 3 to create, 0 to update, 2 unchanged.')

    const rest = await cac(['apply', '--auto-approve'])
    expect(rest.code, rest.stderr).toBe(0)
    expect(applySummary(rest.stdout)).toBe('Apply complete: 3 created, 0 updated, 2 unchanged.')
    await expectConverged(cac, sandbox)
  })

  it('apply leaves a resource no file declares alone (listed as unmanaged, never written)', async ({ onTestFinished }) => {
    const project = await tempProject(FILES, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const made = await createSyllableCampaign(sandbox.request, 'Console Made', { hourly_rate: 7 })
    const cac = cacInProcess(project, sandbox.env)

    const apply = await cac(['apply', '--auto-approve'])
    expectNoCrash(apply)
    expect(apply.code, apply.stderr).toBe(0)
    expect(apply.stdout).toContain(`Unmanaged (on the platform, in no file; left alone):\n  syllable/campaign/Console Made  (id ${made.id})\n`)
    expect(applyLines(apply.stdout).map((line) => line.address)).not.toContain('syllable/campaign/Console Made')
    expect(await syllableCampaign(sandbox.request, 'Console Made')).toMatchObject({ id: made.id, hourly_rate: 7, updated_at: made.updated_at })

    // Targeting the managed ones only: the unmanaged campaign is not even listed.
    const targeted = await cac(['plan', '--target', 'syllable/campaign/A*'])
    expect(targeted.stdout).not.toContain('Console Made')
    await expectConverged(cac, sandbox)
  })
})
