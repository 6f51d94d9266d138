import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { documents, syllableBatchDoc, syllableCampaignDoc } from '../helpers/definitions.js'
import { startInProcessSandbox } from '../helpers/external-sandbox.js'
import { cacInProcess } from '../helpers/plan-apply.js'
import { tempProject } from '../helpers/temp-project.js'

describe('$GITHUB_STEP_SUMMARY', () => {
  it('validate, plan, apply and drift append their Markdown report to it; without it nothing is written', async ({ onTestFinished }) => {
    const project = await tempProject({ 'campaigns/syllable.yaml': documents(syllableCampaignDoc('Summary A'), syllableBatchDoc('summary-a-1', 'Summary A')) }, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const summary = join(project, 'step-summary.md')
    const cac = cacInProcess(project, { ...sandbox.env, GITHUB_STEP_SUMMARY: summary })
    expect((await cac(['validate'])).code).toBe(0)
    expect((await cac(['plan'])).code).toBe(0)
    expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
    expect((await cac(['drift'])).code).toBe(0)
    const text = await readFile(summary, 'utf8')
    expect(text).toContain('### cac validate\n\n```\n✓ 2 resources in 1 file: valid\n```')
    expect(text).toContain('### Plan: 2 to create, 0 to update, 0 unchanged.')
    expect(text).toContain('### cac apply\n\n```\nApply complete: 2 created, 0 updated, 0 unchanged.\n```')
    expect(text).toMatch(/### Drift: 0 drifted, 0 missing, 0 pending, 0 unmanaged, 2 in sync\./)
    expect(text).not.toContain(sandbox.env.SYLLABLE_API_KEY!)

    const quiet = cacInProcess(project, sandbox.env)
    expect((await quiet(['plan'])).code).toBe(0)
    expect(await readFile(summary, 'utf8')).toBe(text)
  })
})
