import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { startCli } from '../helpers/background-cli.js'
import { expectNoCrash } from '../helpers/cli-output.js'
import { campaignsWithBatches, syllableCampaignDoc } from '../helpers/definitions.js'
import { ROUTES, startExternalSandbox } from '../helpers/external-sandbox.js'
import { applyLines, applySummary, cacIn, CLI_TIMEOUT_MS, expectConverged, planSummary } from '../helpers/plan-apply.js'
import { startServingCli, type CliResult } from '../helpers/run-cli.js'
import { tempProject } from '../helpers/temp-project.js'

const LOCK = '.cac/apply.lock'
const STATE = '.cac/sandbox.json'

const pad = (i: number) => String(i).padStart(3, '0')

/** `count` Syllable campaigns, each with a batch, in one file. */
const pairs = (count: number) => campaignsWithBatches('Pair', count, (i) => i + 5)

/** A lock record as cac writes it. */
function lockRecord(fields: { pid: number; host?: string; command?: string }): string {
  return `${JSON.stringify({ host: hostname(), command: 'cac apply', started_at: '2026-11-24T10:00:00.000Z', token: 'held-by-the-test', ...fields })}\n`
}

/** The pid of a process that has ended. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout)
}

interface EmbeddedState {
  syllable: { campaigns: Record<string, { id: number; campaign_name: string }>; batches: Record<string, { batch_id: string; campaign_id: number }> }
}

/** The embedded sandbox's state file: every campaign exactly once, every batch on its own campaign. */
async function expectEveryPairOnce(project: string, count: number): Promise<void> {
  const state = JSON.parse(await readFile(join(project, STATE), 'utf8')) as EmbeddedState
  const campaigns = Object.values(state.syllable.campaigns)
  expect(campaigns.map((c) => c.campaign_name).sort()).toEqual(Array.from({ length: count }, (_, i) => `Pair ${pad(i)}`))
  const idOf = new Map(campaigns.map((c) => [c.campaign_name, c.id]))
  const batches = Object.values(state.syllable.batches)
  expect(batches).toHaveLength(count)
  for (const batch of batches) expect(batch.campaign_id, batch.batch_id).toBe(idOf.get(`Pair ${batch.batch_id.slice('pair-'.length)}`))
}

/** One run applied everything, the other (which planned after it) had nothing left to do. */
function expectOneAppliedOneUnchanged(runs: CliResult[], count: number): void {
  for (const run of runs) {
    expectNoCrash(run)
    expect(run.code, `${run.stdout}${run.stderr}`).toBe(0)
  }
  const summaries = runs.map((run) => applySummary(run.stdout)).sort()
  expect(summaries).toEqual([
    `Apply complete: 0 created, 0 updated, ${2 * count} unchanged.`,
    `Apply complete: ${2 * count} created, 0 updated, 0 unchanged.`,
  ])
}

/** With the embedded sandbox: apply again and plan again change nothing, and the state file is not rewritten. */
async function expectEmbeddedConverged(project: string, count: number): Promise<void> {
  const cac = cacIn(project)
  const before = await readFile(join(project, STATE), 'utf8')
  const apply = await cac(['apply', '--auto-approve'])
  expect(apply.code, apply.stderr).toBe(0)
  expect(applySummary(apply.stdout)).toBe(`Apply complete: 0 created, 0 updated, ${2 * count} unchanged.`)
  const plan = await cac(['plan', '--detailed-exitcode'])
  expect(plan.code, plan.stderr).toBe(0)
  expect(planSummary(plan.stdout)).toBe(`No changes. Plan: 0 to create, 0 to update, ${2 * count} unchanged.`)
  expect(await readFile(join(project, STATE), 'utf8')).toBe(before)
  expect(existsSync(join(project, LOCK))).toBe(false)
  expect(existsSync(join(project, `${STATE}.lock`))).toBe(false)
}

