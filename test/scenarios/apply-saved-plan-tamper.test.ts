import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { expectNoCrash } from '../helpers/cli-output.js'
import { documents, sarvamCampaignDoc, syllableBatchDoc, syllableCampaignDoc } from '../helpers/definitions.js'
import { ROUTES, sarvamCampaign, startInProcessSandbox, syllableCampaign, type ExternalSandbox } from '../helpers/external-sandbox.js'
import { applyLines, applySummary, cacInProcess, expectConverged, planSummary, type Cac } from '../helpers/plan-apply.js'
import type { CliResult } from '../helpers/run-cli.js'
import { writeProject } from '../helpers/temp-project.js'

/** Values that must never appear in any output. */
const HOOK_SECRET = Buffer.alloc(32, 7).toString('base64')
const API_KEY = 'sk-live-do-not-print-4f1c9a'

const SYLLABLE_FILE = 'campaigns/syllable.yaml'
const SARVAM_FILE = 'campaigns/sarvam.yaml'
const alpha = (fields: Record<string, unknown> = {}) =>
  syllableCampaignDoc('Alpha', {
    hourly_rate: 10,
    webhooks: [
      {
        url: 'https://hooks.example.com/alpha',
        request_method: 'POST',
        trigger_statuses: ['COMPLETED'],
        auth_values: { hmac_secret: '${env:HOOK_SECRET}' },
      },
    ],
    ...fields,
  })
const FILES = {
  [SYLLABLE_FILE]: documents(alpha(), syllableBatchDoc('alpha-1', 'Alpha', { call_rate: 5 })),
  [SARVAM_FILE]: sarvamCampaignDoc('reminders-hi'),
}

/** The plan file as JSON (only what the tampering touches is typed). */
interface PlanJson {
  targets: { provider: string; type: string; target: string; org_id?: string; workspace_id?: string }[]
  changes: { address: string; provider: string; name: string; kind: string; desired: Record<string, unknown>; fields: { path: unknown[]; after?: unknown }[] }[]
  checksum: string
  [field: string]: unknown
}

/** JSON with keys sorted at every level: what an attacker computes the checksum over. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${sortedJson((value as Record<string, unknown>)[key])}`)
    return `{${entries.join(',')}}`
  }
  return JSON.stringify(value)
}

/** Edits a plan and recomputes its checksum the way cac computes it (sha256 of the sorted body). */
function tamper(text: string, edit: (plan: PlanJson) => void): string {
  const plan = JSON.parse(text) as PlanJson
  edit(plan)
  const body = { format_version: plan.format_version, tool: plan.tool, options: plan.options, targets: plan.targets, changes: plan.changes }
  plan.checksum = `sha256:${createHash('sha256').update(sortedJson(body)).digest('hex')}`
  return `${JSON.stringify(plan, null, 2)}\n`
}

function change(plan: PlanJson, address: string): PlanJson['changes'][number] {
  const found = plan.changes.find((c) => c.address === address)
  if (!found) throw new Error(`no change ${address} in the plan`)
  return found
}

const ALPHA = 'syllable/campaign/Alpha'
const BATCH = 'syllable/batch/alpha-1'
const SARVAM = 'sarvam/campaign/reminders-hi'
/** Changes are sorted by address: sarvam first, then the batch, then the campaign. */
const ALPHA_LABEL = `changes[2] (${ALPHA})`

function webhook(plan: PlanJson): Record<string, unknown> {
  return (change(plan, ALPHA).desired.webhooks as Record<string, unknown>[])[0]!
}

interface Case {
  name: string
  edit: (plan: PlanJson, sandbox: ExternalSandbox) => void
  /** The exact error output, given the sandbox's URL. */
  stderr: (sandbox: ExternalSandbox) => string
  /** True when the refusal comes after re-reading the live state (a few GETs, still no write). */
  readsLive?: boolean
}

const rejected = (...problems: string[]) =>
  `Error: the saved plan tampered.json does not pass this project's checks; nothing was applied:\n` +
  problems.map((problem) => `  tampered.json: ${problem}\n`).join('')

