import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { expectNoCrash } from '../helpers/cli-output.js'
import { sarvamCampaignDoc, UNTIL_ACTIVE_SECONDS } from '../helpers/definitions.js'
import { sarvamCampaign, startInProcessSandbox } from '../helpers/external-sandbox.js'
import { applyLines, applySummary, cacInProcess, expectConverged, planSummary, type JsonApplyResult } from '../helpers/plan-apply.js'
import { startRecordingProxy } from '../helpers/recording-proxy.js'
import { tempProject } from '../helpers/temp-project.js'

const FILE = 'campaigns/sarvam.yaml'
const REFUSAL = 'Campaign cannot be resumed right now'

/** A proxy in front of the sandbox that answers 409 to every resume (pause and patch go through). */
async function refusingResumes(upstream: string, onTestFinished: (cleanup: () => Promise<void>) => void) {
  const proxy = await startRecordingProxy(upstream, {
    answer: (request) =>
      request.method === 'PUT' && request.path.endsWith('/status') && (request.body as { action?: string } | undefined)?.action === 'resume'
        ? { status: 409, body: { detail: REFUSAL } }
        : undefined,
  })
  onTestFinished(() => proxy.close())
  return proxy
}

describe.concurrent('--pause-to-update that cannot resume', { timeout: 180_000 }, () => {
  it.for([['text'], ['json']] as const)(
    'says loudly that the campaign is left paused (--format %s); the next plan shows it and the next apply resumes it',
    async ([format], { onTestFinished }) => {
      const project = await tempProject({ [FILE]: sarvamCampaignDoc('reminders-hi', { description: 'first', paused: false }) }, { onTestFinished })
      const sandbox = await startInProcessSandbox(onTestFinished)
      const cac = cacInProcess(project, sandbox.env)
      expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
      await sandbox.advanceClock(UNTIL_ACTIVE_SECONDS)
      expect(await sarvamCampaign(sandbox.request, 'reminders-hi')).toMatchObject({ status: 'active' })
      await writeFile(join(project, FILE), sarvamCampaignDoc('reminders-hi', { description: 'second', paused: false }))

      // The platform pauses and patches, and then refuses every resume.
      const proxy = await refusingResumes(sandbox.url, onTestFinished)
      const apply = await cac(['apply', '--auto-approve', '--pause-to-update', '--format', format], { SARVAM_API_URL: proxy.url })
      expectNoCrash(apply)
      expect(apply.code).toBe(1)
      const warning = expect.stringMatching(
        new RegExp(`^campaign "reminders-hi" is LEFT PAUSED: cac paused it for --pause-to-update and could not resume it \\(.*${REFUSAL}.*\\); resume it on the platform, or run apply again$`),
      )
      if (format === 'text') {
        expect(applyLines(apply.stdout)).toEqual([
          { outcome: 'failed', address: 'sarvam/campaign/reminders-hi', detail: expect.stringContaining('was updated but could not be resumed, so it is left paused') },
        ])
        const lines = apply.stdout.trimEnd().split('\n')
        const marked = lines.filter((line) => line.startsWith('⚠ WARNING: '))
        expect(marked).toHaveLength(1)
        expect(marked[0]!.slice('⚠ WARNING: sarvam/campaign/reminders-hi: '.length)).toEqual(warning)
        // Right above the summary, where it is read.
        expect(lines.indexOf(marked[0]!)).toBe(lines.length - 3)
        expect(applySummary(apply.stdout)).toBe('Apply incomplete: 0 created, 0 updated, 1 failed, 0 unchanged.')
      } else {
        const result = JSON.parse(apply.stdout) as JsonApplyResult
        expect(result.failed).toEqual([{ address: 'sarvam/campaign/reminders-hi', action: 'update', message: expect.stringContaining('left paused'), cause: 'state', warning }])
        expect(result.warnings).toEqual([{ address: 'sarvam/campaign/reminders-hi', message: warning }])
        expect(result.complete).toBe(false)
      }
      expect(await sarvamCampaign(sandbox.request, 'reminders-hi')).toMatchObject({ status: 'paused', description: 'second' })

      // The platform again (no proxy): the plan shows the campaign paused against the file.
      const plan = await cac(['plan', '--detailed-exitcode'])
      expectNoCrash(plan)
      expect(plan.code, plan.stderr).toBe(2)
      expect(plan.stdout).toContain('~ update  sarvam/campaign/reminders-hi\n      paused: true → false\n')
      expect(planSummary(plan.stdout)).toBe('Plan: 0 to create, 1 to update, 0 unchanged.')

      const resume = await cac(['apply', '--auto-approve'])
      expectNoCrash(resume)
      expect(resume.code, resume.stderr).toBe(0)
      expect(applyLines(resume.stdout)).toEqual([expect.objectContaining({ outcome: 'updated', detail: expect.stringMatching(/^id camp-\w+, resumed, \d+ ms$/) })])
      expect(await sarvamCampaign(sandbox.request, 'reminders-hi')).toMatchObject({ status: 'active', description: 'second' })
      await expectConverged(cac, sandbox)
    },
  )

  it('a file that does not manage paused: the next plan points the paused campaign out, in text, JSON and markdown', async ({ onTestFinished }) => {
    const project = await tempProject({ [FILE]: sarvamCampaignDoc('silent-hi', { description: 'first' }) }, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const cac = cacInProcess(project, sandbox.env)
    expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
    await sandbox.advanceClock(UNTIL_ACTIVE_SECONDS)
    await writeFile(join(project, FILE), sarvamCampaignDoc('silent-hi', { description: 'second' }))
    const proxy = await refusingResumes(sandbox.url, onTestFinished)
    const apply = await cac(['apply', '--auto-approve', '--pause-to-update'], { SARVAM_API_URL: proxy.url })
    expect(apply.code).toBe(1)
    expect(apply.stdout).toContain('⚠ WARNING: sarvam/campaign/silent-hi: campaign "silent-hi" is LEFT PAUSED')

    const notice = 'sarvam/campaign/silent-hi: paused on the platform, and its file does not manage `paused`: apply leaves it paused (write `paused: false` to have apply resume it)'
    const plan = await cac(['plan', '--detailed-exitcode'])
    expectNoCrash(plan)
    expect(plan.code, plan.stderr).toBe(0)
    expect(plan.stdout).toContain(`Notices:\n  ⚠ ${notice}\n`)
    const json = JSON.parse((await cac(['plan', '--format', 'json'])).stdout) as { changes: { address: string; live_status: string; notice: string | null }[] }
    expect(json.changes).toEqual([expect.objectContaining({ address: 'sarvam/campaign/silent-hi', live_status: 'paused', notice: notice.slice('sarvam/campaign/silent-hi: '.length) })])
    expect((await cac(['plan', '--format', 'markdown'])).stdout).toContain('- ⚠ <code>sarvam/campaign/silent-hi</code>: paused on the platform')
    await expectConverged(cac, sandbox)
  })
})
