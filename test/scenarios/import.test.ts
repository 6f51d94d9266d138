import { readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { expectNoCrash } from '../helpers/cli-output.js'
import { SARVAM_START, syllableCampaignDoc, UNTIL_ACTIVE_SECONDS } from '../helpers/definitions.js'
import { createSarvamCampaign, createSyllableCampaign, SARVAM_CAMPAIGNS, startInProcessSandbox, SYLLABLE_BATCHES, type ExternalSandbox } from '../helpers/external-sandbox.js'
import { cacInProcess, expectConverged, planSummary, type Cac, type JsonPlan } from '../helpers/plan-apply.js'
import { tempProject } from '../helpers/temp-project.js'

/**
 * `cac import` against campaigns made through the API directly (not by cac): after it, validate
 * passes and plan has nothing to do, with no write request.
 */
async function seed(sandbox: ExternalSandbox): Promise<void> {
  await createSyllableCampaign(sandbox.request, 'Spring / Renewals ü', {
    description: 'made in the console',
    hourly_rate: 20,
    labels: ['renewals'],
    webhooks: [{ url: 'https://hooks.example.com/x', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_values: { hmac_secret: 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=' } }],
  })
  await createSyllableCampaign(sandbox.request, 'Bare')
  const batch = await sandbox.request('POST', SYLLABLE_BATCHES, { json: { batch_id: 'bare-1', campaign_id: 2, call_rate: 4 } })
  expect(batch.status, batch.text).toBeLessThan(300)
  await createSarvamCampaign(sandbox.request, 'Console Sarvam')
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1)).sort()
}

async function imported(onTestFinished: (cleanup: () => Promise<void>) => void, files: Record<string, string> = {}): Promise<{ project: string; sandbox: ExternalSandbox; cac: Cac }> {
  const project = await tempProject(files, { onTestFinished })
  const sandbox = await startInProcessSandbox(onTestFinished)
  await seed(sandbox)
  await sandbox.resetCounters()
  // The variable import names for the webhook secret, set as its summary says (any valid key: secrets are compared by presence).
  return { project, sandbox, cac: cacInProcess(project, { ...sandbox.env, SYLLABLE_SPRING_RENEWALS_WEBHOOK_1_HMAC_SECRET: Buffer.alloc(32, 9).toString('base64') }) }
}

describe('cac import', () => {
  it('into an empty project: minimal files, then validate exits 0 and plan has nothing to do, with no write', async ({ onTestFinished }) => {
    const { project, sandbox, cac } = await imported(onTestFinished)
    const result = await cac(['import'])
    expectNoCrash(result)
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(await sandbox.writeRoutes(), 'import only reads').toEqual({})
    expect(await filesUnder(join(project, 'campaigns'))).toEqual([
      'sarvam/campaign-console-sarvam.yaml',
      'syllable/batch-bare-1.yaml',
      'syllable/campaign-bare.yaml',
      'syllable/campaign-spring-renewals-u.yaml',
    ])
    expect(result.stdout).toContain('Import: 4 written, 0 skipped.')
    expect(result.stdout).toContain('  SYLLABLE_SPRING_RENEWALS_WEBHOOK_1_HMAC_SECRET')
    const spring = await readFile(join(project, 'campaigns/syllable/campaign-spring-renewals-u.yaml'), 'utf8')
    expect(spring.split('\n').slice(0, 4)).toEqual(['# yaml-language-server: $schema=' + spring.split('\n')[0]!.split('=')[1], 'kind: SyllableCampaign', 'provider: syllable', 'spec:'])
    expect(spring).toContain('  campaign_name: Spring / Renewals ü')
    expect(spring).toContain('hmac_secret: ${env:SYLLABLE_SPRING_RENEWALS_WEBHOOK_1_HMAC_SECRET}')
    expect(spring).not.toContain('BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=')
    expect(spring).not.toMatch(/\bid:|created_at|updated_at|last_updated_by/)
    expect(await readFile(join(project, 'campaigns/syllable/batch-bare-1.yaml'), 'utf8')).toContain('  campaign: Bare\n')

    const validate = await cac(['validate'])
    expect(validate.code, validate.stdout).toBe(0)
    const plan = await cac(['plan', '--detailed-exitcode'])
    expect(plan.code, plan.stdout + plan.stderr).toBe(0)
    expect(planSummary(plan.stdout)).toBe('No changes. Plan: 0 to create, 0 to update, 4 unchanged.')
    expect(await sandbox.writeRoutes()).toEqual({})
    await expectConverged(cac, sandbox)
  })

  it('skips what a file declares, never overwrites a file without --force, and --dry-run writes nothing', async ({ onTestFinished }) => {
    const { project, sandbox, cac } = await imported(onTestFinished, { 'campaigns/mine.yaml': syllableCampaignDoc('Bare', { caller_id: '+19995550999', active_days: ['mon'] }) })
    const dry = await cac(['import', '--dry-run', '--provider', 'syllable'])
    expect(dry.code, dry.stdout).toBe(0)
    expect(dry.stdout).toContain('skipped  syllable/campaign/Bare: declared already in campaigns/mine.yaml:1')
    expect(dry.stdout).toContain('would write  campaigns/syllable/batch-bare-1.yaml  (syllable/batch/bare-1)')
    expect(dry.stdout).toContain('Import: 2 to write, 1 skipped.')
    expect(await filesUnder(join(project, 'campaigns'))).toEqual(['mine.yaml'])
    const targeted = JSON.parse((await cac(['import', '--dry-run', '--target', 'syllable/batch/*', '--format', 'json'])).stdout) as { files: { addresses: string[] }[]; skipped: unknown[] }
    expect(targeted.files.flatMap((file) => file.addresses)).toEqual(['syllable/batch/bare-1'])
    expect(targeted.skipped).toEqual([])

    expect((await cac(['import', '--provider', 'syllable'])).code).toBe(0)
    const again = await cac(['import', '--provider', 'syllable', '--format', 'json'])
    const report = JSON.parse(again.stdout) as { files: unknown[]; skipped: { address: string; reason: string }[] }
    expect(report.files).toEqual([])
    expect(report.skipped.map((skip) => skip.address)).toEqual(['syllable/batch/bare-1', 'syllable/campaign/Bare', 'syllable/campaign/Spring / Renewals ü'])
    expect(await sandbox.writeRoutes()).toEqual({})
    const plan = await cac(['plan', '--detailed-exitcode'])
    expect(plan.code, plan.stdout).toBe(0)
  })

  it('reports what it cannot represent (two live campaigns sharing a name, a cancelled campaign) and imports the rest; exit 1 only when nothing could be imported', async ({ onTestFinished }) => {
    const { project, sandbox, cac } = await imported(onTestFinished)
    await createSyllableCampaign(sandbox.request, 'Bare')
    const list = await sandbox.request('GET', SARVAM_CAMPAIGNS)
    const sarvamId = (list.body as { items: { campaign_id: string }[] }).items[0]!.campaign_id
    expect((await sandbox.request('PUT', `${SARVAM_CAMPAIGNS}/${sarvamId}/status`, { json: { action: 'cancel' } })).status).toBe(200)
    await sandbox.resetCounters()
    const result = await cac(['import'])
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toMatch(/^skipped {2}syllable\/campaign\/Bare: 2 live resources share this name \(id \d+\); rename all but one on the platform first$/m)
    expect(result.stdout).toContain('skipped  sarvam/campaign/Console Sarvam: the campaign is cancelled on the platform: it can no longer be changed, so a file cannot manage it')
    expect(result.stdout).toContain('skipped  syllable/batch/bare-1: it needs syllable/campaign/Bare, which is not imported')
    expect(await filesUnder(join(project, 'campaigns'))).toEqual(['syllable/campaign-spring-renewals-u.yaml'])
    expect((await cac(['validate'])).code).toBe(0)

    const nothing = await cac(['import', '--kind', 'SarvamCampaign', '--format', 'json'])
    expect(nothing.code, nothing.stderr).toBe(1)
    expect((JSON.parse(nothing.stdout) as { skipped: { failed: boolean }[] }).skipped).toEqual([expect.objectContaining({ failed: true })])
    expect(await sandbox.writeRoutes()).toEqual({})
  })

  it('--layout per-campaign puts a campaign and its batches in one file; --out writes elsewhere; then plan has nothing to do', async ({ onTestFinished }) => {
    const { project, sandbox, cac } = await imported(onTestFinished)
    const result = await cac(['import', '--layout', 'per-campaign', '--out', 'campaigns/imported'])
    expect(result.code, result.stdout).toBe(0)
    expect(await filesUnder(join(project, 'campaigns/imported'))).toEqual(['sarvam/campaign-console-sarvam.yaml', 'syllable/campaign-bare.yaml', 'syllable/campaign-spring-renewals-u.yaml'])
    const bare = await readFile(join(project, 'campaigns/imported/syllable/campaign-bare.yaml'), 'utf8')
    expect(bare.match(/^kind: \w+$/gm)).toEqual(['kind: SyllableCampaign', 'kind: SyllableBatch'])
    expect(result.stdout).toContain('wrote  campaigns/imported/syllable/campaign-bare.yaml  (syllable/campaign/Bare, syllable/batch/bare-1)')
    const plan = await cac(['plan', '--detailed-exitcode'])
    expect(plan.code, plan.stdout + plan.stderr).toBe(0)
    expect(await sandbox.writeRoutes()).toEqual({})
  })

  it('Sarvam campaigns in several statuses: imported, plan has nothing to do; an edited field is exactly what plan shows; a second import writes nothing', async ({ onTestFinished }) => {
    const project = await tempProject({}, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const ids: Record<string, string> = {}
    const made = [['Later', '2026-11-30T00:00:00Z'], ['Running', SARVAM_START], ['Held', SARVAM_START], ['Done', SARVAM_START, '2026-11-25T12:00:00Z']] as const
    for (const [name, start, end] of made) {
      const created = await createSarvamCampaign(sandbox.request, name, {
        description: `${name} made in the console`,
        start_timestamp: start,
        ...(end !== undefined ? { end_timestamp: end } : {}),
        allowed_schedule: { allowed_start_time: '10:00', allowed_end_time: '19:00', allowed_days: ['Monday', 'Friday'], timezone: 'Asia/Kolkata' },
      })
      ids[name] = created.campaign_id
    }
    await sandbox.advanceClock(UNTIL_ACTIVE_SECONDS)
    expect((await sandbox.request('PUT', `${SARVAM_CAMPAIGNS}/${ids.Held}/status`, { json: { action: 'pause' } })).status).toBe(200)
    await sandbox.resetCounters()
    const cac = cacInProcess(project, sandbox.env)

    const result = await cac(['import', '--provider', 'sarvam'])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toContain('skipped  sarvam/campaign/Done: the campaign is ended on the platform: it can no longer be changed, so a file cannot manage it')
    expect(result.stdout).toContain('Import: 3 written, 1 skipped.')
    expect((await cac(['validate'])).code).toBe(0)
    const plan = await cac(['plan', '--detailed-exitcode'])
    expect(plan.code, plan.stdout + plan.stderr).toBe(0)
    expect(planSummary(plan.stdout)).toBe('No changes. Plan: 0 to create, 0 to update, 3 unchanged.')
    expect(await sandbox.writeRoutes()).toEqual({})

    const again = await cac(['import', '--provider', 'sarvam'])
    expect(again.stdout).toContain('Import: 0 written, 4 skipped.')

    const later = join(project, 'campaigns/sarvam/campaign-later.yaml')
    await writeFile(later, (await readFile(later, 'utf8')).replace('description: Later made in the console', 'description: Later, edited in git'))
    const edited = JSON.parse((await cac(['plan', '--format', 'json'])).stdout) as JsonPlan
    const changed = edited.changes.filter((change) => change.action !== 'noop')
    expect(changed.map((change) => [change.address, change.fields.map((field) => [field.path, field.before, field.after])])).toEqual([
      ['sarvam/campaign/Later', [['description', 'Later made in the console', 'Later, edited in git']]],
    ])
  })
})
