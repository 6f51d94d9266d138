import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { expectNoCrash } from '../helpers/cli-output.js'
import { documents, sarvamCampaignDoc, syllableBatchDoc, syllableCampaignDoc } from '../helpers/definitions.js'
import { createSarvamCampaign, createSyllableCampaign, editSarvamCampaign, editSyllableCampaign, SANDBOX_ACTOR, SARVAM_CAMPAIGNS, sarvamCampaign, startInProcessSandbox, SYLLABLE_BATCHES, type ExternalSandbox } from '../helpers/external-sandbox.js'
import { cacInProcess, expectConverged, type Cac } from '../helpers/plan-apply.js'
import { DEFAULT_CAC_YAML, tempProject } from '../helpers/temp-project.js'

/**
 * `cac drift` against a sandbox that records who made each change from the API key: cac runs with
 * SANDBOX_API_KEY, whose identity SANDBOX_ACTOR is the `actor` of both providers; the "console" is
 * tester@example.com (the test client's key). Every drift reads only.
 */
const SYLLABLE_FILE = 'campaigns/syllable.yaml'
const CAC_YAML = DEFAULT_CAC_YAML.replace('actor: ci@example.com', `actor: ${SANDBOX_ACTOR}`).replace('    workspace_id: outbound\n', `    workspace_id: outbound\n    actor: ${SANDBOX_ACTOR}\n`)
const FILES = {
  'cac.yaml': CAC_YAML,
  [SYLLABLE_FILE]: documents(syllableCampaignDoc('Drift A', { hourly_rate: 10 }), syllableBatchDoc('drift-a-1', 'Drift A', { call_rate: 5 })),
  'campaigns/sarvam.yaml': sarvamCampaignDoc('Drift S'),
}

interface DriftJson {
  format_version: number
  summary: Record<string, number>
  resources: { address: string; state: string; changed_by: string | null; changed_at: string | null; ignored: number; fields: { path: string; kind: string; file: unknown; live: unknown }[] }[]
  without_actor: string[]
  unused_ignores: string[]
}

async function applied(onTestFinished: (cleanup: () => Promise<void>) => void, files: Record<string, string> = FILES): Promise<{ project: string; sandbox: ExternalSandbox; cac: Cac }> {
  const project = await tempProject(files, { onTestFinished })
  const sandbox = await startInProcessSandbox(onTestFinished)
  const cac = cacInProcess(project, sandbox.env)
  const apply = await cac(['apply', '--auto-approve'])
  expect(apply.code, apply.stderr).toBe(0)
  await sandbox.resetCounters()
  return { project, sandbox, cac }
}

/** drift, asserting it sent nothing but GETs. */
async function drift(cac: Cac, sandbox: ExternalSandbox, args: string[] = []) {
  const result = await cac(['drift', ...args])
  expectNoCrash(result)
  expect(await sandbox.writeRoutes(), 'drift writes nothing').toEqual({})
  return result
}

const summaryOf = (stdout: string) => /^Drift: .*\.$/m.exec(stdout)?.[0]

