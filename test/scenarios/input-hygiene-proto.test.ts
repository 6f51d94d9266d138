import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { diagnostic, expectNoCrash, parseTextReport } from '../helpers/cli-output.js'
import { createSyllableCampaign, startInProcessSandbox, syllableCampaign } from '../helpers/external-sandbox.js'
import { applySummary, cacInProcess, expectConverged, planSummary } from '../helpers/plan-apply.js'
import { tempProject, yaml } from '../helpers/temp-project.js'
import { validateInProcess } from '../helpers/validate-in-process.js'

/** A campaign with the given campaign_variables (YAML flow text). */
function campaignWithVariables(variables: string): string {
  return yaml`
    kind: SyllableCampaign
    provider: syllable
    spec:
      campaign_name: Spring Renewals
      caller_id: "+19995551234"
      campaign_variables: ${variables}
      active_days: [mon]
  `
}

/** Variables with an own `__proto__` key, as a JSON body carries them (an object literal would set the prototype). */
const withProtoKey = (json: string) => JSON.parse(json) as Record<string, string>

/** The own keys and values of the live campaign's variables. */
async function liveVariables(sandbox: Awaited<ReturnType<typeof startInProcessSandbox>>): Promise<[string, unknown][]> {
  const live = await syllableCampaign(sandbox.request, 'Spring Renewals')
  return Object.getOwnPropertyNames(live.campaign_variables).map((key) => [key, (live.campaign_variables as Record<string, unknown>)[key]])
}

function expectNoPollution(): void {
  expect(Object.getPrototypeOf({})).toBe(Object.prototype)
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(Object.prototype).not.toHaveProperty('x')
}

describe.concurrent('a __proto__ key is a key like any other, from the file to the platform and back', { timeout: 120_000 }, () => {
  it('is planned, created and converges', async ({ onTestFinished }) => {
    const dir = await tempProject({ 'campaigns/a.yaml': campaignWithVariables('{__proto__: polluted, region: us-east}') }, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const cac = cacInProcess(dir, sandbox.env)

    const plan = await cac(['plan'])
    expectNoCrash(plan)
    expect(plan.stdout).toContain('      campaign_variables.__proto__: "polluted"\n      campaign_variables.region: "us-east"\n')
    const apply = await cac(['apply', '--auto-approve'])
    expect(applySummary(apply.stdout)).toBe('Apply complete: 1 created, 0 updated, 0 unchanged.')
    expect(await liveVariables(sandbox)).toEqual([['__proto__', 'polluted'], ['region', 'us-east']])
    expectNoPollution()
    await expectConverged(cac, sandbox)
  })

  it('added to live variables, is an update that the saved plan carries and the update body sends', async ({ onTestFinished }) => {
    const dir = await tempProject({ 'campaigns/a.yaml': campaignWithVariables('{__proto__: polluted, region: us-east}') }, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    await createSyllableCampaign(sandbox.request, 'Spring Renewals', { caller_id: '+19995551234', campaign_variables: { region: 'us-east' }, active_days: ['mon'] })
    const cac = cacInProcess(dir, sandbox.env)

    const plan = await cac(['plan', '--out', 'plan.json'])
    expectNoCrash(plan)
    expect(planSummary(plan.stdout)).toBe('Plan: 0 to create, 1 to update, 0 unchanged.')
    expect(plan.stdout).toContain('campaign_variables.__proto__: (none) → "polluted"')
    const saved = JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8')) as { changes: { desired: { campaign_variables: object } }[] }
    expect(Object.getOwnPropertyNames(saved.changes[0]!.desired.campaign_variables)).toEqual(['__proto__', 'region'])

    const apply = await cac(['apply', 'plan.json'])
    expectNoCrash(apply)
    expect(applySummary(apply.stdout)).toBe('Apply complete: 0 created, 1 updated, 0 unchanged.')
    expect(await liveVariables(sandbox)).toEqual([['__proto__', 'polluted'], ['region', 'us-east']])
    expectNoPollution()
    await expectConverged(cac, sandbox)
  })

  it('held only by the live campaign, is a removal', async ({ onTestFinished }) => {
    const dir = await tempProject({ 'campaigns/a.yaml': campaignWithVariables('{region: us-east}') }, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const variables = withProtoKey('{"__proto__": "stale", "region": "us-east"}')
    await createSyllableCampaign(sandbox.request, 'Spring Renewals', { caller_id: '+19995551234', campaign_variables: variables, active_days: ['mon'] })
    const cac = cacInProcess(dir, sandbox.env)

    const plan = await cac(['plan'])
    expectNoCrash(plan)
    expect(planSummary(plan.stdout)).toBe('Plan: 0 to create, 1 to update, 0 unchanged.')
    expect(plan.stdout).toContain('      campaign_variables.__proto__: "stale" → (removed)\n')
    await cac(['apply', '--auto-approve'])
    expect(await liveVariables(sandbox)).toEqual([['region', 'us-east']])
    await expectConverged(cac, sandbox)
  })

  it('is validated like any key, and a value from ${env:__proto__} is a variable like any other', async ({ onTestFinished }) => {
    const dir = await tempProject(
      { 'campaigns/a.yaml': campaignWithVariables('{__proto__: {x: 1}, region: "${env:__proto__}"}'), '.env': '__proto__=from-dotenv\n' },
      { onTestFinished },
    )
    const unset = await validateInProcess(dir)
    expect(parseTextReport(unset.stdout).diagnostics).toEqual([
      diagnostic({ location: 'campaigns/a.yaml:6:35', code: 'spec.campaign_variables.__proto__', message: 'must be a string, got a mapping' }),
      diagnostic({ location: 'campaigns/a.yaml:6:51', code: 'spec.campaign_variables.region', message: 'environment variable __proto__ is not set (or empty) and has no default' }),
    ])
    const fromDotenv = await validateInProcess(dir, ['--env', '.env'])
    expect(parseTextReport(fromDotenv.stdout).diagnostics).toEqual([
      diagnostic({ location: 'campaigns/a.yaml:6:35', code: 'spec.campaign_variables.__proto__', message: 'must be a string, got a mapping' }),
    ])
    expectNoPollution()
  })

  it('a provider named after an Object member (toString, __proto__) is not declared unless cac.yaml declares it', async ({ onTestFinished }) => {
    const dir = await tempProject({ 'campaigns/a.yaml': campaignWithVariables('{}').replace('provider: syllable', 'provider: toString') }, { onTestFinished })
    await writeFile(join(dir, 'campaigns', 'b.yaml'), campaignWithVariables('{}').replace('provider: syllable', 'provider: __proto__').replace('Spring', 'Autumn'))
    const result = await validateInProcess(dir)

    expect(result.code).toBe(1)
    expect(parseTextReport(result.stdout).diagnostics).toEqual([
      diagnostic({ location: 'campaigns/a.yaml:2:11', code: 'provider-reference', message: 'provider: "toString" is not declared in cac.yaml' }),
      diagnostic({ location: 'campaigns/b.yaml:2:11', code: 'provider-reference', message: 'provider: "__proto__" is not declared in cac.yaml' }),
    ])
  })
})