describe.concurrent('one apply at a time per project', { timeout: 240_000 }, () => {
  it('two applies started together with the embedded sandbox: every campaign once, both exit 0, the state file keeps every write', async ({ onTestFinished }) => {
    const count = 25
    const project = await tempProject(pairs(count), { onTestFinished })
    const [first, second] = await Promise.all([cacIn(project)(['apply', '--auto-approve']), cacIn(project)(['apply', '--auto-approve'])])
    expectOneAppliedOneUnchanged([first!, second!], count)
    await expectEveryPairOnce(project, count)
    await expectEmbeddedConverged(project, count)
  })

  it('two applies waiting on the same lock race for it when it is freed: one applies, the other waits for it and then has nothing to do', async ({ onTestFinished }) => {
    const count = 25
    const project = await tempProject({ ...pairs(count), [LOCK]: lockRecord({ pid: process.pid, command: 'the test' }) }, { onTestFinished })
    const runs = [startCli(['apply', '--auto-approve'], { cwd: project }), startCli(['apply', '--auto-approve'], { cwd: project })]
    const waiting = new RegExp(`^note: this project is locked by pid ${process.pid} on host \\S+ \\(the test, since 2026-11-24T10:00:00.000Z\\); waiting up to 60 s for it \\(lock file \\.cac/apply\\.lock\\)$`, 'm')
    await Promise.all(runs.map((run) => run.waitFor(waiting)))
    // Both are waiting: free the lock, and they race for it.
    await rm(join(project, LOCK))
    const results = await Promise.all(runs.map((run) => run.ended))
    expectOneAppliedOneUnchanged(results, count)
    // The loser said who it waited for next: the winner, by pid.
    const winner = results.findIndex((result) => applySummary(result.stdout)!.includes(`${2 * count} created`))
    const loser = results[1 - winner]!
    expect(loser.stderr).toContain(`note: this project is locked by pid ${runs[winner]!.pid} on host `)
    for (const result of results) expect(result.stderr.match(/waiting up to/g)!.length).toBeLessThanOrEqual(2)
    await expectEveryPairOnce(project, count)
    await expectEmbeddedConverged(project, count)
  })

  it('while an apply runs, a second one waits for it (saying so once) and a third with --lock-timeout 0 is refused at once, naming the holder, sending nothing', async ({ onTestFinished }) => {
    const count = 20
    const project = await tempProject(pairs(count), { onTestFinished })
    const sandbox = await startExternalSandbox(project, onTestFinished)
    const untouched = await startExternalSandbox(project, onTestFinished)
    await sandbox.setFaults({ latency_ms: 50 })
    const cac = cacIn(project, sandbox.env)

    const first = startCli(['apply', '--auto-approve', '--parallelism', '1'], { cwd: project, env: sandbox.env, timeoutMs: CLI_TIMEOUT_MS })
    await first.waitFor(/^✓ created/m)
    // Held still (alive, holding the lock) while the others try, however loaded the machine is.
    first.signal('SIGSTOP')
    onTestFinished(() => first.signal('SIGCONT'))
    const second = startCli(['apply', '--auto-approve'], { cwd: project, env: sandbox.env, timeoutMs: CLI_TIMEOUT_MS })
    await second.waitFor(/waiting up to 60 s/)

    // The third run points at another sandbox: the lock belongs to the project folder, not to a target.
    const refused = await cac(['apply', '--auto-approve', '--lock-timeout', '0'], untouched.env)
    expectNoCrash(refused)
    expect(refused.code).toBe(1)
    expect(refused.stdout).toBe('')
    expect(refused.stderr).toMatch(
      new RegExp(
        `^Error: this project is locked by pid ${first.pid} on host \\S+ \\(cac apply, since [0-9T:.Z-]+\\); not waiting \\(lock timeout 0\\)\\. ` +
          'If that process is not running any more \\(it crashed, or ran on another machine\\), remove \\.cac/apply\\.lock and try again\\n$',
      ),
    )
    expect(refused.durationMs).toBeLessThan(10_000)
    expect((await untouched.counters()).routes).toEqual({})
    first.signal('SIGCONT')

    const [firstResult, secondResult] = await Promise.all([first.ended, second.ended])
    expect(firstResult.code, firstResult.stderr).toBe(0)
    expect(applySummary(firstResult.stdout)).toBe(`Apply complete: ${2 * count} created, 0 updated, 0 unchanged.`)
    expect(secondResult.code, secondResult.stderr).toBe(0)
    expect(secondResult.stderr.match(/waiting up to/g)).toHaveLength(1)
    expect(secondResult.stderr).toContain(`note: this project is locked by pid ${first.pid} on host `)
    expect(planSummary(secondResult.stdout)).toBe(`No changes. Plan: 0 to create, 0 to update, ${2 * count} unchanged.`)
    const state = await sandbox.state()
    expect(Object.values(state.syllable.campaigns)).toHaveLength(count)
    expect(existsSync(join(project, LOCK))).toBe(false)

    await sandbox.setFaults({ latency_ms: 0 })
    await expectConverged(cac, sandbox)
  })

  it('a lock left by a process of this host that is no longer running is taken over, with a note', async ({ onTestFinished }) => {
    const dead = deadPid()
    const project = await tempProject({ ...pairs(2), [LOCK]: lockRecord({ pid: dead }) }, { onTestFinished })
    const sandbox = await startExternalSandbox(project, onTestFinished)
    const cac = cacIn(project, sandbox.env)
    const apply = await cac(['apply', '--auto-approve', '--lock-timeout', '0'])
    expectNoCrash(apply)
    expect(apply.code, apply.stderr).toBe(0)
    expect(apply.stderr).toContain(
      `note: took over the lock .cac/apply.lock of this project from pid ${dead} on host ${hostname()} (cac apply, since 2026-11-24T10:00:00.000Z), which is no longer running\n`,
    )
    expect(applySummary(apply.stdout)).toBe('Apply complete: 4 created, 0 updated, 0 unchanged.')
    expect(existsSync(join(project, LOCK))).toBe(false)
    await expectConverged(cac, sandbox)
  })

  it('a lock held on another host is never taken over: refused with what to remove, and nothing is sent', async ({ onTestFinished }) => {
    const project = await tempProject({ ...pairs(2), [LOCK]: lockRecord({ pid: deadPid(), host: 'ci-runner-7' }) }, { onTestFinished })
    const sandbox = await startExternalSandbox(project, onTestFinished)
    const cac = cacIn(project, sandbox.env)
    const apply = await cac(['apply', '--auto-approve', '--lock-timeout', '0'])
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    expect(apply.stderr).toMatch(/^Error: this project is locked by pid \d+ on host ci-runner-7 \(cac apply, since 2026-11-24T10:00:00.000Z\); not waiting .*remove \.cac\/apply\.lock and try again\n$/)
    expect((await sandbox.counters()).routes).toEqual({})
    expect(existsSync(join(project, LOCK))).toBe(true)

    // Removed as the message says: the next apply goes ahead.
    await rm(join(project, LOCK))
    expect((await cac(['apply', '--auto-approve', '--lock-timeout', '0'])).code).toBe(0)
    await expectConverged(cac, sandbox)
  })

  it('the lock is released after a failed apply and after one that could not reach the platform', async ({ onTestFinished }) => {
    const project = await tempProject(pairs(2), { onTestFinished })
    const sandbox = await startExternalSandbox(project, onTestFinished)
    const cac = cacIn(project, sandbox.env)
    await sandbox.scheduleFault('error500', ROUTES.createSyllableCampaign, 20)
    const failed = await cac(['apply', '--auto-approve', '--lock-timeout', '0'])
    expectNoCrash(failed)
    expect(failed.code).toBe(1)
    expect(applyLines(failed.stdout).some((line) => line.outcome === 'failed')).toBe(true)
    expect(existsSync(join(project, LOCK))).toBe(false)

    const unreachable = await cac(['apply', '--auto-approve', '--lock-timeout', '0'], { SYLLABLE_API_URL: 'http://127.0.0.1:9', SARVAM_API_URL: 'http://127.0.0.1:9' })
    expectNoCrash(unreachable)
    expect(unreachable.code).toBe(1)
    expect(unreachable.stderr).toMatch(/^Error: /)
    expect(existsSync(join(project, LOCK))).toBe(false)

    await sandbox.clearFaults()
    const next = await cac(['apply', '--auto-approve', '--lock-timeout', '0'])
    expect(next.code, next.stderr).toBe(0)
    await expectConverged(cac, sandbox)
  })
})

