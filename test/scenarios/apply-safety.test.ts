import { createServer } from 'node:net'

import { describe, expect, it } from 'vitest'

import { expectNoCrash } from '../helpers/cli-output.js'
import { definition, documents, syllableBatchDoc, syllableCampaignDoc } from '../helpers/definitions.js'
import { ROUTES, startInProcessSandbox } from '../helpers/external-sandbox.js'
import { cacInProcess } from '../helpers/plan-apply.js'
import { tempProject } from '../helpers/temp-project.js'

const VALID = { 'campaigns/syllable.yaml': documents(syllableCampaignDoc('Alpha'), syllableBatchDoc('alpha-1', 'Alpha')) }

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe.concurrent('cac apply never blocks or writes when it should not', { timeout: 180_000 }, () => {
  interface InvalidCase {
    what: string
    files: Record<string, string>
    /** The diagnostic line (or part of it) on stderr. */
    diagnostic: RegExp
  }
  const INVALID: InvalidCase[] = [
    {
      what: 'a value out of range',
      files: { 'campaigns/a.yaml': syllableCampaignDoc('Alpha', { hourly_rate: 5000 }) },
      diagnostic: /^campaigns\/a\.yaml:\d+:\d+ {2}error +spec\.hourly_rate {2}must be between 1 and 3600, got 5000$/m,
    },
    {
      what: 'broken YAML',
      files: { 'campaigns/a.yaml': 'kind: SyllableCampaign\nprovider: syllable\nspec: {campaign_name: "Alpha"\n' },
      diagnostic: /^campaigns\/a\.yaml:\d+:\d+ {2}error +yaml {2}/m,
    },
    {
      what: 'a batch of a campaign no file declares',
      files: { 'campaigns/a.yaml': syllableBatchDoc('orphan-1', 'Nowhere') },
      diagnostic: /^campaigns\/a\.yaml:\d+:\d+ {2}error +batch-campaign-reference {2}/m,
    },
    {
      what: 'an unknown provider',
      files: { 'campaigns/a.yaml': definition('SyllableCampaign', 'syllabel', { campaign_name: 'Alpha', caller_id: '+1999', campaign_variables: {}, active_days: ['mon'] }) },
      diagnostic: /^campaigns\/a\.yaml:\d+:\d+ {2}error +provider-reference {2}/m,
    },
    {
      what: 'a webhook secret whose variable is unset (a real URL needs it)',
      files: {
        'campaigns/a.yaml': syllableCampaignDoc('Alpha', {
          webhooks: [{ url: 'https://hooks.example.com/a', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_values: { hmac_secret: '${env:SYLLABLE_HMAC_SECRET}' } }],
        }),
      },
      diagnostic: /SYLLABLE_HMAC_SECRET/,
    },
  ]

  it.for(INVALID.flatMap((c) => (['plan', 'apply'] as const).map((command) => [command, c.what, c] as const)))(
    'cac %s with %s: exit 1, the problem on stderr at its line, and not a single request',
    async ([command, , invalid], { onTestFinished }) => {
      const project = await tempProject(invalid.files, { onTestFinished })
      const sandbox = await startInProcessSandbox(onTestFinished)

      const result = await cacInProcess(project, sandbox.env)(command === 'plan' ? ['plan', '--detailed-exitcode'] : ['apply', '--auto-approve'])
      expectNoCrash(result)
      expect(result.code).toBe(1)
      expect(result.stderr).toMatch(invalid.diagnostic)
      expect(result.stderr).toContain(command === 'plan' ? 'Nothing was sent to the platforms: fix the files first.\n' : 'Nothing was applied: fix the files first.\n')
      expect(result.stdout).toBe('')
      expect((await sandbox.counters()).total).toBe(0)
    },
  )

  it.for([['plan'], ['apply']] as const)('cac %s against an unreachable URL: exit 1 with a one-line error, no stack trace', async ([command], { onTestFinished }) => {
    const project = await tempProject(VALID, { onTestFinished })
    const url = `http://127.0.0.1:${await closedPort()}`
    const result = await cacInProcess(project, { SYLLABLE_API_URL: url, SYLLABLE_API_KEY: 'ci@example.com' })(
      command === 'plan' ? ['plan'] : ['apply', '--auto-approve'],
    )
    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^Error: syllable → http:\/\/127\.0\.0\.1:\d+: GET \S*\/api\/v1\/outbound\/(campaigns|batches) failed: connection refused[^\n]*\n$/)
  })

  it('cac plan when the API keeps failing (503 beyond the retries): exit 1 with a one-line error', async ({ onTestFinished }) => {
    const project = await tempProject(VALID, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    await sandbox.scheduleFault('error503', ROUTES.syllableCampaigns, 10)

    const plan = await cacInProcess(project, sandbox.env)(['plan', '--detailed-exitcode'])
    expectNoCrash(plan)
    expect(plan.code).toBe(1)
    expect(plan.stdout).toBe('')
    expect(plan.stderr).toMatch(/^Error: syllable → http:\/\/127\.0\.0\.1:\d+: GET \S*\/api\/v1\/outbound\/(campaigns|batches) → 503: Service Unavailable[^\n]*\n$/)
    expect(await sandbox.writeRoutes()).toEqual({})
  })

  it.for([
    ['an empty api_key', { SYLLABLE_API_KEY: '' }, 'Error: provider syllable: api_key is empty; set the environment variable its ${env:…} names\n'],
    ['a url that is not http(s)', { SYLLABLE_API_URL: 'ftp://example.com' }, 'Error: provider syllable: url must be http(s) or "sandbox"\n'],
  ] as const)('cac plan with %s: exit 1, one line, nothing sent', async ([, env, message], { onTestFinished }) => {
    const project = await tempProject(VALID, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const plan = await cacInProcess(project, sandbox.env)(['plan'], env)
    expectNoCrash(plan)
    expect(plan.code).toBe(1)
    expect(plan.stderr).toBe(message)
    expect((await sandbox.counters()).total).toBe(0)
  })

  it.for([
    ['plan --parallelism 0', ['plan', '--parallelism', '0']],
    ['plan --parallelism many', ['plan', '--parallelism', 'many']],
    ['apply --auto-approve --parallelism 300', ['apply', '--auto-approve', '--parallelism', '300']],
  ] as const)('cac %s is a usage error (exit 1, never 2) that says what is accepted', async ([, args], { onTestFinished }) => {
    const project = await tempProject(VALID, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const result = await cacInProcess(project, sandbox.env)(args)
    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^Error: .*--parallelism/)
    // The reason, not just the flag's name: an integer from 1 to 256.
    expect(result.stderr).toMatch(/integer|greater than or equal to 1|less than or equal to 256|between 1 and 256/i)
    expect((await sandbox.counters()).total).toBe(0)
  })

  it.for([
    ['plan', 'yaml'],
    ['apply', 'markdown'],
  ] as const)('cac %s --format %s is a usage error naming the formats it has', async ([command, format], { onTestFinished }) => {
    const project = await tempProject(VALID, { onTestFinished })
    const result = await cacInProcess(project)([command, '--format', format, ...(command === 'apply' ? ['--auto-approve'] : [])])
    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`Expected --format=${format} to be one of: text, json${command === 'plan' ? ', markdown' : ''}`)
  })
})
