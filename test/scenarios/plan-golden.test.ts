import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { documents, sarvamCampaignDoc, syllableBatchDoc, syllableCampaignDoc } from '../helpers/definitions.js'
import { startInProcessSandbox } from '../helpers/external-sandbox.js'
import { cacInProcess } from '../helpers/plan-apply.js'
import { REPO_ROOT } from '../helpers/run-cli.js'
import { tempProject } from '../helpers/temp-project.js'

/**
 * The plan of a generated project, byte for byte, against files kept in test/fixtures/plan-golden:
 * work that makes planning faster must not change what it says. Every kind of change is in it
 * (create, update, noop, create-only error, unmanaged), with values in the forms normalising
 * makes equal. `CAC_UPDATE_GOLDEN=1` rewrites the files after a deliberate change of the output.
 */
const GOLDEN = join(REPO_ROOT, 'test/fixtures/plan-golden')
const SECRET = Buffer.alloc(32, 3).toString('base64')

function campaign(i: number, edited: boolean): string {
  const webhook = { url: `https://hooks.example.com/${i}`, request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_values: { hmac_secret: '${env:GOLDEN_HMAC_SECRET}' } }
  return syllableCampaignDoc(`Golden ${String(i).padStart(2, '0')}`, {
    caller_id: `+1999555${String(1000 + i)}`,
    hourly_rate: edited && i % 3 === 0 ? 40 + i : 20 + i,
    campaign_variables: { region: i % 2 === 0 ? 'us-east' : 'eu-west', cohort: String(i), ...(edited && i % 5 === 0 ? { added: 'yes' } : {}) },
    active_days: i % 2 === 0 ? ['mon', 'tue', 'wed'] : ['wed', 'mon'],
    daily_start_time: i % 2 === 0 ? '09:00:00' : '9:00',
    daily_end_time: '17:00:00',
    ...(i % 4 === 0 ? { labels: ['golden', `group-${i % 3}`] } : {}),
    ...(i % 6 === 0 ? { webhooks: [webhook] } : {}),
  })
}

function project(edited: boolean): Record<string, string> {
  const syllable: string[] = []
  for (let i = 0; i < 24; i += 1) {
    if (edited && i === 23) continue // declared no more: unmanaged
    syllable.push(campaign(i, edited), syllableBatchDoc(`golden-${i}`, `Golden ${String(i).padStart(2, '0')}`, { call_rate: edited && i % 4 === 1 ? 9 : 5, expires_on: '2027-01-31T00:00:00-05:00' }))
  }
  if (edited) syllable.push(campaign(30, false), syllableBatchDoc('golden-30', 'Golden 30', { call_rate: 7 }))
  const sarvam = [0, 1, 2].map((i) =>
    sarvamCampaignDoc(`golden-sarvam-${i}`, {
      description: edited && i === 1 ? 'edited' : 'as created',
      ...(edited && i === 2 ? { start_timestamp: '2026-11-26T00:00:00Z' } : {}),
    }),
  )
  return { 'campaigns/syllable.yaml': documents(...syllable), 'campaigns/sarvam.yaml': documents(...sarvam) }
}

async function expectGolden(name: string, actual: string): Promise<void> {
  const file = join(GOLDEN, name)
  if (process.env.CAC_UPDATE_GOLDEN === '1') await writeFile(file, actual)
  expect(actual, `${name} differs from test/fixtures/plan-golden/${name}`).toBe(await readFile(file, 'utf8'))
}

describe('the plan of a generated project is the same byte for byte', () => {
  it('as text, as JSON and as a saved plan file', async ({ onTestFinished }) => {
    const dir = await tempProject(project(false), { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const cac = cacInProcess(dir, { ...sandbox.env, GOLDEN_HMAC_SECRET: SECRET })
    // One create at a time: ids follow the files' order, so the live side is the same on every run.
    expect((await cac(['apply', '--auto-approve', '--parallelism', '1'])).code).toBe(0)
    for (const [path, text] of Object.entries(project(true))) await writeFile(join(dir, path), text)

    const portless = (text: string) => text.split(sandbox.url).join('http://sandbox.test')
    const text = await cac(['plan'])
    expect(text.code, text.stderr).toBe(1) // the create-only change is an error
    await expectGolden('plan.txt', portless(text.stdout))
    const json = await cac(['plan', '--format', 'json'])
    await expectGolden('plan.json', portless(json.stdout))
    await cac(['plan', '--out', 'plan.saved.json'])
    // When the plan was made, and the checksum that covers it, differ from run to run.
    const saved = portless(await readFile(join(dir, 'plan.saved.json'), 'utf8'))
      .replace(/"created_at": "[^"]+"/, '"created_at": "(when planned)"')
      .replace(/"checksum": "[^"]+"/, '"checksum": "(over the above)"')
    await expectGolden('plan.saved.json', saved)
    expect(text.stdout).not.toContain(SECRET)
  })
})
