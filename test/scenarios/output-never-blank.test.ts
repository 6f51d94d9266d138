import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { expectNoCrash } from '../helpers/cli-output.js'
import { documents, syllableBatchDoc, syllableCampaignDoc } from '../helpers/definitions.js'
import { ROUTES, startInProcessSandbox } from '../helpers/external-sandbox.js'
import { cacInProcess } from '../helpers/plan-apply.js'
import { tempProject } from '../helpers/temp-project.js'

/**
 * A pipeline that formats cac's output (a PR comment, a dashboard) never reads an empty string:
 * with --format json every failure is one versioned document with an `error`, and with markdown a
 * failure section; stderr and the exit code say the same as in text.
 */
interface ErrorDocument {
  format_version: number
  error: { code: string; message: string; diagnostics: { file: string | null; line: number | null; message: string }[] }
}

const FILES = { 'campaigns/syllable.yaml': documents(syllableCampaignDoc('Doc A'), syllableBatchDoc('doc-a-1', 'Doc A')) }
const BROKEN = 'kind: SyllableCampaign\nprovider: nowhere\nspec: {}\n'

describe('output that never goes blank', () => {
  it('invalid files: plan, apply and drift print an error document (json) or a failure section (markdown)', async ({ onTestFinished }) => {
    const project = await tempProject({ ...FILES, 'campaigns/broken.yaml': BROKEN }, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const cac = cacInProcess(project, sandbox.env)
    for (const command of [['plan', '--format', 'json'], ['apply', '--auto-approve', '--format', 'json'], ['drift', '--format', 'json']]) {
      const result = await cac(command)
      expectNoCrash(result)
      expect(result.code, command.join(' ')).toBe(1)
      const document = JSON.parse(result.stdout) as ErrorDocument
      expect(document.format_version).toBe(1)
      expect(document.error.code, command.join(' ')).toMatch(/^invalid(-files)?$/)
      expect(document.error.diagnostics.map((d) => d.file)).toContain('campaigns/broken.yaml')
      expect(result.stderr).toContain('fix the files first')
    }
    for (const command of [['plan', '--format', 'markdown'], ['drift', '--format', 'markdown']]) {
      const result = await cac(command)
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(/^### ✗ cac (plan|drift) failed\n\nthe files are invalid: nothing was sent to the platforms\n\n- error <code>campaigns\/broken\.yaml:2:\d+<\/code>/)
    }
    expect((await sandbox.counters()).total).toBe(0)
  })

  it('a platform that keeps failing: the error document names it', async ({ onTestFinished }) => {
    const project = await tempProject(FILES, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    await sandbox.scheduleFault('error500', ROUTES.syllableCampaigns, 100)
    const cac = cacInProcess(project, sandbox.env)
    for (const command of [['plan', '--format', 'json'], ['apply', '--auto-approve', '--format', 'json'], ['drift', '--format', 'json']]) {
      const result = await cac(command)
      expectNoCrash(result)
      expect(result.code, command.join(' ')).toBe(1)
      const document = JSON.parse(result.stdout) as ErrorDocument
      expect(document.error.code).toBe('platform')
      expect(document.error.message).toMatch(/^syllable → http:\/\/127\.0\.0\.1:\d+: GET \/api\/v1\/outbound\/campaigns → 500/)
      expect(result.stderr).toBe(`Error: ${document.error.message}\n`)
    }
    expect((await cac(['plan', '--format', 'markdown'])).stdout).toMatch(/^### ✗ cac plan failed\n\nsyllable → /)
  })

  it('apply refusing a plan (a change in error) or a stale saved plan: one JSON document each', async ({ onTestFinished }) => {
    const project = await tempProject(FILES, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const cac = cacInProcess(project, sandbox.env)
    const refused = await cac(['apply', '--auto-approve', '--format', 'json', '--target', 'syllable/batch/*'])
    expect(refused.code).toBe(1)
    expect((JSON.parse(refused.stdout) as ErrorDocument).error).toMatchObject({ code: 'refused', message: expect.stringContaining('the plan has 1 change in error') })

    expect((await cac(['plan', '--out', 'plan.json'])).code).toBe(0)
    expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
    const stale = await cac(['apply', 'plan.json', '--format', 'json'])
    expect(stale.code).toBe(1)
    expect((JSON.parse(stale.stdout) as ErrorDocument).error).toMatchObject({ code: 'stale', message: expect.stringContaining('the saved plan is stale') })
    await writeFile(join(project, 'plan.json'), '{')
    const unreadable = await cac(['apply', 'plan.json', '--format', 'json'])
    expect(unreadable.code).toBe(1)
    expect((JSON.parse(unreadable.stdout) as ErrorDocument).error.code).toBe('plan-file-invalid')
  })
})
