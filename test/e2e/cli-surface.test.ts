import { readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { ANSI_ESCAPE, expectNoCrash } from '../helpers/cli-output.js'
import { sarvamCampaignDoc, syllableBatchDoc, syllableCampaignDoc, documents } from '../helpers/definitions.js'
import { createSyllableCampaign, editSyllableCampaign, SANDBOX_ACTOR, SANDBOX_NOW, startExternalSandbox } from '../helpers/external-sandbox.js'
import { applySummary, cacIn, planSummary, type JsonApplyResult, type JsonPlan } from '../helpers/plan-apply.js'
import { runCli } from '../helpers/run-cli.js'
import { DEFAULT_CAC_YAML, tempProject } from '../helpers/temp-project.js'

/**
 * The spawned tier's floor: the built `cac` binary, run as a process, for every command, flag,
 * output format and exit code of plan, apply, drift, import and validate (scenarios run in-process, see
 * test/scenarios; signals, prompts, locks across processes and the sandbox server have their own
 * spawned files). Each test is one short story against one sandbox process.
 */
const FILES = {
  'campaigns/syllable.yaml': documents(syllableCampaignDoc('Surface A'), syllableBatchDoc('surface-a-1', 'Surface A', { call_rate: 3 })),
  'campaigns/sarvam.yaml': sarvamCampaignDoc('Surface S'),
}

describe.concurrent('the built CLI: commands, flags, formats and exit codes', { timeout: 120_000 }, () => {
  it('validate: text (exit 0), json, github (exit 1 on an error), PATH arguments', async ({ onTestFinished }) => {
    const project = await tempProject({ ...FILES, 'campaigns/broken.yaml': 'kind: SyllableCampaign\nprovider: syllable\nspec:\n  campaign_name: 5\n' }, { onTestFinished })
    const cac = cacIn(project)
    const good = await cac(['validate', 'campaigns/syllable.yaml', 'campaigns/sarvam.yaml'])
    expectNoCrash(good)
    expect(good.code, good.stdout).toBe(0)
    expect(good.stdout).toMatch(/3 resources in 2 files: valid/)

    const text = await cac(['validate'])
    expect(text.code).toBe(1)
    expect(text.stdout).toMatch(/^campaigns\/broken\.yaml:4:\d+ +error/m)
    const json = await cac(['validate', '--format', 'json'])
    expect(json.code).toBe(1)
    expect((JSON.parse(json.stdout) as { summary: { errors: number } }).summary.errors).toBeGreaterThan(0)
    const github = await cac(['validate', '--format', 'github'])
    expect(github.code).toBe(1)
    expect(github.stdout).toMatch(/^::error file=campaigns\/broken\.yaml,line=4/m)

    // -C DIR: as if started there (from anywhere); a folder that does not exist is a usage error.
    const elsewhere = await runCli(['validate', '-C', project, 'campaigns/syllable.yaml'], { cwd: tmpdir() })
    expect(elsewhere.code, elsewhere.stdout + elsewhere.stderr).toBe(0)
    expect(elsewhere.stdout).toMatch(/2 resources in 1 file: valid/)
    const nowhere = await runCli(['validate', '-C', join(project, 'nope')], { cwd: tmpdir() })
    expect(nowhere.code).toBe(1)
    expect(nowhere.stderr.split('\n')[0]).toMatch(/^Error: -C .*nope: no such folder$/)
  })

  it('plan: text, --detailed-exitcode (2 pending), json, markdown, --out; apply PLANFILE; then 0 with nothing to do', async ({ onTestFinished }) => {
    const project = await tempProject(FILES, { onTestFinished })
    const sandbox = await startExternalSandbox(project, onTestFinished)
    const cac = cacIn(project, sandbox.env)

    const text = await cac(['plan'])
    expectNoCrash(text)
    expect(text.code, text.stderr).toBe(0)
    expect(planSummary(text.stdout)).toBe('Plan: 3 to create, 0 to update, 0 unchanged.')
    expect((await cac(['plan', '--detailed-exitcode'])).code).toBe(2)
    const json = await cac(['plan', '--format', 'json'])
    expect((JSON.parse(json.stdout) as JsonPlan).summary.create).toBe(3)
    const markdown = await cac(['plan', '--format', 'markdown'])
    expect(markdown.code).toBe(0)
    expect(markdown.stdout).toContain('syllable/campaign/Surface A')
    expect(markdown.stdout).not.toMatch(ANSI_ESCAPE)

    const saved = await cac(['plan', '--out', 'plan.json'])
    expect(saved.code).toBe(0)
    expect(saved.stderr).toContain('Saved the plan to plan.json')
    expect(JSON.parse(await readFile(join(project, 'plan.json'), 'utf8'))).toHaveProperty('changes')
    expect(await sandbox.writeRoutes(), 'plan never writes').toEqual({})
    const applied = await cac(['apply', 'plan.json'])
    expectNoCrash(applied)
    expect(applied.code, applied.stderr).toBe(0)
    expect(applySummary(applied.stdout)).toBe('Apply complete: 3 created, 0 updated, 0 unchanged.')

    await sandbox.resetCounters()
    const after = await cac(['plan', '--detailed-exitcode'])
    expect(after.code).toBe(0)
    expect(planSummary(after.stdout)).toBe('No changes. Plan: 0 to create, 0 to update, 3 unchanged.')
    expect(await sandbox.writeRoutes()).toEqual({})
  })

  it('apply: --auto-approve with --format json, --target, --parallelism, --timeout, --lock-timeout, --pause-to-update; exit 1 on a change in error', async ({ onTestFinished }) => {
    const project = await tempProject(FILES, { onTestFinished })
    const sandbox = await startExternalSandbox(project, onTestFinished)
    const cac = cacIn(project, sandbox.env)

    const first = await cac(['apply', '--auto-approve', '--target', 'syllable/campaign/*', '--parallelism', '2', '--timeout', '30', '--lock-timeout', '0'])
    expectNoCrash(first)
    expect(first.code, first.stderr).toBe(0)
    expect(applySummary(first.stdout)).toBe('Apply complete: 1 created, 0 updated, 0 unchanged.')

    const json = await cac(['apply', '--auto-approve', '--format', 'json', '--pause-to-update'])
    expect(json.code, json.stderr).toBe(0)
    const result = JSON.parse(json.stdout) as JsonApplyResult
    expect(result.complete).toBe(true)
    expect(result.succeeded.map((change) => change.address).sort()).toEqual(['sarvam/campaign/Surface S', 'syllable/batch/surface-a-1'])

    // A batch whose campaign the --target leaves out is an error: apply refuses the whole plan.
    await writeFile(join(project, 'campaigns/syllable.yaml'), documents(syllableCampaignDoc('Surface A'), syllableCampaignDoc('Surface B'), syllableBatchDoc('surface-b-1', 'Surface B')))
    await sandbox.resetCounters()
    const refused = await cac(['apply', '--auto-approve', '--target', 'syllable/batch/*'])
    expectNoCrash(refused)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^Error: nothing was applied: the plan has 1 change in error/m)
    expect(await sandbox.writeRoutes()).toEqual({})
  })

  it('--config, --env, --color / --no-color, and exit 1 with nothing sent on invalid files', async ({ onTestFinished }) => {
    const project = await tempProject({ ...FILES, 'other/cac.yaml': DEFAULT_CAC_YAML.replace('definitions: campaigns', 'definitions: ../campaigns') }, { onTestFinished })
    const sandbox = await startExternalSandbox(project, onTestFinished)
    await writeFile(join(project, 'sandbox.env'), Object.entries(sandbox.env).map(([name, value]) => `${name}=${value}`).join('\n') + '\n')
    const cac = cacIn(project)

    const viaEnvFile = await cac(['plan', '--config', 'other/cac.yaml', '--env', 'sandbox.env', '--color'])
    expectNoCrash(viaEnvFile)
    expect(viaEnvFile.code, viaEnvFile.stderr).toBe(0)
    expect(viaEnvFile.stdout).toMatch(ANSI_ESCAPE)
    expect(viaEnvFile.stdout.replace(/\u001b\[[0-9;]*m/g, '')).toContain('Plan: 3 to create')
    const plain = await cac(['plan', '--env', 'sandbox.env', '--no-color'], { FORCE_COLOR: '1' })
    expect(plain.code).toBe(0)
    expect(plain.stdout).not.toMatch(ANSI_ESCAPE)
    expect((await sandbox.counters()).total, 'the plans read the external sandbox').toBeGreaterThan(0)

    await writeFile(join(project, 'campaigns/broken.yaml'), 'kind: SyllableCampaign\nprovider: nowhere\nspec: {}\n')
    await sandbox.resetCounters()
    for (const command of [['plan'], ['apply', '--auto-approve']]) {
      const invalid = await cac([...command, '--env', 'sandbox.env'])
      expectNoCrash(invalid)
      expect(invalid.code, command.join(' ')).toBe(1)
      expect(invalid.stderr).toContain('fix the files first')
    }
    expect((await sandbox.counters()).total, 'nothing is sent for invalid files').toBe(0)
  })

  it('drift: exit 0 in sync, 2 after a console edit (text, json, markdown, github), --ignore and --fail-on; GET requests only', async ({ onTestFinished }) => {
    const project = await tempProject({ ...FILES, 'cac.yaml': DEFAULT_CAC_YAML.replace('actor: ci@example.com', `actor: ${SANDBOX_ACTOR}`) }, { onTestFinished })
    const sandbox = await startExternalSandbox(project, onTestFinished)
    const cac = cacIn(project, sandbox.env)
    expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
    await sandbox.resetCounters()
    const clean = await cac(['drift'])
    expectNoCrash(clean)
    expect(clean.code, clean.stdout + clean.stderr).toBe(0)
    expect(clean.stdout).toMatch(/^Drift: 0 drifted, 0 missing, 0 pending, 0 unmanaged, 3 in sync\.$/m)

    await editSyllableCampaign(sandbox.request, 'Surface A', { caller_id: '+19995550042' })
    await sandbox.resetCounters()
    const text = await cac(['drift'])
    expect(text.code).toBe(2)
    expect(text.stdout).toContain('caller_id: "+19995550001" (file) → "+19995550042" (live)')
    const json = await cac(['drift', '--format', 'json'])
    expect(json.code).toBe(2)
    expect((JSON.parse(json.stdout) as { summary: { drifted: number } }).summary.drifted).toBe(1)
    const markdown = await cac(['drift', '--format', 'markdown'])
    expect(markdown.code).toBe(2)
    expect(markdown.stdout).toMatch(/^### Drift: 1 drifted/)
    const github = await cac(['drift', '--format', 'github'])
    expect(github.code).toBe(2)
    expect(github.stdout).toMatch(/^::warning file=campaigns\/syllable\.yaml,line=5,title=cac drift%3A drifted::syllable\/campaign\/Surface A: caller_id/)
    const quiet = await cac(['drift', '--ignore', 'syllable/campaign/Surface A:caller_id', '--fail-on', 'unmanaged'])
    expect(quiet.code, quiet.stdout).toBe(0)
    expect(await sandbox.writeRoutes(), 'drift only reads').toEqual({})
  })

  it('import: --dry-run, --format json, then validate and plan --detailed-exitcode exit 0 with no write', async ({ onTestFinished }) => {
    const project = await tempProject({}, { onTestFinished })
    const sandbox = await startExternalSandbox(project, onTestFinished)
    await createSyllableCampaign(sandbox.request, 'Made Elsewhere', { hourly_rate: 7 })
    await sandbox.resetCounters()
    const cac = cacIn(project, sandbox.env)
    const dry = await cac(['import', '--dry-run'])
    expectNoCrash(dry)
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toContain('would write  campaigns/syllable/campaign-made-elsewhere.yaml  (syllable/campaign/Made Elsewhere)')
    const json = await cac(['import', '--format', 'json'])
    expect(json.code, json.stderr).toBe(0)
    expect((JSON.parse(json.stdout) as { files: { written: boolean }[] }).files).toEqual([expect.objectContaining({ written: true })])
    expect((await cac(['validate'])).code).toBe(0)
    const plan = await cac(['plan', '--detailed-exitcode'])
    expect(plan.code, plan.stdout + plan.stderr).toBe(0)
    expect(await sandbox.writeRoutes(), 'import and plan only read').toEqual({})
  })

  it('--sandbox: every provider goes to the embedded sandbox, whose state persists between runs', async ({ onTestFinished }) => {
    // The embedded sandbox's clock is pinned where the fixtures' Sarvam start times are still ahead.
    const project = await tempProject({ ...FILES, 'cac.yaml': `${DEFAULT_CAC_YAML}sandbox:\n  now: "${SANDBOX_NOW}"\n` }, { onTestFinished })
    const cac = cacIn(project, { SYLLABLE_API_URL: 'https://syllable.invalid', SARVAM_API_URL: 'https://sarvam.invalid' })
    const apply = await cac(['apply', '--auto-approve', '--sandbox'])
    expectNoCrash(apply)
    expect(apply.code, apply.stderr).toBe(0)
    expect(apply.stdout).toContain('sandbox (.cac/sandbox.json)')
    const plan = await cac(['plan', '--sandbox', '--detailed-exitcode'])
    expect(plan.code, plan.stdout).toBe(0)
    expect(planSummary(plan.stdout)).toBe('No changes. Plan: 0 to create, 0 to update, 3 unchanged.')
  })
})
