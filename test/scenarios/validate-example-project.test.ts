import { randomBytes } from 'node:crypto'

import { describe, expect, it } from 'vitest'

import { diagnostic, expectNoCrash, expectNotPrinted, parseJsonReport, parseTextReport } from '../helpers/cli-output.js'
import { REPO_ROOT } from '../helpers/run-cli.js'
import { validateInProcess } from '../helpers/validate-in-process.js'

// The repository's own cac.yaml and campaigns/ are the quickstart: they must always validate.
describe.concurrent('cac validate on the example project of this repository', { timeout: 30_000 }, () => {
  it('is valid: exit 0 and a summary of 6 resources in 4 files', async () => {
    const result = await validateInProcess(REPO_ROOT)

    expectNoCrash(result)
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('✓ 6 resources in 4 files: valid\n')
    expect(result.stderr).toBe('')
  })

  it('is valid in the JSON format: valid true, no diagnostics', async () => {
    const result = await validateInProcess(REPO_ROOT, ['--format', 'json'])

    expectNoCrash(result)
    expect(result.code).toBe(0)
    expect(parseJsonReport(result.stdout)).toEqual({
      format_version: 1,
      valid: true,
      summary: { errors: 0, warnings: 0, files: 4, resources: 6 },
      diagnostics: [],
    })
  })

  it('stays valid when SYLLABLE_HMAC_SECRET holds real key material (32 random bytes, Base64)', async () => {
    const secret = randomBytes(32).toString('base64') // what `openssl rand -base64 32` prints
    const result = await validateInProcess(REPO_ROOT, [], { SYLLABLE_HMAC_SECRET: secret })

    expectNoCrash(result)
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('✓ 6 resources in 4 files: valid\n')
    expectNotPrinted(result, secret)
  })

  it.each(['text', 'json', 'github'])(
    'rejects a SYLLABLE_HMAC_SECRET that is not Base64 at its line, without printing it (--format %s)',
    async (format) => {
      const secret = 'not-base64!'
      const result = await validateInProcess(REPO_ROOT, ['--format', format], { SYLLABLE_HMAC_SECRET: secret })

      expectNoCrash(result)
      expect(result.code).toBe(1)
      expectNotPrinted(result, secret)
      if (format === 'text') {
        expect(parseTextReport(result.stdout).diagnostics).toEqual([
          diagnostic({
            location: 'campaigns/syllable/renewals.yaml:34:34',
            code: 'hmac-secret-encoding',
            message: 'spec.webhooks[0].auth_values.hmac_secret: the value of ${env:SYLLABLE_HMAC_SECRET} is not standard Base64',
          }),
        ])
      } else if (format === 'json') {
        expect(parseJsonReport(result.stdout).diagnostics).toEqual([
          expect.objectContaining({
            severity: 'error',
            file: 'campaigns/syllable/renewals.yaml',
            line: 34,
            column: 34,
            code: 'hmac-secret-encoding',
          }),
        ])
      } else {
        expect(result.stdout).toMatch(
          /^::error file=campaigns\/syllable\/renewals\.yaml,line=34,col=34,title=cac hmac-secret-encoding::.*not standard Base64/m,
        )
      }
    },
  )
})
