import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { eventually, startCli, type BackgroundCli } from '../helpers/background-cli.js'
import { expectNoCrash } from '../helpers/cli-output.js'
import { documents, syllableCampaignDoc } from '../helpers/definitions.js'
import { ROUTES, routeCounts, startExternalSandbox, type ExternalSandbox } from '../helpers/external-sandbox.js'
import { applyLines, applySummary, cacIn, CLI_TIMEOUT_MS, expectConverged, type JsonApplyResult } from '../helpers/plan-apply.js'
import { startRecordingProxy } from '../helpers/recording-proxy.js'
import { tempProject } from '../helpers/temp-project.js'

const LOCK = '.cac/apply.lock'
const COUNT = 30

/** COUNT independent Syllable campaigns: creates that take a while each, against a slow sandbox. */
function campaigns(): Record<string, string> {
  const docs = Array.from({ length: COUNT }, (_, i) =>
    syllableCampaignDoc(`Slow ${String(i).padStart(2, '0')}`, { caller_id: `+1999555${String(i).padStart(4, '0')}` }),
  )
  return { 'campaigns/slow.yaml': documents(...docs) }
}

interface Slow {
  project: string
  sandbox: ExternalSandbox
  apply: (args?: string[]) => BackgroundCli
}

/** A project of COUNT campaigns and an external sandbox that answers after `latencyMs`. */
async function slowProject(onTestFinished: (cleanup: () => Promise<void>) => void, latencyMs: number): Promise<Slow> {
  const project = await tempProject(campaigns(), { onTestFinished })
  const sandbox = await startExternalSandbox(project, onTestFinished)
  await sandbox.setFaults({ latency_ms: latencyMs })
  const apply = (args: string[] = []) =>
    startCli(['apply', '--auto-approve', '--parallelism', '2', ...args], { cwd: project, env: sandbox.env, timeoutMs: CLI_TIMEOUT_MS })
  return { project, sandbox, apply }
}

/** Syllable campaigns on the sandbox now. */
async function campaignCount(sandbox: ExternalSandbox): Promise<number> {
  return Object.keys((await sandbox.state()).syllable.campaigns).length
}

/** After an interrupted run: the next apply creates the rest, and then nothing is left to do. */
async function expectFinishesAndConverges(slow: Slow): Promise<void> {
  await slow.sandbox.setFaults({ latency_ms: 0 })
  const cac = cacIn(slow.project, slow.sandbox.env)
  const rest = await cac(['apply', '--auto-approve'])
  expectNoCrash(rest)
  expect(rest.code, `${rest.stdout}${rest.stderr}`).toBe(0)
  expect(await campaignCount(slow.sandbox)).toBe(COUNT)
  await expectConverged(cac, slow.sandbox)
}