describe.concurrent('the sandbox state file has one writer', { timeout: 120_000 }, () => {
  it('while `cac sandbox serve --state` holds it: apply with the embedded sandbox, a second serve and reset are refused naming the holder; plan still reads it', async ({ onTestFinished }) => {
    const project = await tempProject(pairs(2), { onTestFinished })
    const cac = cacIn(project)
    expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
    const before = await readFile(join(project, STATE), 'utf8')

    const server = await startServingCli(['sandbox', 'serve', '--port', '0', '--state', STATE], { cwd: project })
    let stopped = false
    onTestFinished(async () => {
      if (!stopped) await server.stop()
    })
    const holder = JSON.parse(await readFile(join(project, `${STATE}.lock`), 'utf8')) as { pid: number; command: string }
    expect(holder.command).toBe('cac sandbox serve')
    const named = new RegExp(`the sandbox state file \\S*sandbox\\.json is locked by pid ${holder.pid} on host \\S+ \\(cac sandbox serve, since `)

    await writeFile(join(project, 'campaigns/more.yaml'), syllableCampaignDoc('Extra'))
    const apply = await cac(['apply', '--auto-approve', '--lock-timeout', '0'])
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    expect(apply.stderr).toMatch(named)
    expect(apply.stderr).not.toContain('Extra')

    const plan = await cac(['plan'])
    expectNoCrash(plan)
    expect(plan.code, plan.stderr).toBe(0)
    expect(planSummary(plan.stdout)).toBe('Plan: 1 to create, 0 to update, 4 unchanged.')

    const secondServer = await cac(['sandbox', 'serve', '--port', '0', '--state', STATE])
    expect(secondServer.code).toBe(1)
    expect(secondServer.stderr).toMatch(named)
    const reset = await cac(['sandbox', 'reset', '--state', STATE, '--lock-timeout', '0'])
    expectNoCrash(reset)
    expect(reset.code).toBe(1)
    expect(reset.stderr).toMatch(named)
    expect(await readFile(join(project, STATE), 'utf8')).toBe(before)
    expect(existsSync(join(project, LOCK))).toBe(false)

    stopped = true
    await server.stop()
    expect(existsSync(join(project, `${STATE}.lock`))).toBe(false)
    const after = await cac(['apply', '--auto-approve', '--lock-timeout', '0'])
    expect(after.code, after.stderr).toBe(0)
    expect(applySummary(after.stdout)).toBe('Apply complete: 1 created, 0 updated, 4 unchanged.')
    const again = await cac(['plan', '--detailed-exitcode'])
    expect(again.code).toBe(0)
  })

  it('plan with the embedded sandbox writes nothing and takes no lock', async ({ onTestFinished }) => {
    const project = await tempProject(pairs(1), { onTestFinished })
    const cac = cacIn(project)
    expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
    const before = await readFile(join(project, STATE), 'utf8')
    // A lock held by a live process (this test) does not stop a plan.
    await writeFile(join(project, `${STATE}.lock`), lockRecord({ pid: process.pid }))
    await writeFile(join(project, LOCK), lockRecord({ pid: process.pid }))
    const plan = await cac(['plan', '--detailed-exitcode'])
    expect(plan.code, plan.stderr).toBe(0)
    expect(await readFile(join(project, STATE), 'utf8')).toBe(before)
    expect(await readFile(join(project, LOCK), 'utf8')).toBe(lockRecord({ pid: process.pid }))
  })
})
