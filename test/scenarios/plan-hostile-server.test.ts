import { describe, expect, it } from 'vitest'

import { expectNoCrash } from '../helpers/cli-output.js'
import { sarvamCampaignDoc, syllableCampaignDoc } from '../helpers/definitions.js'
import { SARVAM_CAMPAIGNS, startInProcessSandbox, SYLLABLE_BATCHES, SYLLABLE_CAMPAIGNS } from '../helpers/external-sandbox.js'
import {
  endlessJson,
  json,
  redirect,
  startHostileServer,
  text,
  trickle,
  type HostileHandler,
  type HostileServer,
} from '../helpers/hostile-server.js'
import { runInProcess } from '../helpers/in-process-cli.js'
import { applySummary, cacInProcess, expectConverged, planSummary } from '../helpers/plan-apply.js'
import type { CliResult } from '../helpers/run-cli.js'
import { DEFAULT_CAC_YAML, tempProject } from '../helpers/temp-project.js'

/**
 * Plan and apply against servers that lie: every answer that is not what the platform's contract
 * says stops the run before anything is planned or written, with one line naming the provider, the
 * path, the status and what was wrong, within the deadline.
 */

const SYLLABLE_FILES = { 'campaigns/syllable.yaml': syllableCampaignDoc('Hostile A') }
const SARVAM_FILES = { 'campaigns/sarvam.yaml': sarvamCampaignDoc('Hostile S') }

/** Start-up and teardown of a run on a busy 2-core machine, on top of any deadline. */
const MARGIN_MS = 8000

const syllableCampaign = (id: number) => ({ id, campaign_name: `Other ${id}`, campaign_variables: {}, caller_id: null, active_days: [], webhooks: [] })
const sarvamSummary = (id: string, name = `Other ${id}`) => ({
  campaign_id: id,
  name,
  status: 'scheduled',
  app_id: 'a',
  created_by: 'x@example.com',
  created_at: '2026-11-24T00:00:00Z',
  updated_at: '2026-11-24T00:00:00Z',
  description: null,
})

/** A Syllable list page: `items`, and the page the request asked for. */
function syllablePage(items: (page: number) => unknown[], rest: Record<string, unknown>): HostileHandler {
  return (request, response) => {
    const page = Number(request.query.get('page'))
    json(200, { items: items(page), page, page_size: 1000, ...rest })(request, response)
  }
}

interface HostileRun {
  server: HostileServer
  /** Run only when asked for: apply plans first, through the same path, and is the one that could write. */
  plan: CliResult | undefined
  apply: CliResult
}

/**
 * A project with `files`, both providers pointed at a hostile server scripted by `script`; apply
 * (and, with `plan: true`, plan as well) runs against it.
 */
async function runAgainst(
  files: Record<string, string>,
  script: (server: HostileServer) => void,
  context: { onTestFinished: (cleanup: () => Promise<void>) => void },
  options: { args?: string[]; plan?: boolean } = {},
): Promise<HostileRun> {
  const project = await tempProject(files, { onTestFinished: context.onTestFinished })
  const server = await startHostileServer(context.onTestFinished)
  script(server)
  const env = { SYLLABLE_API_URL: server.url, SARVAM_API_URL: server.url, SYLLABLE_API_KEY: 'sk-hostile-test-key', SARVAM_API_KEY: 'sv-hostile-test-key' }
  const run = (args: string[]) => runInProcess([...args, ...(options.args ?? [])], { cwd: project, env })
  const [plan, apply] = await Promise.all([options.plan ? run(['plan']) : undefined, run(['apply', '--auto-approve'])])
  return { server, plan, apply }
}

