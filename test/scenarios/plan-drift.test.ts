import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { expectNoCrash, expectNotPrinted } from '../helpers/cli-output.js'
import { documents, sarvamCampaignDoc, syllableBatchDoc, syllableCampaignDoc } from '../helpers/definitions.js'
import {
  editSarvamCampaign,
  createSyllableCampaign,
  editSyllableCampaign,
  ROUTES,
  sarvamCampaign,
  startInProcessSandbox,
  SYLLABLE_BATCHES,
  syllableCampaign,
  type ExternalSandbox,
  type SandboxRequest,
} from '../helpers/external-sandbox.js'
import { applyLines, applySummary, cacInProcess, expectConverged, planSummary, type Cac, type JsonPlan } from '../helpers/plan-apply.js'
import { tempProject } from '../helpers/temp-project.js'

// Alpha (with batch alpha-1) on Syllable and reminders-hi on Sarvam, applied; then edited behind git's back.
const FILES = {
  'campaigns/syllable.yaml': documents(
    syllableCampaignDoc('Alpha', { hourly_rate: 10, retry_count: 1 }),
    syllableBatchDoc('alpha-1', 'Alpha', { call_rate: 5, paused: false }),
  ),
  'campaigns/sarvam.yaml': sarvamCampaignDoc('reminders-hi', { description: 'Hindi reminders' }),
}

async function appliedProject(onTestFinished: (cleanup: () => Promise<void>) => void): Promise<{ cac: Cac; sandbox: ExternalSandbox }> {
  const project = await tempProject(FILES, { onTestFinished })
  const sandbox = await startInProcessSandbox(onTestFinished)
  const cac = cacInProcess(project, sandbox.env)
  const apply = await cac(['apply', '--auto-approve'])
  expect(apply.code, `${apply.stdout}${apply.stderr}`).toBe(0)
  expect(applySummary(apply.stdout)).toBe('Apply complete: 3 created, 0 updated, 0 unchanged.')
  return { cac, sandbox }
}

interface DriftCase {
  what: string
  address: string
  /** The edit made directly through the platform's API. */
  drift: (request: SandboxRequest) => Promise<unknown>
  field: string
  before: unknown
  after: unknown
  /** The one write apply sends to restore the file's value. */
  write: string
  /** The live value after apply. */
  restored: (request: SandboxRequest) => Promise<unknown>
}

const DRIFTS: DriftCase[] = [
  {
    what: 'Syllable campaign hourly_rate, set by a full PUT',
    address: 'syllable/campaign/Alpha',
    drift: (request) => editSyllableCampaign(request, 'Alpha', { hourly_rate: 99 }),
    field: 'hourly_rate',
    before: 99,
    after: 10,
    write: ROUTES.putSyllableCampaign,
    restored: async (request) => (await syllableCampaign(request, 'Alpha')).hourly_rate,
  },
  {
    what: 'Syllable batch call_rate, set by a batch PUT',
    address: 'syllable/batch/alpha-1',
    drift: async (request) => {
      const { id } = await syllableCampaign(request, 'Alpha')
      const reply = await request('PUT', `${SYLLABLE_BATCHES}/alpha-1`, {
        json: { batch_id: 'alpha-1', campaign_id: id, last_updated_by: 'ops@example.com', call_rate: 50 },
      })
      expect(reply.status, reply.text).toBe(200)
    },
    field: 'call_rate',
    before: 50,
    after: 5,
    write: ROUTES.putSyllableBatch,
    restored: async (request) => ((await request('GET', `${SYLLABLE_BATCHES}/alpha-1`)).body as { call_rate: number }).call_rate,
  },
  {
    what: 'Sarvam campaign description, set by a PATCH',
    address: 'sarvam/campaign/reminders-hi',
    drift: (request) => editSarvamCampaign(request, 'reminders-hi', { description: 'edited in the console' }),
    field: 'description',
    before: 'edited in the console',
    after: 'Hindi reminders',
    write: ROUTES.patchSarvamCampaign,
    restored: async (request) => (await sarvamCampaign(request, 'reminders-hi')).description,
  },
]

