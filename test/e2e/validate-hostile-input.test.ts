import { describe, expect, it } from 'vitest'

import { diagnostic, expectNoCrash, parseTextReport } from '../helpers/cli-output.js'
import { validate } from '../helpers/run-cli.js'
import { tempProject } from '../helpers/temp-project.js'

/**
 * The hostile-input case that stays spawned (the others run in-process, in
 * test/scenarios/validate-hostile-input.test.ts). The `yaml` library gives up on a deeply nested
 * document where the call stack runs out, and whether its error handling then runs out too (and
 * reports the overflow a second time, one column further, which cac prints as a second
 * diagnostic) depends on how much stack is left there: on the depth the parse starts at and on
 * how far the parser was optimised. A fresh `cac validate` gets one diagnostic; a test process
 * that has parsed other files first gets two.
 */
const DEEPLY_NESTED = {
  name: 'a deeply nested document (20,000 nested "[") is refused without a crash',
  files: {
    'campaigns/a.yaml': `kind: SyllableBatch\nprovider: syllable\nspec: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`,
  },
  // The column is where the parser gave up, which depends on the stack size: only the line is fixed.
  expected: { location: /^campaigns\/a\.yaml:3:\d+$/, code: 'yaml', message: 'document is nested too deeply to be read' },
}

describe.concurrent('cac validate refuses hostile definition files', { timeout: 30_000 }, () => {
  it.for([DEEPLY_NESTED])('$name', async (testCase, { onTestFinished }) => {
    const dir = await tempProject(testCase.files, { onTestFinished })
    const result = await validate(dir)

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('')
    const report = parseTextReport(result.stdout)
    expect(report.diagnostics).toEqual([diagnostic(testCase.expected)])
    expect(report.summary).toMatch(/^✗ 1 error \(0 resources in 1 file checked\)$/)
  })
})
