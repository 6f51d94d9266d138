import { describe, expect, it } from 'vitest'

import { LockError } from '../../src/lock/file-lock.js'
import { prepareApply, type ApplyRequest } from '../../src/workflow/apply-project.js'
import { planProject } from '../../src/workflow/plan-project.js'
import { documents, syllableBatchDoc, syllableCampaignDoc } from '../helpers/definitions.js'
import { startInProcessSandbox, type ExternalSandbox } from '../helpers/external-sandbox.js'
import { FAST_RETRY_POLICY } from '../helpers/fast-retry.js'
import { cacInProcess, expectConverged } from '../helpers/plan-apply.js'
import { cliEnv } from '../helpers/run-cli.js'
import { tempProject } from '../helpers/temp-project.js'

/**
 * The workflow owns the run: plan closes what it opened, and apply is two-phase — prepareApply
 * holds the project lock and the providers while the command shows the plan and asks, and
 * exactly one of execute or decline ends it, releasing both. Nothing is written before execute.
 */
const FILES = { 'campaigns/syllable.yaml': documents(syllableCampaignDoc('Phase A'), syllableBatchDoc('phase-a-1', 'Phase A')) }

function request(project: string, sandbox: ExternalSandbox, extra: Partial<ApplyRequest> = {}): ApplyRequest {
  return {
    cwd: project,
    env: cliEnv(sandbox.env),
    options: { pauseToUpdate: false },
    forceSandbox: false,
    parallelism: 4,
    retry: FAST_RETRY_POLICY,
    lockTimeoutMs: 0,
    ...extra,
  }
}

describe('apply in two phases', () => {
  it('a prepared apply holds the lock and writes nothing; decline releases it; execute applies and releases it', async ({ onTestFinished }) => {
    const project = await tempProject(FILES, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)

    const first = await prepareApply(request(project, sandbox))
    expect(first.kind).toBe('ready')
    if (first.kind !== 'ready') return
    expect(first.needsConfirmation).toBe(true)
    expect(first.plan.summary).toMatchObject({ create: 2, update: 0 })
    await expect(prepareApply(request(project, sandbox)), 'a second apply while the first is prepared').rejects.toThrow(LockError)
    expect(await sandbox.writeRoutes(), 'nothing written before execute').toEqual({})
    expect(await first.decline()).toMatchObject({ kind: 'declined' })
    expect(await sandbox.writeRoutes()).toEqual({})

    const second = await prepareApply(request(project, sandbox))
    expect(second.kind, 'the lock was released by decline').toBe('ready')
    if (second.kind !== 'ready') return
    const events: string[] = []
    const outcome = await second.execute((event) => events.push(`${event.type} ${event.change.address}`))
    expect(outcome.kind).toBe('applied')
    if (outcome.kind !== 'applied') return
    expect(outcome.result.succeeded).toHaveLength(2)
    expect(events.filter((event) => event.startsWith('success'))).toEqual(['success syllable/campaign/Phase A', 'success syllable/batch/phase-a-1'])

    const third = await prepareApply(request(project, sandbox))
    expect(third.kind, 'the lock was released by execute').toBe('ready')
    if (third.kind === 'ready') {
      expect(third.needsConfirmation, 'nothing left to confirm').toBe(false)
      expect(await third.execute()).toMatchObject({ kind: 'applied' })
    }
    await expectConverged(cacInProcess(project, sandbox.env), sandbox)
  })

  it('a stop (a change in error) has released the lock and the providers already', async ({ onTestFinished }) => {
    // The batch's campaign is left out by --target: the batch is an error, and apply refuses the plan.
    const project = await tempProject(FILES, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const refused = await prepareApply(request(project, sandbox, { targets: ['syllable/batch/*'] }))
    expect(refused).toMatchObject({ kind: 'refused' })
    expect((await prepareApply(request(project, sandbox, { targets: ['syllable/batch/*'] }))).kind, 'no lock left behind').toBe('refused')
    expect(await sandbox.writeRoutes()).toEqual({})
  })

  it('plan reads through a read-only session and hands back only the plan', async ({ onTestFinished }) => {
    const project = await tempProject(FILES, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const outcome = await planProject(request(project, sandbox))
    expect(outcome.kind).toBe('planned')
    expect(Object.keys(outcome).sort()).toEqual(['kind', 'notes', 'plan'])
    expect(await sandbox.writeRoutes()).toEqual({})
  })
})
