import { describe, expect, it } from 'vitest'

import { diagnostic, expectNoCrash, parseTextReport } from '../helpers/cli-output.js'
import { startInProcessSandbox } from '../helpers/external-sandbox.js'
import { cacInProcess } from '../helpers/plan-apply.js'
import { DEFAULT_CAC_YAML, tempProject, yaml } from '../helpers/temp-project.js'
import { validateInProcess } from '../helpers/validate-in-process.js'

/** A Syllable campaign whose caller_id is written as `callerId` (unquoted). */
function campaignWithCallerId(callerId: string, name = 'Spring Renewals'): string {
  return yaml`
    kind: SyllableCampaign
    provider: syllable
    spec:
      campaign_name: ${name}
      caller_id: ${callerId}
      campaign_variables: {}
      active_days: [mon]
      daily_start_time: "09:00:00"
      daily_end_time: "17:00:00"
  `
}

describe.concurrent('a value does not depend on which parser read the file', () => {
  it.for(['1e400', '-0', '0b101', '-.5', '1_000'])(
    'caller_id: %s gets the same verdict with and without a comment that forces the full parser',
    async (callerId, { onTestFinished }) => {
      const plain = campaignWithCallerId(callerId)
      const dir = await tempProject(
        { 'campaigns/plain.yaml': plain, 'campaigns/full.yaml': `# &x (an anchor-like comment: the file takes the full parser)\n${plain}` },
        { onTestFinished },
      )
      const result = await validateInProcess(dir)

      expectNoCrash(result)
      const report = parseTextReport(result.stdout)
      const byFile = (file: string) =>
        report.diagnostics
          .filter((d) => d.location.startsWith(`campaigns/${file}.yaml:`) && d.code !== 'duplicate-identity')
          .map((d) => ({ line: Number(d.location.split(':')[1]), code: d.code, message: d.message }))
      // The full-parser file has one line more (the comment).
      expect(byFile('full').map((d) => ({ ...d, line: d.line - 1 }))).toEqual(byFile('plain'))
    },
  )

  it('reads caller_id: 1e400 as the number it is (Infinity), not as text, and says to quote it', async ({ onTestFinished }) => {
    const dir = await tempProject({ 'campaigns/a.yaml': campaignWithCallerId('1e400') }, { onTestFinished })
    const result = await validateInProcess(dir)

    expect(result.code).toBe(1)
    expect(parseTextReport(result.stdout).diagnostics).toEqual([
      diagnostic({ location: 'campaigns/a.yaml:5:14', code: 'spec.caller_id', message: 'got Infinity (quote it to keep it text: "1e400")' }),
    ])
  })
})

describe.concurrent('--target with a hostile glob', { timeout: 60_000 }, () => {
  it('plan --target of 10,000 stars and an X ends at once: it matches nothing, and nothing is sent', async ({ onTestFinished }) => {
    const dir = await tempProject({ 'campaigns/a.yaml': campaignWithCallerId('"+19995551234"', 'A'.repeat(2_000)) }, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const glob = `${'*'.repeat(10_000)}X`
    const result = await cacInProcess(dir, sandbox.env)(['plan', '--target', glob])

    expectNoCrash(result)
    expect(result.code).toBe(1)
    // The message quotes the start of the glob, not all 10,001 characters of it.
    expect(result.stderr).toBe(`Error: --target "${'*'.repeat(100)}"… (10,001 characters) matches no resource the files declare or the platforms hold\n`)
    expect(await sandbox.writeRoutes()).toEqual({})
    expect(result.durationMs).toBeLessThan(30_000) // Seconds at most; the regex took minutes.
  })
})

/** A campaign whose region and hourly rate come from nested defaults. */
function campaignWithNestedDefaults(region: string): string {
  return yaml`
    kind: SyllableCampaign
    provider: syllable
    spec:
      campaign_name: Spring Renewals
      caller_id: "+19995551234"
      campaign_variables:
        region: "${region}"
      active_days: [mon]
      hourly_rate: \${env:RATE:-\${env:DEFAULT_RATE:-25}}
  `
}

describe.concurrent('nested defaults in ${env:…}', () => {
  it.for([
    [{ REGION: 'eu-west' }, 'REGION set'],
    [{ DEFAULT_REGION: 'us-east' }, 'only the fallback set'],
    [{ REGION: 'eu-west', DEFAULT_REGION: 'us-east', RATE: '30' }, 'both set'],
  ] as const)('are valid with %j (%s), and an unquoted nested default keeps its type', async ([env], { onTestFinished }) => {
    const dir = await tempProject({ 'campaigns/a.yaml': campaignWithNestedDefaults('\${env:REGION:-\${env:DEFAULT_REGION}}') }, { onTestFinished })
    const result = await validateInProcess(dir, [], env)

    expectNoCrash(result)
    expect(result.stdout).toBe('✓ 1 resource in 1 file: valid\n')
  })

  it('name the innermost unset variable at its file, line and field when none is set', async ({ onTestFinished }) => {
    const dir = await tempProject({ 'campaigns/a.yaml': campaignWithNestedDefaults('\${env:REGION:-\${env:DEFAULT_REGION}}') }, { onTestFinished })
    const result = await validateInProcess(dir)

    expect(result.code).toBe(1)
    expect(parseTextReport(result.stdout).diagnostics).toEqual([
      diagnostic({ location: 'campaigns/a.yaml:7:13', code: 'spec.campaign_variables.region', message: 'environment variable DEFAULT_REGION is not set (or empty) and has no default' }),
    ])
  })

  it('refuse a malformed one (an inner reference left open) at its file, line and field', async ({ onTestFinished }) => {
    const dir = await tempProject({ 'campaigns/a.yaml': campaignWithNestedDefaults('\${env:REGION:-\${env:DEFAULT_REGION}') }, { onTestFinished })
    const result = await validateInProcess(dir, [], { DEFAULT_REGION: 'us-east' })

    expect(result.code).toBe(1)
    expect(parseTextReport(result.stdout).diagnostics).toEqual([
      diagnostic({ location: 'campaigns/a.yaml:7:13', code: 'spec.campaign_variables.region', message: 'unterminated ${env:… expression: add the closing "}"' }),
    ])
  })

  it('are not allowed for a secret, which comes from one variable', async ({ onTestFinished }) => {
    const config = DEFAULT_CAC_YAML.replace('api_key: ${env:SYLLABLE_API_KEY:-}', 'api_key: ${env:SYLLABLE_API_KEY:-${env:SHARED_KEY}}')
    const dir = await tempProject({ 'cac.yaml': config }, { onTestFinished })
    const result = await validateInProcess(dir, [], { SHARED_KEY: 'sk-should-not-be-used' })

    expect(result.code).toBe(1)
    expect(parseTextReport(result.stdout).diagnostics).toEqual([
      diagnostic({
        location: 'cac.yaml:7:14',
        code: 'secret-literal',
        message: 'providers.syllable.api_key: a secret comes from one variable: the fallback to another variable in ${env:SYLLABLE_API_KEY:-…} is not allowed here',
      }),
    ])
    expect(result.stdout).not.toContain('sk-should-not-be-used')
  })
})
