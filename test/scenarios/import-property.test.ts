import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { isSecretValue } from '../../src/model/secret.js'
import { mapTree, DESCEND } from '../../src/model/values.js'
import { SYLLABLE_CAMPAIGNS, startInProcessSandbox } from '../helpers/external-sandbox.js'
import { cacInProcess } from '../helpers/plan-apply.js'
import { campaignSpec } from '../helpers/syllable-arbitraries.js'
import { writeProject } from '../helpers/temp-project.js'

/**
 * The import guarantee, for any live state the sandbox holds: campaigns created through the API
 * directly (any valid mix of optional fields, webhooks with and without secrets), imported into an
 * empty project, then validate exits 0 and plan --detailed-exitcode exits 0 with no write request.
 */
const RUNS = Number(process.env.CAC_PROPERTY_RUNS ?? 25)

/** A file-form spec as an API body: secrets as their text. */
const asBody = (spec: unknown): unknown => mapTree(spec, (value) => (isSecretValue(value) ? value.reveal() : DESCEND))

describe('import, then plan: no changes (property)', () => {
  it('holds for campaigns made through the API', { timeout: 60_000 + RUNS * 1000 }, async ({ onTestFinished }) => {
    const sandbox = await startInProcessSandbox(onTestFinished)
    let generated = 0
    let importedCount = 0
    await fc.assert(
      fc.asyncProperty(fc.array(campaignSpec, { minLength: 1, maxLength: 3 }), async (specs) => {
        await sandbox.request('POST', '/__sandbox/reset')
        for (const [i, spec] of specs.entries()) {
          const created = await sandbox.request('POST', SYLLABLE_CAMPAIGNS, { json: { ...(asBody(spec) as object), campaign_name: `Prop ${i} ${String(spec.campaign_name)}` } })
          expect(created.status, created.text).toBe(200)
        }
        const project = await writeProject()
        try {
          const cac = cacInProcess(project.dir, sandbox.env)
          const imported = await cac(['import', '--format', 'json'])
          const { variables, files, skipped } = JSON.parse(imported.stdout) as { variables: string[]; files: unknown[]; skipped: { reason: string; failed: boolean }[] }
          // Every live campaign is imported, or skipped saying why a file cannot hold it; exit 1 only when nothing could be.
          expect(files.length + skipped.filter((skip) => skip.reason.startsWith('a file cannot say')).length).toBe(specs.length)
          expect(imported.code, imported.stderr).toBe(files.length === 0 ? 1 : 0)
          generated += specs.length
          importedCount += files.length
          const secrets = Object.fromEntries(variables.map((name) => [name, Buffer.alloc(32, 5).toString('base64')]))
          const validate = await cac(['validate'], secrets)
          expect(validate.code, validate.stdout).toBe(0)
          await sandbox.resetCounters()
          const plan = await cac(['plan', '--detailed-exitcode'], secrets)
          expect(plan.code, plan.stdout + plan.stderr).toBe(0)
          expect(await sandbox.writeRoutes()).toEqual({})
        } finally {
          await project.remove()
        }
      }),
      { numRuns: RUNS },
    )
    // The property is about imported files: most generated campaigns must be representable.
    expect(importedCount, `${importedCount} of ${generated} campaigns imported`).toBeGreaterThan(generated / 2)
  })
})
