import { describe, expect, it } from 'vitest'

import { expectNoCrash } from '../helpers/cli-output.js'
import { syllableCampaignDoc } from '../helpers/definitions.js'
import { createSyllableCampaign, startInProcessSandbox } from '../helpers/external-sandbox.js'
import { cacInProcess } from '../helpers/plan-apply.js'
import { tempProject } from '../helpers/temp-project.js'

/**
 * Names come from the platforms, and anyone with console access chooses them: in text output a
 * control character or a bidirectional override is written as an escape, never sent to the
 * terminal raw (JSON keeps the name as it is, escaped by JSON itself).
 */
const HOSTILE = 'Evil\u001b[2J\u0007 \u202eRLO\u0085 x'

describe('control characters from the platforms in text output', () => {
  it('plan, drift and import show them escaped; json keeps the name', async ({ onTestFinished }) => {
    const project = await tempProject({ 'campaigns/a.yaml': syllableCampaignDoc('Plain') }, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    await createSyllableCampaign(sandbox.request, HOSTILE)
    const cac = cacInProcess(project, sandbox.env)
    const outputs = [await cac(['plan']), await cac(['drift']), await cac(['import', '--dry-run'])]
    for (const result of outputs) {
      expectNoCrash(result)
      expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/)
      expect(result.stdout).toContain('Evil\\u{001b}[2J\\u{0007} \\u{202e}RLO\\u{0085} x')
    }
    const json = JSON.parse((await cac(['plan', '--format', 'json'])).stdout) as { unmanaged: { name: string }[] }
    expect(json.unmanaged.map((resource) => resource.name)).toEqual([HOSTILE])
  })
})
