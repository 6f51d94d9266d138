import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { expectNoCrash } from '../helpers/cli-output.js'
import { documents, sarvamCampaignDoc, syllableBatchDoc, syllableCampaignDoc, UNTIL_ACTIVE_SECONDS } from '../helpers/definitions.js'
import { SYLLABLE_CAMPAIGNS, sarvamCampaign, startInProcessSandbox } from '../helpers/external-sandbox.js'
import { applySummary, cacInProcess, expectConverged, type JsonApplyResult } from '../helpers/plan-apply.js'
import { startRecordingProxy, type ProxyAnswer, type RecordedRequest } from '../helpers/recording-proxy.js'
import { tempProject } from '../helpers/temp-project.js'

const RETRY = /run apply again to retry/i

/** The lines after the summary line of a text apply: the advice. */
function adviceOf(stdout: string): string[] {
  const lines = stdout.trimEnd().split('\n')
  const summary = lines.findIndex((line) => line.startsWith('Apply '))
  expect(summary, stdout).toBeGreaterThan(-1)
  return lines.slice(summary + 1)
}

/** A POST that creates the Syllable campaign named `name`. */
const createsCampaign = (request: RecordedRequest, name: string) =>
  request.method === 'POST' && request.path === SYLLABLE_CAMPAIGNS && (request.body as { campaign_name?: string } | undefined)?.campaign_name === name