describe.concurrent('interrupting cac apply', { timeout: 180_000 }, () => {
  it('SIGINT while applying: nothing new starts, what was in flight ends, the summary says interrupted, exit 130; the next apply converges', async ({ onTestFinished }) => {
    const slow = await slowProject(onTestFinished, 150)
    const run = slow.apply()
    await run.waitFor(/^✓ created/m)
    run.signal('SIGINT')
    const result = await run.ended
    expectNoCrash(result)
    expect(result.code, `${result.stdout}${result.stderr}`).toBe(130)
    expect(result.stderr).toContain('Interrupted (SIGINT): starting nothing new; waiting up to 30 s for what is in flight.')

    const created = applyLines(result.stdout).filter((line) => line.outcome === 'created').length
    const summary = applySummary(result.stdout)
    expect(summary).toBe(`Apply interrupted (SIGINT): ${created} created, 0 updated, ${COUNT - created} not started, 0 unchanged.`)
    expect(created).toBeGreaterThan(0)
    expect(created).toBeLessThan(COUNT)
    expect(result.stdout).toContain('\nNot started (interrupted):\n  syllable/campaign/Slow ')
    expect(result.stdout).toContain('Nothing was started after the interrupt. Run apply again to finish; what succeeded is not repeated.\n')
    // The report is the truth: every campaign the sandbox has was reported created, and no more were sent.
    expect(await campaignCount(slow.sandbox)).toBe(created)
    expect(routeCounts(await slow.sandbox.counters())[ROUTES.createSyllableCampaign]).toBe(created)
    expect(existsSync(join(slow.project, LOCK))).toBe(false)

    await expectFinishesAndConverges(slow)
  })

  it('SIGTERM with --format json: exit 143 and one complete JSON document that lists what was not started', async ({ onTestFinished }) => {
    const slow = await slowProject(onTestFinished, 150)
    const run = slow.apply(['--format', 'json'])
    // Nothing is printed while applying in JSON: wait for the sandbox to see the first create.
    await eventually(async () => (routeCounts(await slow.sandbox.counters())[ROUTES.createSyllableCampaign] ?? 0) >= 2, 'a create reached the sandbox')
    run.signal('SIGTERM')
    const result = await run.ended
    expectNoCrash(result)
    expect(result.code, result.stderr).toBe(143)
    const report = JSON.parse(result.stdout) as JsonApplyResult
    expect(report).toMatchObject({ format_version: 1, interrupted: true, signal: 'SIGTERM', complete: false, failed: [], unfinished: [] })
    expect(report.succeeded.length).toBeGreaterThan(0)
    expect(report.succeeded.length + report.not_started.length).toBe(COUNT)
    for (const entry of report.not_started) {
      expect(entry).toEqual({ address: expect.stringMatching(/^syllable\/campaign\/Slow \d\d$/), action: 'create', reason: 'not started: the run was interrupted' })
    }
    expect(await campaignCount(slow.sandbox)).toBe(report.succeeded.length)
    expect(existsSync(join(slow.project, LOCK))).toBe(false)

    await expectFinishesAndConverges(slow)
  })

  it('a second signal stops at once, without waiting for what is in flight, and still releases the lock', async ({ onTestFinished }) => {
    const slow = await slowProject(onTestFinished, 2_500)
    const run = slow.apply()
    await run.waitFor(/^✓ created/m, 60_000)
    run.signal('SIGINT')
    await run.waitFor(/Interrupted \(SIGINT\)/)
    const second = performance.now()
    run.signal('SIGINT')
    const result = await run.ended
    expect(result.code).toBe(130)
    // The creates in flight take 2.5 s to answer: the process did not wait for them.
    expect(performance.now() - second).toBeLessThan(2_000)
    expect(result.stderr).toContain('Interrupted again: stopping now, without waiting for the changes in flight; run `cac plan` to see what was applied.\n')
    expect(result.stderr).not.toMatch(/Internal error|at .*\.js:\d+/)
    expect(existsSync(join(slow.project, LOCK))).toBe(false)

    // The sandbox commits a create at once and answers (and counts it) after the latency: wait until
    // the creates the process left in flight are counted, so that they are not taken for later writes.
    await eventually(
      async () => (routeCounts(await slow.sandbox.counters())[ROUTES.createSyllableCampaign] ?? 0) === (await campaignCount(slow.sandbox)),
      'the abandoned creates are answered',
    )
    // Creates committed after the process left are found by the next plan: no duplicates.
    await expectFinishesAndConverges(slow)
    const names = Object.values((await slow.sandbox.state()).syllable.campaigns).map((c) => c.campaign_name)
    expect(new Set(names).size).toBe(names.length)
  })

  it('SIGTERM while planning (nothing sent but reads): "Interrupted: nothing was applied", exit 143, no write', async ({ onTestFinished }) => {
    const slow = await slowProject(onTestFinished, 3_000)
    const proxy = await startRecordingProxy(slow.sandbox.url)
    onTestFinished(() => proxy.close())
    const run = startCli(['apply', '--auto-approve'], {
      cwd: slow.project,
      env: { ...slow.sandbox.env, SYLLABLE_API_URL: proxy.url, SARVAM_API_URL: proxy.url },
      timeoutMs: CLI_TIMEOUT_MS,
    })
    await eventually(() => proxy.requests.length > 0, 'the plan sent its first read')
    const signalled = performance.now()
    run.signal('SIGTERM')
    const result = await run.ended
    expectNoCrash(result)
    expect(result.code, result.stderr).toBe(143)
    expect(performance.now() - signalled).toBeLessThan(2_500)
    expect(result.stderr).toMatch(/Interrupted: nothing was applied\.\n$/)
    expect(result.stdout).toBe('')
    expect(proxy.requests.every((request) => request.method === 'GET')).toBe(true)
    expect(existsSync(join(slow.project, LOCK))).toBe(false)
  })

  it('SIGINT while waiting for another apply\'s lock: nothing applied, exit 130, and the other lock is left alone', async ({ onTestFinished }) => {
    const held = `${JSON.stringify({ pid: process.pid, host: hostname(), command: 'the test', started_at: '2026-11-24T10:00:00.000Z', token: 't' })}\n`
    const project = await tempProject({ ...campaigns(), [LOCK]: held }, { onTestFinished })
    const sandbox = await startExternalSandbox(project, onTestFinished)
    const run = startCli(['apply', '--auto-approve'], { cwd: project, env: sandbox.env, timeoutMs: CLI_TIMEOUT_MS })
    await run.waitFor(/waiting up to 60 s/)
    run.signal('SIGINT')
    const result = await run.ended
    expectNoCrash(result)
    expect(result.code).toBe(130)
    expect(result.stderr).toMatch(/Interrupted: nothing was applied\.\n$/)
    expect(await readFile(join(project, LOCK), 'utf8')).toBe(held)
    expect((await sandbox.counters()).routes).toEqual({})
  })
})
