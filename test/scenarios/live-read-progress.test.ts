import { describe, expect, it } from 'vitest'

import { prepareApply } from '../../src/workflow/apply-project.js'
import { driftProject } from '../../src/workflow/drift-project.js'
import type { LiveReadProgress } from '../../src/workflow/live-read-progress.js'
import { planProject, type PlanRequest } from '../../src/workflow/plan-project.js'
import { FAST_RETRY_POLICY } from '../helpers/fast-retry.js'
import { cacInProcess, exampleProjectFiles } from '../helpers/plan-apply.js'
import { cliEnv } from '../helpers/run-cli.js'
import { tempProject } from '../helpers/temp-project.js'

/** The one secret the example files reference (a saved plan, or a real URL, needs it set). */
const SECRETS = { SYLLABLE_HMAC_SECRET: Buffer.from('progress-test-secret-32-bytes-ok').toString('base64') }

/** A plan request for the example project (both providers on the embedded sandbox) that records the progress it is told. */
function recordingRequest(cwd: string, env: Record<string, string> = {}): { request: PlanRequest; told: LiveReadProgress[] } {
  const told: LiveReadProgress[] = []
  const request: PlanRequest = {
    cwd,
    env: cliEnv({ ...SECRETS, ...env }),
    options: { pauseToUpdate: false },
    forceSandbox: false,
    parallelism: 8,
    retry: FAST_RETRY_POLICY,
    onLiveRead: (progress) => told.push(progress),
  }
  return { request, told }
}

/** Both providers were being read, one answered, then both, and the end was told once, last. */
function expectBothProvidersTold(told: readonly LiveReadProgress[]): void {
  expect(told[0]).toEqual({ reading: expect.arrayContaining(['syllable', 'sarvam']), done: 0, total: 2, finished: false })
  expect(told[0]!.reading).toHaveLength(2)
  expect(told.slice(1, -1)).toEqual([{ reading: [expect.stringMatching(/^(syllable|sarvam)$/)], done: 1, total: 2, finished: false }])
  expect(told.at(-1)).toEqual({ reading: [], done: 2, total: 2, finished: true })
}

describe('the workflows tell how far reading the live state has got', { timeout: 60_000 }, () => {
  it('plan: both providers of the example project', async () => {
    const cwd = await tempProject(await exampleProjectFiles())
    const { request, told } = recordingRequest(cwd)

    const outcome = await planProject(request)

    expect(outcome.kind).toBe('planned')
    expectBothProvidersTold(told)
  })

  it('drift: the same read, told the same way', async () => {
    const cwd = await tempProject(await exampleProjectFiles())
    const { request, told } = recordingRequest(cwd)

    const outcome = await driftProject({ ...request, ignore: [] })

    expect(outcome.kind).toBe('reported')
    expectBothProvidersTold(told)
  })

  it('apply of a saved plan: re-reading what it touches is told too', async () => {
    const cwd = await tempProject(await exampleProjectFiles())
    expect((await cacInProcess(cwd, SECRETS)(['plan', '--out', 'plan.json'])).code).toBe(0)
    const { request, told } = recordingRequest(cwd)

    const prepared = await prepareApply({ ...request, planFile: 'plan.json', lockTimeoutMs: 0 })
    if (prepared.kind === 'ready') await prepared.decline()

    expect(prepared.kind).toBe('ready')
    expectBothProvidersTold(told)
  })

  it('a read that fails still ends with `finished` (the line is erased before the error is printed)', async () => {
    const cwd = await tempProject(await exampleProjectFiles())
    // Nothing listens on port 9 of loopback: the read of syllable fails at once.
    const { request, told } = recordingRequest(cwd, { SYLLABLE_API_URL: 'http://127.0.0.1:9', SYLLABLE_API_KEY: 'test-key' })

    await expect(planProject(request)).rejects.toThrow(/syllable → http:\/\/127\.0\.0\.1:9/)
    expect(told.filter((progress) => progress.finished)).toHaveLength(1)
    expect(told.at(-1)?.finished).toBe(true)
  })
})