describe.concurrent('apply advises what fits the failure', { timeout: 120_000 }, () => {
  it('a key the platform refuses (401): check the key; no retry advised; with the key accepted, apply converges', async ({ onTestFinished }) => {
    const project = await tempProject({ 'campaigns/a.yaml': syllableCampaignDoc('Spring') }, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const proxy = await startRecordingProxy(sandbox.url, {
      answer: (request): ProxyAnswer | undefined => (request.method === 'POST' ? { status: 401, body: { detail: 'Invalid API key' } } : undefined),
    })
    onTestFinished(() => proxy.close())
    const cac = cacInProcess(project, sandbox.env)

    const apply = await cac(['apply', '--auto-approve'], { SYLLABLE_API_URL: proxy.url })
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    expect(adviceOf(apply.stdout)).toEqual([
      'The platform refused the API key of provider syllable (401/403): check the api_key in cac.yaml and the variable it names; trying again with the same key fails the same way.',
    ])
    const json = JSON.parse((await cac(['apply', '--auto-approve', '--format', 'json'], { SYLLABLE_API_URL: proxy.url })).stdout) as JsonApplyResult & { failed: { cause: string }[] }
    expect(json.failed).toEqual([expect.objectContaining({ address: 'syllable/campaign/Spring', cause: 'credentials' })])

    expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
    await expectConverged(cac, sandbox)
  })

  it('reading with a refused key (plan): the error is followed by the same advice', async ({ onTestFinished }) => {
    const project = await tempProject({ 'campaigns/a.yaml': syllableCampaignDoc('Spring') }, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const proxy = await startRecordingProxy(sandbox.url, { answer: () => ({ status: 403, body: { detail: 'Forbidden' } }) })
    onTestFinished(() => proxy.close())

    const plan = await cacInProcess(project, sandbox.env)(['plan'], { SYLLABLE_API_URL: proxy.url })
    expectNoCrash(plan)
    expect(plan.code).toBe(1)
    expect(plan.stderr).toMatch(
      /^Error: syllable → http:\/\/127\.0\.0\.1:\d+: GET \/api\/v1\/outbound\/campaigns → 403: Forbidden\nThe platform refused the API key of provider syllable \(401\/403\): check the api_key in cac\.yaml/,
    )
  })

  it('a value the platform rejects (422): fix the field it names; the one that failed on the way (503) is retried; what depends on the rejected one is skipped', async ({
    onTestFinished,
  }) => {
    const project = await tempProject(
      {
        'campaigns/a.yaml': documents(
          syllableCampaignDoc('Rejected', { caller_id: '+19995550001' }),
          syllableBatchDoc('rejected-1', 'Rejected'),
          syllableCampaignDoc('Unlucky', { caller_id: '+19995550002' }),
        ),
      },
      { onTestFinished },
    )
    const sandbox = await startInProcessSandbox(onTestFinished)
    const proxy = await startRecordingProxy(sandbox.url, {
      answer: (request): ProxyAnswer | undefined => {
        if (createsCampaign(request, 'Rejected')) {
          return { status: 422, body: { detail: [{ loc: ['body', 'caller_id'], msg: 'caller id is not verified for this account', type: 'value_error' }] } }
        }
        return createsCampaign(request, 'Unlucky') ? { status: 503, body: { detail: 'Service Unavailable' } } : undefined
      },
    })
    onTestFinished(() => proxy.close())
    const cac = cacInProcess(project, sandbox.env)

    const apply = await cac(['apply', '--auto-approve'], { SYLLABLE_API_URL: proxy.url })
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    expect(applySummary(apply.stdout)).toBe('Apply incomplete: 0 created, 0 updated, 2 failed, 1 skipped, 0 unchanged.')
    expect(adviceOf(apply.stdout)).toEqual([
      'Fix caller_id of syllable/campaign/Rejected in its file: the platform rejected it, and running apply again unchanged fails the same way.',
      'Run apply again to retry the change that failed on the way (network, timeout, throttling or a server error); what succeeded is not repeated.',
    ])

    // Once the platform takes both (the caller id verified, the outage over): done.
    expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
    await expectConverged(cac, sandbox)
  })

  it('a Sarvam campaign that is running: blocked, the advice says what lets it through; with --pause-to-update it is applied', async ({ onTestFinished }) => {
    const file = 'campaigns/sarvam.yaml'
    const project = await tempProject({ [file]: sarvamCampaignDoc('reminders-hi', { description: 'first' }) }, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const cac = cacInProcess(project, sandbox.env)
    expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
    await sandbox.advanceClock(UNTIL_ACTIVE_SECONDS)
    expect(await sarvamCampaign(sandbox.request, 'reminders-hi')).toMatchObject({ status: 'active' })
    await writeFile(join(project, file), sarvamCampaignDoc('reminders-hi', { description: 'second' }))

    await sandbox.resetCounters()
    const blocked = await cac(['apply', '--auto-approve'])
    expectNoCrash(blocked)
    expect(blocked.code).toBe(1)
    expect(blocked.stdout).toContain('sarvam/campaign/reminders-hi: blocked: campaign is active')
    const advice = adviceOf(blocked.stdout)
    expect(advice).toEqual([
      'The blocked change is not made by running apply again: do what the reason above says (e.g. --pause-to-update for a running campaign), or change the file.',
    ])
    expect(advice.join('\n')).not.toMatch(RETRY)
    expect(await sandbox.writeRoutes(), 'nothing is written for a blocked change').toEqual({})

    const paused = await cac(['apply', '--auto-approve', '--pause-to-update'])
    expect(paused.code, paused.stdout).toBe(0)
    expect(await sarvamCampaign(sandbox.request, 'reminders-hi')).toMatchObject({ status: 'active', description: 'second' })
    await expectConverged(cac, sandbox)
  })

  it('a Sarvam campaign that has ended: blocked, no retry advised; with the file back as it was, nothing is left to do', async ({ onTestFinished }) => {
    const file = 'campaigns/sarvam.yaml'
    const project = await tempProject({ [file]: sarvamCampaignDoc('reminders-hi', { description: 'first' }) }, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const cac = cacInProcess(project, sandbox.env)
    expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
    // Past its end_timestamp (2026-12-10, 16 days after the sandbox's clock).
    await sandbox.advanceClock(20 * 24 * 3600)
    expect(await sarvamCampaign(sandbox.request, 'reminders-hi')).toMatchObject({ status: 'ended' })
    await writeFile(join(project, file), sarvamCampaignDoc('reminders-hi', { description: 'second' }))

    const blocked = await cac(['apply', '--auto-approve'])
    expectNoCrash(blocked)
    expect(blocked.code).toBe(1)
    expect(blocked.stdout).toContain('sarvam/campaign/reminders-hi: blocked: campaign has ended: it can no longer be changed')
    expect(adviceOf(blocked.stdout).join('\n')).not.toMatch(RETRY)
    expect(adviceOf(blocked.stdout)).toEqual([expect.stringMatching(/^The blocked change is not made by running apply again: .*or change the file\.$/)])

    await writeFile(join(project, file), sarvamCampaignDoc('reminders-hi', { description: 'first' }))
    await expectConverged(cac, sandbox)
  })
})
