import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { expectNoCrash } from '../helpers/cli-output.js'
import { syllableCampaignDoc } from '../helpers/definitions.js'
import { cacInProcess } from '../helpers/plan-apply.js'
import { tempProject } from '../helpers/temp-project.js'

/** What an echoing server does with a request: the status, content type and body of its answer. */
type Echo = (request: { method: string; path: string; headers: IncomingMessage['headers']; body: string }) => {
  status: number
  type?: string
  body: string
}

const EMPTY_LIST = JSON.stringify({ items: [], page: 0, page_size: 1000, total_pages: 0, total_count: 0 })

/**
 * A platform that tells too much: it answers lists with an empty page and lets `echo` answer the
 * rest, typically an error that repeats the request's headers or body back.
 */
async function echoingServer(
  echo: Echo,
  onTestFinished: (cleanup: () => Promise<void>) => void,
): Promise<{ url: string; writes: () => number; requests: () => number }> {
  let writes = 0
  let requests = 0
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const method = req.method ?? 'GET'
      const path = new URL(req.url ?? '/', 'http://x').pathname
      requests += 1
      if (method !== 'GET') writes += 1
      const answer = echo({ method, path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      res.writeHead(answer.status, { 'content-type': answer.type ?? 'application/json' })
      res.end(answer.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, writes: () => writes, requests: () => requests }
}

const HMAC = randomBytes(32).toString('base64')
/** A long key (JWT-sized): a server message that quotes it is cut short, and the part must not show either. */
const LONG_KEY = `eyJhbGciOi.${randomBytes(300).toString('base64url')}`
const KEY = `sk-live-${randomBytes(12).toString('hex')}`

const FILES = {
  'campaigns/echo.yaml': syllableCampaignDoc('Echo', {
    webhooks: [{ url: 'https://hooks.example.com/a', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_values: { hmac_secret: '${env:SYLLABLE_HMAC_SECRET}' } }],
  }),
}

function expectNoSecret(output: string, secrets: string[]): void {
  for (const secret of secrets) {
    expect(output).not.toContain(secret)
    // Not even a part long enough to matter (a cut-short echo).
    expect(output).not.toContain(secret.slice(0, 16))
    expect(output).not.toContain(secret.slice(-16))
  }
}

const cases: [string, string, Echo][] = [
  ['a 401 that quotes the key', KEY, ({ headers }) => ({ status: 401, body: JSON.stringify({ detail: `invalid api key ${String(headers['syllable-api-key'])}` }) })],
  ['a text/plain 502 that dumps the request headers', KEY, ({ headers }) => ({ status: 502, type: 'text/plain', body: `bad gateway\n${JSON.stringify(headers)}` })],
  ['a 401 that quotes a long key (cut short in the message)', LONG_KEY, ({ headers }) => ({ status: 401, body: JSON.stringify({ detail: `invalid api key ${String(headers['syllable-api-key'])}` }) })],
]

// One at a time, each run knowing only the secrets it registered itself (freshSecrets), as a new
// process would: a secret another run registered must not mask this run's output.
describe('no secret is ever echoed', { timeout: 120_000 }, () => {
  for (const [name, key, echo] of cases) it(`plan against ${name}`, async ({ onTestFinished }) => {
    const server = await echoingServer((request) => (request.method === 'GET' ? echo(request) : { status: 500, body: '{}' }), onTestFinished)
    const project = await tempProject(FILES, { onTestFinished })
    const cac = cacInProcess(project, { SYLLABLE_API_URL: server.url, SYLLABLE_API_KEY: key, SYLLABLE_HMAC_SECRET: HMAC }, { freshSecrets: true })
    const plan = await cac(['plan', '--out', 'plan.json'])
    expectNoCrash(plan)
    expect(plan.code).toBe(1)
    expect(plan.stderr).toMatch(/^Error: syllable → http:\/\/127\.0\.0\.1:\d+: GET \/api\/v1\/outbound\/campaigns → (401|502)/m)
    expect(plan.stderr).toContain('(sensitive)')
    expectNoSecret(plan.stdout + plan.stderr, [key, HMAC])
    expect(server.writes()).toBe(0)
  })

  const answers = [
    ['a 422 whose msg repeats the body sent', (body: string, _headers: unknown) => ({ status: 422, body: JSON.stringify({ detail: [{ loc: ['body', 'webhooks', 0], msg: `bad value ${body}`, type: 'value_error' }] }) })],
    ['a 400 whose detail is the body sent', (body: string, _headers: unknown) => ({ status: 400, body: JSON.stringify({ detail: JSON.parse(body) as unknown }) })],
    ['a text/plain 500 with the body and headers', (body: string, headers: unknown) => ({ status: 500, type: 'text/plain', body: `${body} ${JSON.stringify(headers)}` })],
  ] as const
  for (const [name, answer] of answers) it(`apply against ${name}: the webhook secret and the key are masked in text and JSON`, async ({ onTestFinished }) => {
    const server = await echoingServer(
      ({ method, body, headers }) => (method === 'GET' ? { status: 200, body: EMPTY_LIST } : answer(body, headers)),
      onTestFinished,
    )
    const project = await tempProject(FILES, { onTestFinished })
    const cac = cacInProcess(project, { SYLLABLE_API_URL: server.url, SYLLABLE_API_KEY: KEY, SYLLABLE_HMAC_SECRET: HMAC }, { freshSecrets: true })
    for (const format of ['text', 'json']) {
      const apply = await cac(['apply', '--auto-approve', '--format', format])
      expectNoCrash(apply)
      expect(apply.code).toBe(1)
      expectNoSecret(apply.stdout + apply.stderr, [KEY, HMAC])
      if (format === 'json') {
        const result = JSON.parse(apply.stdout) as { failed: { address: string; message: string }[] }
        expect(result.failed.map((failure) => failure.address)).toEqual(['syllable/campaign/Echo'])
      }
    }
  })

  it('a plan file never holds a secret that a platform echoes in a live value', async ({ onTestFinished }) => {
    // The platform stores the key it was called with in a campaign's description (a misbehaving proxy, say).
    const server = await echoingServer(({ headers }) => {
      const campaign = {
        id: 1,
        campaign_name: 'Echo',
        description: `made with ${String(headers['syllable-api-key'])}`,
        campaign_variables: {},
        caller_id: '+19995550001',
        active_days: ['mon', 'tue'],
        webhooks: [],
      }
      return { status: 200, body: JSON.stringify({ items: [campaign], page: 0, page_size: 1000, total_pages: 1, total_count: 1 }) }
    }, onTestFinished)
    const project = await tempProject(FILES, { onTestFinished })
    const cac = cacInProcess(project, { SYLLABLE_API_URL: server.url, SYLLABLE_API_KEY: KEY, SYLLABLE_HMAC_SECRET: HMAC }, { freshSecrets: true })
    const plan = await cac(['plan', '--out', 'plan.json', '--format', 'json'])
    expectNoCrash(plan)
    expect(plan.code).toBe(0)
    const saved = await readFile(join(project, 'plan.json'), 'utf8')
    expectNoSecret(plan.stdout + plan.stderr + saved, [KEY, HMAC])
    expect(saved).toContain('(sensitive)')
  })

  const badKeys: [string, string, RegExp][] = [
    ['a trailing \\r', `${KEY}\r`, /ends with a line break \(\\r\)/],
    ['a trailing newline', `${KEY}\n`, /ends with a line break \(\\n\)/],
    ['a line break inside', `${KEY.slice(0, 10)}\n${KEY.slice(10)}`, /contains a line break \(\\n\) at character 11/],
    ['a non-ASCII character', `${KEY}é`, /contains a character that is not plain ASCII \(U\+00E9\)/],
    ['a leading space', ` ${KEY}`, /starts with a space or tab/],
  ]
  for (const [name, key, reason] of badKeys) {
    it(`an API key with ${name} is refused before any request, naming its variable, never its value`, async ({ onTestFinished }) => {
      const server = await echoingServer(() => ({ status: 200, body: EMPTY_LIST }), onTestFinished)
      const project = await tempProject(FILES, { onTestFinished })
      const cac = cacInProcess(project, { SYLLABLE_API_URL: server.url, SYLLABLE_API_KEY: key, SYLLABLE_HMAC_SECRET: HMAC }, { freshSecrets: true })
      for (const args of [['plan'], ['apply', '--auto-approve']]) {
        const run = await cac(args)
        expectNoCrash(run)
        expect(run.code).toBe(1)
        expect(run.stderr).toMatch(/^Error: provider syllable: the api_key from SYLLABLE_API_KEY cannot be sent in an HTTP header: it /m)
        expect(run.stderr).toMatch(reason)
        expect(run.stdout + run.stderr).not.toContain(KEY.slice(0, 12))
      }
      expect(server.requests()).toBe(0)
    })
  }

  it('a provider url with credentials and a query: neither is ever shown, and the target names only origin and path', async ({ onTestFinished }) => {
    const password = `pw-${randomBytes(8).toString('hex')}`
    const token = `tok-${randomBytes(10).toString('hex')}`
    const server = await echoingServer(({ path }) => ({ status: 401, body: JSON.stringify({ detail: `no access to ${path}?token=${token}` }) }), onTestFinished)
    const url = server.url.replace('http://', `http://ops:${password}@`) + `/?token=${token}`
    const project = await tempProject(FILES, { onTestFinished })
    const cac = cacInProcess(project, { SYLLABLE_API_URL: url, SYLLABLE_API_KEY: KEY, SYLLABLE_HMAC_SECRET: HMAC }, { freshSecrets: true })
    for (const args of [['plan'], ['plan', '--format', 'json'], ['apply', '--auto-approve']]) {
      const run = await cac(args)
      expectNoCrash(run)
      expect(run.code).toBe(1)
      expect(run.stderr).toContain(`Error: syllable → ${server.url}: GET /api/v1/outbound/campaigns → 401`)
      expectNoSecret(run.stdout + run.stderr, [KEY, HMAC])
      expect(run.stdout + run.stderr).not.toContain(password)
      expect(run.stdout + run.stderr).not.toContain(token)
    }
  })
})