const CASES: Case[] = [
  {
    name: 'a schema-invalid value (hourly_rate above the platform maximum)',
    edit: (plan) => void (change(plan, ALPHA).desired.hourly_rate = 5000),
    stderr: () => rejected(`${ALPHA_LABEL}: spec.hourly_rate: must be between 1 and 3600, got 5000`),
  },
  {
    name: 'a field the schema does not know',
    edit: (plan) => void (change(plan, ALPHA).desired.dial_everyone = true),
    stderr: () => rejected(`${ALPHA_LABEL}: spec.dial_everyone: unknown field "dial_everyone"`),
  },
  {
    name: 'an http:// webhook (the webhook-https rule)',
    edit: (plan) => void (webhook(plan).url = 'http://hooks.example.com/alpha'),
    stderr: () => rejected(`${ALPHA_LABEL}: spec.webhooks[0].url: webhook URL must use https, not http`),
  },
  {
    name: 'a batch moved to a campaign no file or plan declares (a rule across resources)',
    edit: (plan) => void (change(plan, BATCH).desired.campaign = 'Nowhere'),
    stderr: () => rejected(`changes[1] (${BATCH}): spec.campaign: no SyllableCampaign named "Nowhere" is declared in these files`),
  },
  {
    name: "the API key's variable as the webhook secret",
    edit: (plan) => void ((webhook(plan).auth_values as Record<string, unknown>).hmac_secret = { $env: 'SYLLABLE_API_KEY' }),
    stderr: () =>
      rejected(
        `${ALPHA_LABEL}: spec.webhooks[0].auth_values.hmac_secret: the plan sends the variable SYLLABLE_API_KEY as this secret, but this project's files use HOOK_SECRET here`,
      ),
  },
  {
    name: 'a secret reference at a field that is not a secret',
    edit: (plan) => void (change(plan, ALPHA).desired.description = { $env: 'HOOK_SECRET' }),
    stderr: () =>
      rejected(
        `${ALPHA_LABEL}: spec.description: {"$env": "HOOK_SECRET"} names a variable at a field that is not a secret; ` +
          'the secret field is spec.webhooks[*].auth_values.hmac_secret',
      ),
  },
  {
    name: 'a secret written into the plan as a literal',
    edit: (plan) => void ((webhook(plan).auth_values as Record<string, unknown>).hmac_secret = HOOK_SECRET),
    stderr: () =>
      rejected(
        `${ALPHA_LABEL}: spec.webhooks[0].auth_values.hmac_secret: a secret in a saved plan must be a {"$env": NAME} reference; this one holds a value (not shown)`,
      ),
  },
  {
    name: 'an extra resource no file declares',
    edit: (plan) => {
      const extra = structuredClone(change(plan, ALPHA))
      extra.address = 'syllable/campaign/Extra'
      extra.name = 'Extra'
      extra.desired.campaign_name = 'Extra'
      plan.changes.push(extra)
    },
    stderr: () =>
      rejected(
        'changes[3] (syllable/campaign/Extra): no file of this project declares this resource; a saved plan only creates or updates what the files declare',
      ),
  },
  {
    name: 'another Sarvam org',
    edit: (plan) => void (plan.targets.find((t) => t.provider === 'sarvam')!.org_id = 'other-org'),
    stderr: () =>
      'Error: nothing was applied: the plan was made for sarvam org_id "other-org"; this project\'s provider sarvam names org_id "acme"\n',
  },
  {
    name: 'another Sarvam workspace',
    edit: (plan) => void (plan.targets.find((t) => t.provider === 'sarvam')!.workspace_id = 'inbound'),
    stderr: () =>
      'Error: nothing was applied: the plan was made for sarvam workspace_id "inbound"; this project\'s provider sarvam names workspace_id "outbound"\n',
  },
  {
    name: 'another URL',
    edit: (plan) => void (plan.targets.find((t) => t.provider === 'syllable')!.target = 'https://api.example.com'),
    stderr: (sandbox) => `Error: nothing was applied: the plan was made for syllable → https://api.example.com, but this run targets ${sandbox.url}\n`,
  },
  {
    name: 'a changed provider type',
    edit: (plan) => {
      plan.changes = plan.changes.filter((c) => c.provider === 'sarvam')
      plan.targets.find((t) => t.provider === 'syllable')!.type = 'sarvam'
    },
    stderr: () =>
      "Error: nothing was applied: the plan was made for syllable of type sarvam; this project's provider syllable is of type syllable\n",
  },
  {
    name: 'a change whose kind needs another provider type',
    edit: (plan) => void (plan.targets.find((t) => t.provider === 'syllable')!.type = 'sarvam'),
    stderr: () =>
      'Error: the plan file tampered.json is malformed at changes[1].provider: a SyllableBatch needs a syllable provider; ' +
      `the plan's target "syllable" is of type sarvam\n`,
  },
  {
    name: 'a provider the project does not declare',
    edit: (plan, sandbox) => {
      plan.targets.push({ provider: 'shadow', type: 'syllable', target: sandbox.url })
      const copy = structuredClone(change(plan, ALPHA))
      copy.provider = 'shadow'
      copy.address = 'shadow/campaign/Alpha'
      plan.changes.push(copy)
    },
    stderr: () => 'Error: nothing was applied: the plan was made for provider shadow, which cac.yaml does not declare\n',
  },
  {
    name: 'an address that does not match its resource',
    edit: (plan) => void (change(plan, ALPHA).address = 'syllable/campaign/Beta'),
    stderr: () => 'Error: the plan file tampered.json is malformed at changes[2].address: must be "syllable/campaign/Alpha" (provider/campaign/name)\n',
  },
  {
    name: 'field changes that hide what the desired spec sends',
    edit: (plan) => {
      const alphaChange = change(plan, ALPHA)
      alphaChange.desired.hourly_rate = 20
      // The reviewed diff still shows the old rate.
      expect(alphaChange.fields.find((field) => field.path[0] === 'hourly_rate')?.after).toBe(10)
    },
    stderr: () =>
      rejected(
        `${ALPHA_LABEL}: the plan's field changes do not follow from its desired spec and the live resource (they differ at hourly_rate)`,
      ),
    readsLive: true,
  },
]