describe('cac drift', () => {
  it('after an apply: exit 0, everything in sync', async ({ onTestFinished }) => {
    const { sandbox, cac } = await applied(onTestFinished)
    const result = await drift(cac, sandbox)
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(summaryOf(result.stdout)).toBe('Drift: 0 drifted, 0 missing, 0 pending, 0 unmanaged, 3 in sync.')
    expect((await sandbox.counters()).total, 'it did read the platforms').toBeGreaterThan(0)
  })

  it('a field edited in the console: exit 2, naming the resource, the field (file → live), who and when', async ({ onTestFinished }) => {
    const { sandbox, cac } = await applied(onTestFinished)
    const edited = await editSyllableCampaign(sandbox.request, 'Drift A', { hourly_rate: 12 })
    await sandbox.resetCounters()
    const text = await drift(cac, sandbox)
    expect(text.code).toBe(2)
    expect(text.stdout).toContain(`~ drifted    syllable/campaign/Drift A: changed on the platform by tester@example.com at ${String(edited.updated_at)}\n      hourly_rate: 10 (file) → 12 (live)\n`)
    expect(summaryOf(text.stdout)).toBe('Drift: 1 drifted, 0 missing, 0 pending, 0 unmanaged, 2 in sync.')

    const json = JSON.parse((await drift(cac, sandbox, ['--format', 'json'])).stdout) as DriftJson
    expect(json.format_version).toBe(1)
    const entry = json.resources.find((resource) => resource.address === 'syllable/campaign/Drift A')
    expect(entry).toMatchObject({ state: 'drifted', changed_by: 'tester@example.com', changed_at: edited.updated_at, fields: [{ path: 'hourly_rate', kind: 'change', file: 10, live: 12 }] })
    expect(json.summary).toEqual({ drifted: 1, missing: 0, pending: 0, unmanaged: 0, error: 0, in_sync: 2, ignored: 0 })

    // Markdown: the summary first, a section with who/when and a field table; GitHub: a warning at the field's line.
    const markdown = (await drift(cac, sandbox, ['--format', 'markdown'])).stdout
    expect(markdown.split('\n')[0]).toBe('### Drift: 1 drifted, 0 missing, 0 pending, 0 unmanaged, 2 in sync.')
    expect(markdown).toContain('#### 🟠 drifted <code>syllable/campaign/Drift A</code>')
    expect(markdown).toContain(`Changed on the platform by tester@example.com at ${String(edited.updated_at)}. Declared in <code>campaigns/syllable.yaml:1</code>.`)
    expect(markdown).toContain('| <code>hourly_rate</code> | <code>10</code> | <code>12</code> |')
    const github = await drift(cac, sandbox, ['--format', 'github'])
    expect(github.code).toBe(2)
    expect(github.stdout.split('\n')[0]).toBe(
      `::warning file=campaigns/syllable.yaml,line=8,title=cac drift%3A drifted::syllable/campaign/Drift A: hourly_rate is 12 on the platform, 10 in the file by tester@example.com at ${String(edited.updated_at)}`,
    )

    // Known noise: ignored differences are counted, never dropped; a pattern that matches nothing is said.
    const ignored = await drift(cac, sandbox, ['--ignore', 'syllable/campaign/*:hourly_rate', '--ignore', 'sarvam/*:description'])
    expect(ignored.code).toBe(0)
    expect(summaryOf(ignored.stdout)).toBe('Drift: 0 drifted, 0 missing, 0 pending, 0 unmanaged, 3 in sync; 1 difference ignored.')
    expect(ignored.stdout).toContain('Warning: the ignore pattern "sarvam/*:description" matched no difference.')

    expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
    await expectConverged(cac, sandbox)
    expect((await drift(cac, sandbox)).code).toBe(0)
  })

  it('drift.ignore in cac.yaml silences the same field', async ({ onTestFinished }) => {
    const { sandbox, cac } = await applied(onTestFinished, { ...FILES, 'cac.yaml': `${CAC_YAML}drift:\n  ignore: ["syllable/campaign/Drift A:hourly_rate"]\n` })
    await editSyllableCampaign(sandbox.request, 'Drift A', { hourly_rate: 30, caller_id: '+19995550077' })
    await sandbox.resetCounters()
    const result = await drift(cac, sandbox, ['--format', 'json'])
    expect(result.code, result.stdout).toBe(2)
    const entry = (JSON.parse(result.stdout) as DriftJson).resources.find((resource) => resource.address === 'syllable/campaign/Drift A')!
    expect(entry.fields.map((field) => field.path)).toEqual(['caller_id'])
    expect(entry.ignored).toBe(1)
    expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
    await sandbox.resetCounters()
    expect((await drift(cac, sandbox)).code).toBe(0)
  })

  it('a file changed and not applied is pending (exit 0, or 2 with --fail-on pending); a campaign made outside cac is unmanaged', async ({ onTestFinished }) => {
    const { project, sandbox, cac } = await applied(onTestFinished)
    await writeFile(join(project, SYLLABLE_FILE), documents(syllableCampaignDoc('Drift A', { hourly_rate: 11 }), syllableBatchDoc('drift-a-1', 'Drift A', { call_rate: 5 })))
    await createSyllableCampaign(sandbox.request, 'Console Made')
    await createSarvamCampaign(sandbox.request, 'Console Sarvam')
    await sandbox.resetCounters()
    const result = await drift(cac, sandbox)
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toMatch(/^\? unmanaged  sarvam\/campaign\/Console Sarvam: on the platform, in no file \(id \S+, created by tester@example\.com, last changed at \S+\)$/m)
    expect(result.stdout).toMatch(new RegExp(`^= pending {4}syllable/campaign/Drift A: the files changed since cac's last apply \\(by ${SANDBOX_ACTOR.replace(/[.]/g, '\\.')} at \\S+\\); apply to bring the platform along\n {6}hourly_rate: 11 \\(file\\) → 10 \\(live\\)$`, 'm'))
    expect(result.stdout).toMatch(/^\? unmanaged  syllable\/campaign\/Console Made: on the platform, in no file \(id \d+, last changed by tester@example\.com at \S+\)$/m)
    expect(summaryOf(result.stdout)).toBe('Drift: 0 drifted, 0 missing, 1 pending, 2 unmanaged, 2 in sync.')
    expect((await drift(cac, sandbox, ['--fail-on', 'pending'])).code).toBe(2)
    expect((await drift(cac, sandbox, ['--fail-on', 'unmanaged'])).code).toBe(2)
    expect((await drift(cac, sandbox, ['--fail-on', 'pending,unmanaged'])).code).toBe(2)
    expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
    await sandbox.resetCounters()
    expect((await drift(cac, sandbox)).code).toBe(0)
  })

  it('a batch deleted outside cac is missing: exit 2, and the output says the platform cannot tell deleted from never applied', async ({ onTestFinished }) => {
    const { project, sandbox, cac } = await applied(onTestFinished)
    const deleted = await sandbox.request('DELETE', `${SYLLABLE_BATCHES}/drift-a-1`, { form: { delete_reason: 'console clean-up' } })
    expect(deleted.status, deleted.text).toBe(200)
    await sandbox.resetCounters()
    const result = await drift(cac, sandbox)
    expect(result.code).toBe(2)
    expect(result.stdout).toContain('- missing    syllable/batch/drift-a-1: declared in campaigns/syllable.yaml:')
    expect(result.stdout).toContain('not on the platform (deleted outside cac, or never applied: the platform cannot tell which)')
    expect(summaryOf(result.stdout)).toBe('Drift: 0 drifted, 1 missing, 0 pending, 0 unmanaged, 2 in sync.')
    // The platform keeps a deleted batch's id: the way back is a batch under a new id.
    await writeFile(join(project, SYLLABLE_FILE), documents(syllableCampaignDoc('Drift A', { hourly_rate: 10 }), syllableBatchDoc('drift-a-2', 'Drift A', { call_rate: 5 })))
    const reapply = await cac(['apply', '--auto-approve'])
    expect(reapply.code, reapply.stdout + reapply.stderr).toBe(0)
    await expectConverged(cac, sandbox)
    expect((await drift(cac, sandbox)).code).toBe(0)
  })

  it('a Sarvam campaign cancelled outside cac is drifted on its status, with who and when', async ({ onTestFinished }) => {
    const { project, sandbox, cac } = await applied(onTestFinished)
    const { campaign_id } = await sarvamCampaign(sandbox.request, 'Drift S')
    const cancelled = await sandbox.request('PUT', `${SARVAM_CAMPAIGNS}/${campaign_id}/status`, { json: { action: 'cancel' } })
    expect(cancelled.status, cancelled.text).toBe(200)
    await sandbox.resetCounters()
    const result = await drift(cac, sandbox)
    expect(result.code, result.stdout).toBe(2)
    expect(result.stdout).toMatch(/^~ drifted {4}sarvam\/campaign\/Drift S: changed on the platform by tester@example\.com at \S+\n {6}status: cancelled on the platform \(the files imply scheduled, active or paused\)$/m)
    const json = JSON.parse((await drift(cac, sandbox, ['--format', 'json'])).stdout) as DriftJson
    expect(json.resources.find((resource) => resource.address === 'sarvam/campaign/Drift S')?.fields).toEqual([
      { path: 'status', kind: 'change', file: 'scheduled, active or paused', live: 'cancelled', sensitive: false, lifecycle: true, line: 4 },
    ])
    // A cancelled campaign cannot run again: the way back is a campaign under a new name.
    await writeFile(join(project, 'campaigns/sarvam.yaml'), sarvamCampaignDoc('Drift S2'))
    expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
    await expectConverged(cac, sandbox)
    const after = await drift(cac, sandbox)
    expect(after.code, after.stdout).toBe(0)
    expect(summaryOf(after.stdout)).toBe('Drift: 0 drifted, 0 missing, 0 pending, 1 unmanaged, 3 in sync.')
  })

  it('a Sarvam campaign made to end early outside cac (its end moved, then passed) is drifted on end_timestamp', async ({ onTestFinished }) => {
    const { project, sandbox, cac } = await applied(onTestFinished)
    await editSarvamCampaign(sandbox.request, 'Drift S', { end_timestamp: '2026-11-27T00:00:00Z' })
    await sandbox.advanceClock(4 * 24 * 3600)
    expect((await sarvamCampaign(sandbox.request, 'Drift S')).status).toBe('ended')
    await sandbox.resetCounters()
    const json = JSON.parse((await drift(cac, sandbox, ['--format', 'json'])).stdout) as DriftJson
    const entry = json.resources.find((resource) => resource.address === 'sarvam/campaign/Drift S')
    expect(entry).toMatchObject({ state: 'drifted', changed_by: 'tester@example.com' })
    expect(entry!.fields.map((field) => [field.path, field.live])).toEqual([['end_timestamp', '2026-11-27T00:00:00Z']])
    // An ended campaign cannot run again: the way back is a campaign under a new name, starting later.
    await writeFile(join(project, 'campaigns/sarvam.yaml'), sarvamCampaignDoc('Drift S2', { start_timestamp: '2026-11-29T00:00:00Z' }))
    expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
    await sandbox.resetCounters()
    expect((await drift(cac, sandbox)).code).toBe(0)
  })

  it('without an actor every difference counts as drift, and the output says how to tell them apart', async ({ onTestFinished }) => {
    const withoutActor = DEFAULT_CAC_YAML.replace(/ {4}actor: .*\n/, '')
    const { project, sandbox, cac } = await applied(onTestFinished, { ...FILES, 'cac.yaml': withoutActor })
    await writeFile(join(project, SYLLABLE_FILE), documents(syllableCampaignDoc('Drift A', { hourly_rate: 11 }), syllableBatchDoc('drift-a-1', 'Drift A', { call_rate: 5 })))
    const result = await drift(cac, sandbox, ['--format', 'json'])
    expect(result.code).toBe(2)
    const json = JSON.parse(result.stdout) as DriftJson
    expect(json.without_actor).toEqual(['sarvam', 'syllable'])
    expect(json.summary.drifted).toBe(1)
    const text = await drift(cac, sandbox)
    expect(text.stdout).toContain('Note: providers sarvam, syllable name no actor in cac.yaml, so every difference there counts as drift;')
    expect(text.stdout.match(/^Note: /gm)).toHaveLength(1)
    expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
    await sandbox.resetCounters()
    expect((await drift(cac, sandbox)).code).toBe(0)
  })

  it('every format carries the same facts, and a webhook secret appears in none of them', async ({ onTestFinished }) => {
    const secret = randomBytes(32).toString('base64')
    const webhook = { url: 'https://hooks.example.com/drift', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_values: { hmac_secret: '${env:SYLLABLE_HMAC_SECRET}' } }
    const files = { ...FILES, [SYLLABLE_FILE]: documents(syllableCampaignDoc('Drift A', { hourly_rate: 10, webhooks: [webhook] }), syllableBatchDoc('drift-a-1', 'Drift A', { call_rate: 5 })) }
    const project = await tempProject(files, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const cac = cacInProcess(project, { ...sandbox.env, SYLLABLE_HMAC_SECRET: secret }, { freshSecrets: true })
    expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
    await editSyllableCampaign(sandbox.request, 'Drift A', { hourly_rate: 12 })
    await createSyllableCampaign(sandbox.request, 'Console Made')
    await sandbox.request('DELETE', `${SYLLABLE_BATCHES}/drift-a-1`, { form: { delete_reason: 'console clean-up' } })
    await sandbox.resetCounters()

    const expected = ['syllable/campaign/Drift A', 'syllable/batch/drift-a-1', 'syllable/campaign/Console Made']
    for (const format of ['text', 'json', 'markdown', 'github']) {
      const result = await drift(cac, sandbox, ['--format', format, '--fail-on', 'unmanaged'])
      expect(result.code, format).toBe(2)
      expect(`${result.stdout}${result.stderr}`, format).not.toContain(secret)
      for (const address of format === 'github' ? expected.slice(0, 2) : expected) expect(result.stdout, `${format} names ${address}`).toContain(address)
      expect(result.stdout, `${format} names the field`).toContain('hourly_rate')
      if (format !== 'json') expect(result.stdout, format).toContain('Drift: 1 drifted, 1 missing, 0 pending, 1 unmanaged, 1 in sync.')
    }
    // The platform keeps a deleted batch's id: the way back is a batch under a new id.
    await writeFile(join(project, SYLLABLE_FILE), documents(syllableCampaignDoc('Drift A', { hourly_rate: 10, webhooks: [webhook] }), syllableBatchDoc('drift-a-2', 'Drift A', { call_rate: 5 })))
    expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
    await sandbox.resetCounters()
    expect((await drift(cac, sandbox)).code).toBe(0)
  })

  it('drift.ignore in cac.yaml is validated like the rest, pointing at the line', async ({ onTestFinished }) => {
    const project = await tempProject({ ...FILES, 'cac.yaml': `${CAC_YAML}drift:\n  ignore:\n    - nocolon\n` }, { onTestFinished })
    const result = await cacInProcess(project)(['validate'])
    expect(result.code).toBe(1)
    const line = CAC_YAML.split('\n').length + 2
    expect(result.stdout).toContain(`cac.yaml:${line}:7  error    drift.ignore[0]  must be ADDRESS_GLOB:FIELD_PATH`)
  })

  it('refuses a malformed --ignore or --fail-on, and invalid files, with exit 1 and nothing sent', async ({ onTestFinished }) => {
    const { project, sandbox, cac } = await applied(onTestFinished)
    const badIgnore = await drift(cac, sandbox, ['--ignore', 'no-field-here'])
    expect(badIgnore.code).toBe(1)
    expect(badIgnore.stderr).toMatch(/^Error: --ignore must be ADDRESS_GLOB:FIELD_PATH/)
    const badFailOn = await drift(cac, sandbox, ['--fail-on', 'drifted'])
    expect(badFailOn.code).toBe(1)
    expect(badFailOn.stderr).toMatch(/^Error: --fail-on takes pending, unmanaged/)
    await writeFile(join(project, 'campaigns/broken.yaml'), 'kind: SyllableCampaign\nprovider: nowhere\nspec: {}\n')
    const invalid = await drift(cac, sandbox)
    expect(invalid.code).toBe(1)
    expect(invalid.stderr).toContain('fix the files first')
    expect((await sandbox.counters()).total, 'nothing sent').toBe(0)
  })
})