describe.concurrent('cac plan shows drift field by field, and cac apply restores it', { timeout: 180_000 }, () => {
  it.for(DRIFTS.map((drift) => [drift.what, drift] as const))(
    '%s: plan names exactly that field (exit 2), apply restores it with one write',
    async ([, drift], { onTestFinished }) => {
      const { cac, sandbox } = await appliedProject(onTestFinished)
      await drift.drift(sandbox.request)

      await sandbox.resetCounters()
      const plan = await cac(['plan', '--detailed-exitcode'])
      expectNoCrash(plan)
      expect(plan.code).toBe(2)
      expect(plan.stdout).toContain(
        `~ update  ${drift.address}\n      ${drift.field}: ${JSON.stringify(drift.before)} → ${JSON.stringify(drift.after)}\n\n`,
      )
      expect(plan.stdout.match(/^[~+!✗] /gm), 'one change listed').toHaveLength(1)
      expect(planSummary(plan.stdout)).toBe('Plan: 0 to create, 1 to update, 2 unchanged.')

      const json = await cac(['plan', '--format', 'json'])
      expect(json.code).toBe(0)
      const changed = (JSON.parse(json.stdout) as JsonPlan).changes.filter((change) => change.action !== 'noop')
      expect(changed).toEqual([
        expect.objectContaining({
          address: drift.address,
          action: 'update',
          fields: [{ path: drift.field, kind: 'change', before: drift.before, after: drift.after, sensitive: false }],
        }),
      ])
      expect(await sandbox.writeRoutes(), 'plan never writes').toEqual({})

      const apply = await cac(['apply', '--auto-approve'])
      expectNoCrash(apply)
      expect(apply.code, apply.stderr).toBe(0)
      expect(applyLines(apply.stdout)).toEqual([expect.objectContaining({ outcome: 'updated', address: drift.address })])
      expect(applySummary(apply.stdout)).toBe('Apply complete: 0 created, 1 updated, 2 unchanged.')
      expect(await sandbox.writeRoutes()).toEqual({ [drift.write]: 1 })
      expect(await drift.restored(sandbox.request)).toEqual(drift.after)

      await expectConverged(cac, sandbox)
    },
  )

  it('ignores edits of fields no file declares: they are not managed', async ({ onTestFinished }) => {
    const { cac, sandbox } = await appliedProject(onTestFinished)
    await editSyllableCampaign(sandbox.request, 'Alpha', { description: 'set in the console', max_daily_calls: 40 })
    await editSarvamCampaign(sandbox.request, 'reminders-hi', { webhook_config: { url: 'https://hooks.example.com/console' } })

    const plan = await cac(['plan', '--detailed-exitcode'])
    expectNoCrash(plan)
    expect(plan.code).toBe(0)
    expect(planSummary(plan.stdout)).toBe('No changes. Plan: 0 to create, 0 to update, 3 unchanged.')
    await expectConverged(cac, sandbox)
    expect(await syllableCampaign(sandbox.request, 'Alpha')).toMatchObject({ description: 'set in the console', max_daily_calls: 40 })
    expect(await sarvamCampaign(sandbox.request, 'reminders-hi')).toMatchObject({ webhook_config: { url: 'https://hooks.example.com/console' } })
  })

  it('a webhook deleted in the console is planned back with its secret masked, and apply restores it with the secret', async ({ onTestFinished }) => {
    const webhook = {
      url: 'https://hooks.example.com/alpha',
      request_method: 'POST',
      trigger_statuses: ['COMPLETED'],
      auth_values: { hmac_secret: '${env:SYLLABLE_HMAC_SECRET}' },
    }
    const secret = Buffer.alloc(32, 9).toString('base64')
    const project = await tempProject({ 'campaigns/syllable.yaml': syllableCampaignDoc('Alpha', { webhooks: [webhook] }) }, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const cac = cacInProcess(project, { ...sandbox.env, SYLLABLE_HMAC_SECRET: secret })
    expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
    await editSyllableCampaign(sandbox.request, 'Alpha', { webhooks: [] })

    const plan = await cac(['plan', '--detailed-exitcode'])
    expectNoCrash(plan)
    expect(plan.code).toBe(2)
    expect(plan.stdout).toContain('~ update  syllable/campaign/Alpha\n')
    expect(plan.stdout).toContain('      webhooks[0]: (none) → {"url":"https://hooks.example.com/alpha",')
    const json = await cac(['plan', '--format', 'json'])
    const [change] = (JSON.parse(json.stdout) as JsonPlan).changes
    expect(change!.fields).toEqual([expect.objectContaining({ path: 'webhooks[0]', kind: 'add', before: null })])
    expectNotPrinted(plan, secret)
    expectNotPrinted(json, secret)

    const apply = await cac(['apply', '--auto-approve'])
    expect(apply.code, apply.stderr).toBe(0)
    expect((await syllableCampaign(sandbox.request, 'Alpha')).webhooks).toEqual([
      expect.objectContaining({ url: 'https://hooks.example.com/alpha', auth_value_keys: ['hmac_secret'] }),
    ])
    await expectConverged(cac, sandbox)
  })

  it('two live campaigns with the name a file declares: an error naming both ids; plan exits 1 and apply refuses', async ({ onTestFinished }) => {
    const project = await tempProject({ 'campaigns/syllable.yaml': syllableCampaignDoc('Alpha') }, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const first = await createSyllableCampaign(sandbox.request, 'Alpha')
    const second = await createSyllableCampaign(sandbox.request, 'Alpha')
    const cac = cacInProcess(project, sandbox.env)

    const plan = await cac(['plan'])
    expectNoCrash(plan)
    expect(plan.code).toBe(1)
    expect(plan.stdout).toContain(
      `✗ error  syllable/campaign/Alpha: 2 live resources have this identity (ids ${first.id}, ${second.id}); cac cannot tell which one the file means\n`,
    )
    await sandbox.resetCounters()
    const apply = await cac(['apply', '--auto-approve'])
    expect(apply.code).toBe(1)
    expect(apply.stderr).toBe('Error: nothing was applied: the plan has 1 change in error (syllable/campaign/Alpha); fix them first\n')
    expect(await sandbox.writeRoutes()).toEqual({})
  })

  it('reports a field changed in the file as before → after, and nothing else', async ({ onTestFinished }) => {
    const project = await tempProject(FILES, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const cac = cacInProcess(project, sandbox.env)
    expect((await cac(['apply', '--auto-approve'])).code).toBe(0)

    await writeFile(
      join(project, 'campaigns', 'syllable.yaml'),
      documents(
        syllableCampaignDoc('Alpha', { hourly_rate: 12, retry_count: 1, labels: ['spring'] }),
        syllableBatchDoc('alpha-1', 'Alpha', { call_rate: 5, paused: true }),
      ),
    )
    const plan = await cac(['plan', '--detailed-exitcode'])
    expectNoCrash(plan)
    expect(plan.code).toBe(2)
    expect(plan.stdout).toContain('~ update  syllable/batch/alpha-1\n      paused: false → true\n')
    expect(plan.stdout).toContain('~ update  syllable/campaign/Alpha\n      hourly_rate: 10 → 12\n      labels: null → ["spring"]\n')
    expect(planSummary(plan.stdout)).toBe('Plan: 0 to create, 2 to update, 1 unchanged.')

    const apply = await cac(['apply', '--auto-approve'])
    expect(apply.code, apply.stderr).toBe(0)
    expect(applySummary(apply.stdout)).toBe('Apply complete: 0 created, 2 updated, 1 unchanged.')
    await expectConverged(cac, sandbox)
  })
})