function expectNoSecret(result: CliResult): void {
  for (const secret of [HOOK_SECRET, API_KEY]) {
    expect(result.stdout).not.toContain(secret)
    expect(result.stderr).not.toContain(secret)
  }
}

describe('cac apply PLANFILE with a tampered plan whose checksum was recomputed', { timeout: 180_000 }, () => {
  let project: { dir: string; remove: () => Promise<void> }
  let sandbox: ExternalSandbox
  let cac: Cac
  let original: string
  const cleanups: (() => Promise<void>)[] = []

  beforeAll(async () => {
    project = await writeProject(FILES)
    cleanups.push(project.remove)
    sandbox = await startInProcessSandbox((cleanup) => cleanups.unshift(cleanup))
    cac = cacInProcess(project.dir, { ...sandbox.env, SYLLABLE_API_KEY: API_KEY, SARVAM_API_KEY: API_KEY, HOOK_SECRET })
    const plan = await cac(['plan', '--out', 'plan.json'])
    expectNoCrash(plan)
    expect(plan.code, plan.stderr).toBe(0)
    expect(planSummary(plan.stdout)).toBe('Plan: 3 to create, 0 to update, 0 unchanged.')
    original = await readFile(join(project.dir, 'plan.json'), 'utf8')
    expect(original).not.toContain(HOOK_SECRET)
  }, 120_000)

  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup()
  })

  it.each(CASES)('refuses $name: exit 1, a clear message, nothing written', async ({ edit, stderr, readsLive }) => {
    await writeFile(join(project.dir, 'tampered.json'), tamper(original, (plan) => edit(plan, sandbox)))
    await sandbox.resetCounters()

    const apply = await cac(['apply', 'tampered.json'])
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    expect(apply.stderr).toBe(stderr(sandbox))
    expect(applyLines(apply.stdout)).toEqual([])
    expectNoSecret(apply)
    expect(await sandbox.writeRoutes()).toEqual({})
    // Checks against the project come before any request; only re-deriving the changes reads the live state.
    if (!readsLive) expect((await sandbox.counters()).total).toBe(0)
  })

  it('still applies the untampered plan, which converges; a later plan with updates (Sarvam and Syllable, a secret) applies too', async () => {
    await sandbox.resetCounters()
    const apply = await cac(['apply', 'plan.json'])
    expectNoCrash(apply)
    expect(apply.code, apply.stderr).toBe(0)
    expect(applyLines(apply.stdout).map((line) => [line.outcome, line.address])).toEqual(
      expect.arrayContaining([
        ['created', ALPHA],
        ['created', BATCH],
        ['created', SARVAM],
      ]),
    )
    expect(applySummary(apply.stdout)).toBe('Apply complete: 3 created, 0 updated, 0 unchanged.')
    expectNoSecret(apply)
    expect((await syllableCampaign(sandbox.request, 'Alpha')).webhooks[0]!.auth_value_keys).toEqual(['hmac_secret'])
    await expectConverged(cac, sandbox)

    await writeFile(join(project.dir, SYLLABLE_FILE), documents(alpha({ hourly_rate: 12 }), syllableBatchDoc('alpha-1', 'Alpha', { call_rate: 6 })))
    await writeFile(join(project.dir, SARVAM_FILE), sarvamCampaignDoc('reminders-hi', { description: 'second wave' }))
    const plan = await cac(['plan', '--out', 'plan2.json'])
    expect(plan.code, plan.stderr).toBe(0)
    expect(planSummary(plan.stdout)).toBe('Plan: 0 to create, 3 to update, 0 unchanged.')
    await sandbox.resetCounters()
    const update = await cac(['apply', 'plan2.json'])
    expectNoCrash(update)
    expect(update.code, update.stderr).toBe(0)
    expect(applySummary(update.stdout)).toBe('Apply complete: 0 created, 3 updated, 0 unchanged.')
    expect(await sandbox.writeRoutes()).toEqual({
      [ROUTES.putSyllableCampaign]: 1,
      [ROUTES.putSyllableBatch]: 1,
      [ROUTES.patchSarvamCampaign]: 1,
    })
    expect((await syllableCampaign(sandbox.request, 'Alpha')).hourly_rate).toBe(12)
    expect((await sarvamCampaign(sandbox.request, 'reminders-hi')).description).toBe('second wave')
    await expectConverged(cac, sandbox)
  })
})
