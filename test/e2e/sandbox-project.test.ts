import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { expectNoCrash } from '../helpers/cli-output.js'
import { applySummary, cacIn, exampleProjectFiles, planSummary } from '../helpers/plan-apply.js'
import { startServingCli } from '../helpers/run-cli.js'
import { tempProject } from '../helpers/temp-project.js'

/** Key material for the example's webhook secret (Base64 of 32 bytes). */
const HMAC = Buffer.from('spawned-sandbox-project-hmac-key').toString('base64')

describe('cac sandbox serve in the example project (the README flow, spawned)', { timeout: 120_000 }, () => {
  it('serves the state and pinned clock of cac.yaml: apply against it, plan again (no changes), the embedded sandbox reads the same state; apply through it waits for the lock; reset empties it', async ({ onTestFinished }) => {
    const project = await tempProject(await exampleProjectFiles(), { onTestFinished })
    const server = await startServingCli(['sandbox', 'serve', '--port', '0'], { cwd: project })
    let stopped = false
    onTestFinished(async () => {
      if (!stopped) await server.stop()
    })
    expect(server.stdout()).toContain(`listening on ${server.url}  (state: .cac/sandbox.json, from cac.yaml)\n`)
    expect(server.stdout()).toContain('  Clock     frozen at 2026-11-24T00:00:00Z (from cac.yaml); move it with PUT /__sandbox/clock\n')

    const served = cacIn(project, { SYLLABLE_API_URL: server.url, SARVAM_API_URL: server.url, SYLLABLE_API_KEY: 'ci@example.com', SARVAM_API_KEY: 'sandbox-key', SYLLABLE_HMAC_SECRET: HMAC })
    const apply = await served(['apply', '--auto-approve'])
    expectNoCrash(apply)
    expect(apply.code, apply.stdout + apply.stderr).toBe(0)
    expect(applySummary(apply.stdout)).toBe('Apply complete: 6 created, 0 updated, 0 unchanged.')
    const again = await served(['plan', '--detailed-exitcode'])
    expect(again.code, again.stdout + again.stderr).toBe(0)
    expect(planSummary(again.stdout)).toBe('No changes. Plan: 0 to create, 0 to update, 6 unchanged.')

    // url: sandbox (no variables): the embedded sandbox reads the file the server writes…
    const embedded = cacIn(project)
    const plan = await embedded(['plan', '--detailed-exitcode'])
    expect(plan.code, plan.stdout + plan.stderr).toBe(0)
    expect(planSummary(plan.stdout)).toBe('No changes. Plan: 0 to create, 0 to update, 6 unchanged.')
    // …but may not write it while the server holds it.
    const holder = JSON.parse(await readFile(join(project, '.cac/sandbox.json.lock'), 'utf8')) as { pid: number; command: string }
    expect(holder.command).toBe('cac sandbox serve')
    const blockedApply = await embedded(['apply', '--auto-approve', '--lock-timeout', '0'])
    expectNoCrash(blockedApply)
    expect(blockedApply.code).toBe(1)
    expect(blockedApply.stderr).toMatch(new RegExp(`the sandbox state file \\S*sandbox\\.json is locked by pid ${holder.pid} on host \\S+ \\(cac sandbox serve, since `))

    stopped = true
    expect((await server.stop()).code).toBe(0)
    const reset = await embedded(['sandbox', 'reset'])
    expect(reset).toMatchObject({ code: 0, stdout: 'sandbox state .cac/sandbox.json (from cac.yaml) reset\n' })
    expect(planSummary((await embedded(['plan'])).stdout)).toBe('Plan: 6 to create, 0 to update, 0 unchanged.')
  })
})
