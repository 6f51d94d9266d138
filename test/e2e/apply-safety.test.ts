import { describe, expect, it } from 'vitest'

import { expectNoCrash } from '../helpers/cli-output.js'
import { documents, syllableBatchDoc, syllableCampaignDoc } from '../helpers/definitions.js'
import { startInProcessSandbox } from '../helpers/external-sandbox.js'
import { cacIn } from '../helpers/plan-apply.js'
import { tempProject } from '../helpers/temp-project.js'

/**
 * Spawned, unlike the rest of these checks (test/scenarios/apply-safety.test.ts): whether someone
 * can confirm is decided from the process itself (stdin a terminal, CI set), which the in-process
 * tier does not have. The CLI runs as a real process; the sandbox it talks to runs in this one.
 */

const VALID = { 'campaigns/syllable.yaml': documents(syllableCampaignDoc('Alpha'), syllableBatchDoc('alpha-1', 'Alpha')) }
const NEEDS_APPROVAL =
  'Error: apply needs --auto-approve, or a plan file from `cac plan --out`, when there is no terminal to confirm on (or CI is set)\n'

describe.concurrent('cac apply never blocks or writes when it should not', { timeout: 180_000 }, () => {
  it.for([
    ['CI=true', { CI: 'true' }],
    ['CI=1', { CI: '1' }],
    ['no CI variable, no terminal', { CI: undefined }],
    ['CI=false, no terminal', { CI: 'false' }],
  ] as const)('without --auto-approve or a plan file (%s): exit 1, says so, sends nothing', async ([, env], { onTestFinished }) => {
    const project = await tempProject(VALID, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)

    const apply = await cacIn(project, sandbox.env)(['apply'], env)
    expectNoCrash(apply)
    expect(apply.code).toBe(1)
    expect(apply.stderr).toBe(`${NEEDS_APPROVAL}See: cac apply --help\n`)
    expect(apply.stdout).toBe('')
    expect((await sandbox.counters()).total).toBe(0)
  })
})