/** Exit 1, no crash, nothing planned or applied, no write request, and stderr exactly `Error: <provider> → <url>: <what>`. */
function expectRefused(run: HostileRun, provider: string, what: string | RegExp): void {
  for (const result of run.plan ? [run.plan, run.apply] : [run.apply]) {
    expectNoCrash(result)
    expect(result.code, `${result.stdout}${result.stderr}`).toBe(1)
    expect(planSummary(result.stdout), 'nothing was planned').toBeUndefined()
    expect(applySummary(result.stdout), 'nothing was applied').toBeUndefined()
    const lines = result.stderr.split('\n').filter((line) => line !== '')
    expect(lines, result.stderr).toHaveLength(1)
    const prefix = `Error: ${provider} → ${run.server.url}: `
    expect(lines[0]!.startsWith(prefix), lines[0]).toBe(true)
    const rest = lines[0]!.slice(prefix.length)
    if (typeof what === 'string') expect(rest).toBe(what)
    else expect(rest).toMatch(what)
    expect(result.stderr).not.toMatch(/sk-hostile-test-key|sv-hostile-test-key/)
  }
  expect(run.server.writes(), 'no write request reached the server').toEqual({})
}

const LIST_200 = `GET ${SYLLABLE_CAMPAIGNS} → 200`
const SARVAM_200 = `GET ${SARVAM_CAMPAIGNS} → 200`

