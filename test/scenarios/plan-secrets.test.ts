import { randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { expectNoCrash, expectNotPrinted } from '../helpers/cli-output.js'
import { syllableCampaignDoc } from '../helpers/definitions.js'
import { editSyllableCampaign, startInProcessSandbox, syllableCampaign } from '../helpers/external-sandbox.js'
import { applySummary, cacInProcess, expectConverged, planSummary, type JsonPlan } from '../helpers/plan-apply.js'
import type { CliResult } from '../helpers/run-cli.js'
import { tempProject } from '../helpers/temp-project.js'

const WEBHOOK = {
  url: 'https://hooks.example.com/renewals',
  request_method: 'POST',
  trigger_statuses: ['COMPLETED'],
  auth_values: { hmac_secret: '${env:SYLLABLE_HMAC_SECRET}' },
}
const file = (rate: number) => ({ 'campaigns/syllable.yaml': syllableCampaignDoc('Alpha', { hourly_rate: rate, webhooks: [WEBHOOK] }) })

// One at a time, each run knowing only the secrets it registered itself (freshSecrets), as a new
// process would: a secret another run registered must not mask this run's output.
describe('webhook secrets in plan and apply', { timeout: 180_000 }, () => {
  it('a real secret appears in no output of plan or apply (text, json, markdown), nor in the plan file, which names its variable', async ({ onTestFinished }) => {
    const secret = randomBytes(32).toString('base64') // what `openssl rand -base64 32` gives
    const project = await tempProject(file(10), { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const cac = cacInProcess(project, { ...sandbox.env, SYLLABLE_HMAC_SECRET: secret }, { freshSecrets: true })
    const outputs: CliResult[] = []
    const run = async (args: string[], env?: Record<string, string | undefined>) => {
      const result = await cac(args, env)
      expectNoCrash(result)
      outputs.push(result)
      return result
    }

    // The create: the plan shows the secret's field, masked.
    const text = await run(['plan', '--out', 'create.json'])
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('      webhooks[0].auth_values.hmac_secret: (sensitive)\n')
    const json = await run(['plan', '--format', 'json'])
    const alpha = (JSON.parse(json.stdout) as JsonPlan).changes.find((change) => change.address === 'syllable/campaign/Alpha')!
    expect(alpha.fields).toContainEqual({ path: 'webhooks[0].auth_values.hmac_secret', kind: 'add', before: null, after: '(sensitive)', sensitive: true })
    await run(['plan', '--format', 'markdown'])
    const created = await run(['apply', 'create.json'])
    expect(created.code, created.stderr).toBe(0)
    // It reached the platform (which keeps only the fact that one is set).
    expect((await syllableCampaign(sandbox.request, 'Alpha')).webhooks[0]!.auth_value_keys).toEqual(['hmac_secret'])

    // An update of the campaign sends the secret again; a stale plan reports without it.
    await writeFile(join(project, 'campaigns/syllable.yaml'), file(20)['campaigns/syllable.yaml'])
    expect((await run(['plan', '--out', 'update.json', '--format', 'markdown'])).code).toBe(0)
    await editSyllableCampaign(sandbox.request, 'Alpha', { retry_count: 2 })
    const stale = await run(['apply', 'update.json'])
    expect(stale.code).toBe(1)
    const update = await run(['apply', '--auto-approve', '--format', 'json'])
    expect(update.code, update.stderr).toBe(0)
    await run(['apply', '--auto-approve'])
    const last = await run(['plan', '--detailed-exitcode'])
    expect(planSummary(last.stdout)).toBe('No changes. Plan: 0 to create, 0 to update, 1 unchanged.')

    for (const output of outputs) expectNotPrinted(output, secret)
    for (const name of ['create.json', 'update.json']) {
      const saved = await readFile(join(project, name), 'utf8')
      expect(saved.includes(secret), `${name} does not hold the secret`).toBe(false)
      const change = (JSON.parse(saved) as { changes: { address: string; desired: { webhooks: { auth_values: unknown }[] } }[] }).changes.find(
        (c) => c.address === 'syllable/campaign/Alpha',
      )!
      expect(change.desired.webhooks[0]!.auth_values).toEqual({ hmac_secret: { $env: 'SYLLABLE_HMAC_SECRET' } })
    }
    // Nor does the platform echo it back.
    expect((await sandbox.request('GET', '/__sandbox/state')).text.includes(secret)).toBe(false)
    await expectConverged(cac, sandbox)
  })

  it('a saved plan that sends a secret is refused when its variable is not set at apply time, before any request', async ({ onTestFinished }) => {
    const secret = randomBytes(32).toString('base64')
    const project = await tempProject(file(10), { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const cac = cacInProcess(project, { ...sandbox.env, SYLLABLE_HMAC_SECRET: secret }, { freshSecrets: true })
    expect((await cac(['plan', '--out', 'plan.json'])).code).toBe(0)

    await sandbox.resetCounters()
    const apply = await cac(['apply', 'plan.json'], { SYLLABLE_HMAC_SECRET: undefined })
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    expect(apply.stderr).toBe(
      'Error: nothing was applied: environment variable SYLLABLE_HMAC_SECRET must be set: the plan sends this secret\n',
    )
    expect((await sandbox.counters()).total).toBe(0)

    // With the variable set again, the same plan applies.
    const retry = await cac(['apply', 'plan.json'])
    expect(retry.code, retry.stderr).toBe(0)
    expect(applySummary(retry.stdout)).toBe('Apply complete: 1 created, 0 updated, 0 unchanged.')
  })
})