describe.concurrent('plan and apply against a hostile Syllable server', { timeout: 120_000 }, () => {
  it.for([
    {
      name: 'an HTML login page with 200',
      handler: text(200, 'text/html', '<html><head><title>Sign in to Example</title></head><body>Use your SSO account</body></html>'),
      error: `${LIST_200}: the answer is text/html, expected JSON: "Sign in to Example Use your SSO account"`,
    },
    { name: '[]', handler: json(200, []), error: `${LIST_200}: unexpected answer: the answer is an array, expected an object` },
    {
      name: '{"items": null}',
      handler: json(200, { items: null, page: 0, page_size: 1000 }),
      error: `${LIST_200}: unexpected answer: items is null, expected an array`,
    },
    {
      name: 'a 302 to another host',
      handler: redirect(302, 'https://login.example.com/oauth/authorize?client_secret=abc&state=xyz'),
      error: `GET ${SYLLABLE_CAMPAIGNS} → 302: redirected to https://login.example.com, not followed (check the provider's url)`,
    },
    {
      name: 'a 307 to the same host',
      handler: redirect(307, '/login?next=%2Fapi'),
      error: /^GET \/api\/v1\/outbound\/campaigns → 307: redirected to http:\/\/127\.0\.0\.1:\d+, not followed \(check the provider's url\)$/,
    },
    {
      name: 'total_pages 1e9',
      handler: syllablePage(() => [syllableCampaign(1)], { total_pages: 1e9 }),
      error: `${LIST_200}: unexpected answer: the list claims 1000000000 pages of 1000, more than the 10000 pages cac reads from one list`,
    },
    {
      name: 'a huge total_count',
      handler: syllablePage(() => [syllableCampaign(1)], { total_pages: 1, total_count: 9_000_000_000_000 }),
      error: `${LIST_200}: unexpected answer: total_count is 9000000000000, more than the 1000000 items cac reads from one list`,
    },
    {
      name: 'total_pages 1e300 (not an integer cac can count)',
      handler: syllablePage(() => [], { total_pages: 1e300 }),
      error: `${LIST_200}: unexpected answer: total_pages is 1e+300, expected an integer ≥ 0`,
    },
    {
      name: 'the same page served again',
      handler: syllablePage(() => Array.from({ length: 1000 }, (_, i) => syllableCampaign(i + 1)), { total_pages: 3, total_count: 3000 }),
      error: /^GET \/api\/v1\/outbound\/campaigns → 200: unexpected answer: campaign id 1 appears on page 0 and on page [12], in two reads of the list \(the server serves the same items again\)$/,
    },
    { name: 'no content type', handler: text(200, '', '{"items": []}'), error: `${LIST_200}: the answer has no content type, expected JSON` },
    { name: 'truncated JSON', handler: text(200, 'application/json', '{"items": [{"id": 1, "campa'), error: `${LIST_200}: the answer is not valid JSON` },
    {
      name: 'items whose ids are strings',
      handler: syllablePage(() => [{ ...syllableCampaign(1), id: '1' }], { total_pages: 1 }),
      error: `${LIST_200}: unexpected answer: items[0].id is a string, expected an integer ≥ 0`,
    },
    {
      name: 'items without a campaign_name',
      handler: syllablePage(() => [{ id: 4 }], { total_pages: 1 }),
      error: `${LIST_200}: unexpected answer: items[0].campaign_name is missing, expected a non-empty string`,
    },
  ])('$name: refused, nothing written', async ({ handler, error }, { onTestFinished }) => {
    const run = await runAgainst(SYLLABLE_FILES, (server) => server.route('GET', SYLLABLE_CAMPAIGNS, handler), { onTestFinished })
    expectRefused(run, 'syllable', error)
  })

  it('plan refuses a hostile answer the same way as apply', async ({ onTestFinished }) => {
    const page = text(200, 'text/html', '<html><head><title>Sign in to Example</title></head><body>Use your SSO account</body></html>')
    const run = await runAgainst(SYLLABLE_FILES, (server) => server.route('GET', SYLLABLE_CAMPAIGNS, page), { onTestFinished }, { plan: true })
    expectRefused(run, 'syllable', `${LIST_200}: the answer is text/html, expected JSON: "Sign in to Example Use your SSO account"`)
  })

  it('a batch list whose items lack batch_id: refused, nothing written', async ({ onTestFinished }) => {
    const files = { 'campaigns/syllable.yaml': `${syllableCampaignDoc('Hostile A')}---\nkind: SyllableBatch\nprovider: syllable\nspec:\n  batch_id: "b-1"\n  campaign: "Hostile A"\n` }
    const run = await runAgainst(
      files,
      (server) => {
        server.route('GET', SYLLABLE_CAMPAIGNS, syllablePage(() => [], { total_pages: 0, total_count: 0 }))
        server.route('GET', SYLLABLE_BATCHES, syllablePage(() => [{ campaign_id: 1 }], { total_pages: 1 }))
      },
      { onTestFinished },
    )
    expectRefused(run, 'syllable', `GET ${SYLLABLE_BATCHES} → 200: unexpected answer: items[0].batch_id is missing, expected a non-empty string`)
  })

  it('total_pages null with full pages forever: stopped at the bound on items', async ({ onTestFinished }) => {
    // Small items, so that a million of them stay cheap to serve.
    const run = await runAgainst(
      SYLLABLE_FILES,
      (server) =>
        server.route('GET', SYLLABLE_CAMPAIGNS, (request, response) => {
          const page = Number(request.query.get('page'))
          const items = Array.from({ length: 1000 }, (_, i) => ({ id: page * 1000 + i + 1, campaign_name: `c${page * 1000 + i + 1}` }))
          json(200, { items, page, page_size: 1000, total_pages: null, total_count: null })(request, response)
        }),
      { onTestFinished },
    )
    expectRefused(run, 'syllable', `${LIST_200}: unexpected answer: the list has more than 1000000 items, more than cac reads from one list`)
  })

  it('the same full page forever without totals: refused after page 1 of a second read', async ({ onTestFinished }) => {
    const run = await runAgainst(
      SYLLABLE_FILES,
      (server) => server.route('GET', SYLLABLE_CAMPAIGNS, syllablePage(() => Array.from({ length: 1000 }, (_, i) => syllableCampaign(i + 1)), { total_pages: null })),
      { onTestFinished },
    )
    expectRefused(run, 'syllable', `${LIST_200}: unexpected answer: campaign id 1 appears on page 0 and on page 1, in two reads of the list (the server serves the same items again)`)
    // Two reads, two pages each.
    expect(run.server.counts()[`GET ${SYLLABLE_CAMPAIGNS}`]).toBe(4)
  })
})

// One at a time: these measure how long a run takes, which concurrent runs on two cores would blur.
describe('bounded in size and time', { timeout: 120_000 }, () => {
  it('an endless body: stopped at the 64 MiB cap', async ({ onTestFinished }) => {
    const run = await runAgainst(SYLLABLE_FILES, (server) => server.route('GET', SYLLABLE_CAMPAIGNS, endlessJson()), { onTestFinished })
    expectRefused(run, 'syllable', `${LIST_200}: the answer is larger than the 64 MiB cap on response size (max_response_mb), not read`)
    expect(run.apply.durationMs).toBeLessThan(15_000)
  })

  it('an endless body with max_response_mb: 1: stopped quickly, after about 1 MiB', async ({ onTestFinished }) => {
    const yaml = DEFAULT_CAC_YAML.replace('    actor: ci@example.com', '    max_response_mb: 1\n    actor: ci@example.com')
    expect(yaml).toContain('max_response_mb: 1\n')
    const run = await runAgainst({ 'cac.yaml': yaml, ...SYLLABLE_FILES }, (server) => server.route('GET', SYLLABLE_CAMPAIGNS, endlessJson()), { onTestFinished })
    expectRefused(run, 'syllable', `${LIST_200}: the answer is larger than the 1 MiB cap on response size (max_response_mb), not read`)
    expect(run.apply.durationMs).toBeLessThan(MARGIN_MS)
  })

  it('a body trickled a byte at a time, with --timeout 2: stopped at 2 s, not retried', async ({ onTestFinished }) => {
    const run = await runAgainst(SYLLABLE_FILES, (server) => server.route('GET', SYLLABLE_CAMPAIGNS, trickle(300)), { onTestFinished }, { args: ['--timeout', '2'], plan: true })
    expectRefused(run, 'syllable', `${LIST_200}: the answer did not complete within 2 s (raise --timeout or the provider's timeout)`)
    for (const result of [run.plan!, run.apply]) {
      expect(result.durationMs).toBeGreaterThanOrEqual(2000)
      expect(result.durationMs).toBeLessThan(2000 + MARGIN_MS)
    }
    // One list request per run: a deadline is not retried.
    expect(run.server.counts()[`GET ${SYLLABLE_CAMPAIGNS}`]).toBe(2)
  })

  it("a server that never answers, with the provider's timeout: 1 (and --timeout overriding a longer one)", async ({ onTestFinished }) => {
    const yaml = DEFAULT_CAC_YAML.replace('    actor: ci@example.com', '    timeout: 1\n    actor: ci@example.com')
    const run = await runAgainst({ 'cac.yaml': yaml, ...SYLLABLE_FILES }, (server) => server.route('GET', SYLLABLE_CAMPAIGNS, () => undefined), { onTestFinished })
    expectRefused(run, 'syllable', `GET ${SYLLABLE_CAMPAIGNS}: no answer within 1 s (raise --timeout or the provider's timeout)`)
    expect(run.apply.durationMs).toBeLessThan(1000 + MARGIN_MS)

    const long = DEFAULT_CAC_YAML.replace('    actor: ci@example.com', '    timeout: 600\n    actor: ci@example.com')
    const overridden = await runAgainst({ 'cac.yaml': long, ...SYLLABLE_FILES }, (server) => server.route('GET', SYLLABLE_CAMPAIGNS, () => undefined), { onTestFinished }, { args: ['--timeout', '1.5'] })
    expectRefused(overridden, 'syllable', `GET ${SYLLABLE_CAMPAIGNS}: no answer within 1.5 s (raise --timeout or the provider's timeout)`)
  })

})

describe.concurrent('plan and apply against a hostile Sarvam server', { timeout: 120_000 }, () => {
  it.for([
    { name: '[]', handler: json(200, []), error: `${SARVAM_200}: unexpected answer: the answer is an array, expected an object` },
    {
      name: 'total 1e12',
      handler: json(200, { items: [sarvamSummary('c1')], total: 1e12, limit: 100, offset: 0 }),
      error: `${SARVAM_200}: unexpected answer: total is 1000000000000, more than the 1000000 items cac reads from one list`,
    },
    {
      name: 'limit 1 with a big total',
      handler: json(200, { items: [sarvamSummary('c1')], total: 900_000, limit: 1, offset: 0 }),
      error: `${SARVAM_200}: unexpected answer: the list claims 900000 pages of 1 (total 900000), more than the 10000 pages cac reads from one list`,
    },
    {
      name: 'items without campaign_id',
      handler: json(200, { items: [{ name: 'x', status: 'active' }], total: 1, limit: 100, offset: 0 }),
      error: `${SARVAM_200}: unexpected answer: items[0].campaign_id is missing, expected a non-empty string`,
    },
    {
      name: '{"items": null}',
      handler: json(200, { items: null, total: 0, limit: 100, offset: 0 }),
      error: `${SARVAM_200}: unexpected answer: items is null, expected an array`,
    },
  ])('$name: refused, nothing written', async ({ handler, error }, { onTestFinished }) => {
    const run = await runAgainst(SARVAM_FILES, (server) => server.route('GET', SARVAM_CAMPAIGNS, handler), { onTestFinished })
    expectRefused(run, 'sarvam', error)
  })

  it("a campaign detail that is not a detail (no app_config): refused", async ({ onTestFinished }) => {
    const run = await runAgainst(
      SARVAM_FILES,
      (server) => {
        server.route('GET', SARVAM_CAMPAIGNS, json(200, { items: [sarvamSummary('c1', 'Hostile S')], total: 1, limit: 100, offset: 0 }))
        server.route('GET', `${SARVAM_CAMPAIGNS}/:id`, json(200, sarvamSummary('c1', 'Hostile S')))
      },
      { onTestFinished },
    )
    expectRefused(run, 'sarvam', `GET ${SARVAM_CAMPAIGNS}/c1 → 200: unexpected answer: app_config is missing, expected an object`)
  })
})

describe('after a hostile answer, the next run converges', { timeout: 120_000 }, () => {
  it('an HTML page in front of the real API: nothing written; once it answers properly, apply creates and converges', async ({ onTestFinished }) => {
    const project = await tempProject({ ...SYLLABLE_FILES, ...SARVAM_FILES }, { onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    const server = await startHostileServer(onTestFinished, { upstream: sandbox.url })
    // A login page and a redirect in front of the lists, until the test lets the real API answer.
    server.route('GET', SYLLABLE_CAMPAIGNS, text(200, 'text/html', '<title>Sign in</title>'))
    server.route('GET', SARVAM_CAMPAIGNS, redirect(302, 'https://sso.example.com/login'))
    const cac = cacInProcess(project, { ...sandbox.env, SYLLABLE_API_URL: server.url, SARVAM_API_URL: server.url })

    for (const args of [['plan'], ['apply', '--auto-approve']]) {
      const refused = await cac(args)
      expectNoCrash(refused)
      expect(refused.code).toBe(1)
      expect(refused.stderr).toMatch(/^Error: (syllable|sarvam) → http:\/\/127\.0\.0\.1:\d+: GET \S+ → (200|302): /)
    }
    expect(server.writes()).toEqual({})
    expect(await sandbox.writeRoutes()).toEqual({})

    server.clearRoutes()
    const apply = await cac(['apply', '--auto-approve'])
    expectNoCrash(apply)
    expect(apply.code, `${apply.stdout}${apply.stderr}`).toBe(0)
    expect(applySummary(apply.stdout)).toMatch(/^Apply complete: 2 created, 0 updated/)
    await expectConverged(cac, sandbox)
  })
})
