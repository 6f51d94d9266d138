import { describe, expect, it, onTestFinished } from 'vitest'

import { HttpClient, type HttpClientOptions } from '../../src/http/client.js'
import {
  ApiError,
  describeDetail,
  RedirectError,
  RequestDeadlineError,
  ResponseTooLargeError,
  ServerError,
  UnexpectedResponseError,
  ValidationError,
} from '../../src/http/errors.js'
import { safeExcerpt } from '../../src/http/excerpt.js'
import { rejectionOf } from '../helpers/rejection.js'
import { endlessJson, json, redirect, silence, startHostileServer, text, trickle, type HostileServer } from '../helpers/hostile-server.js'

const LIST = '/api/v1/outbound/campaigns'
const MiB = 1024 * 1024

/** A client for `server` with no waiting between retries; closed when the test ends. */
function clientFor(server: HostileServer, options: Partial<HttpClientOptions> = {}): HttpClient {
  const client = new HttpClient({ baseUrl: server.url, headers: { 'Syllable-API-Key': 'key-never-shown' }, sleep: async () => undefined, ...options })
  onTestFinished(() => client.close())
  return client
}

const failure = (promise: Promise<unknown>): Promise<Error> => rejectionOf(promise, Error, 'the request fails')

/** Elapsed milliseconds of `run`. */
async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now()
  const value = await run()
  return { value, ms: performance.now() - started }
}

describe('only a 2xx JSON answer is a success', () => {
  it('refuses a redirect without following it, naming only the origin of the Location', async () => {
    const server = await startHostileServer(onTestFinished)
    server.route('GET', LIST, redirect(302, 'https://login.example.com/sso/start?token=s3cr3t&next=/x'))
    server.route('GET', '/elsewhere', json(200, { items: [] }))
    const error = await failure(clientFor(server).get(LIST, { query: { page: 0, api_key: 'in-query' } }))
    expect(error).toBeInstanceOf(RedirectError)
    expect(error).toBeInstanceOf(UnexpectedResponseError)
    expect(error.message).toBe("GET /api/v1/outbound/campaigns → 302: redirected to https://login.example.com, not followed (check the provider's url)")
    expect(error.message).not.toMatch(/sso|token|s3cr3t|in-query/)
    expect(server.counts()).toEqual({ [`GET ${LIST}`]: 1 })
  })

  it('refuses a relative redirect too (same origin), and a 304', async () => {
    const server = await startHostileServer(onTestFinished)
    server.route('GET', LIST, redirect(301, '/elsewhere?x=1'))
    server.route('GET', '/other', redirect(304, ''))
    const client = clientFor(server)
    expect((await failure(client.get(LIST))).message).toBe(
      `GET ${LIST} → 301: redirected to ${server.url}, not followed (check the provider's url)`,
    )
    expect((await failure(client.get('/other'))).message).toBe("GET /other → 304: redirected, not followed (check the provider's url)")
    expect(server.counts()[`GET /elsewhere`]).toBeUndefined()
  })

  it('refuses an HTML login page answered with 200, once, quoting a little of its text', async () => {
    const server = await startHostileServer(onTestFinished)
    const page = '<!doctype html><html><head><title>Sign in</title><script>var k="x"</script></head><body><h1>Please sign in</h1></body></html>'
    server.route('GET', LIST, text(200, 'text/html; charset=utf-8', page))
    const error = await failure(clientFor(server).get(LIST))
    expect(error).toBeInstanceOf(UnexpectedResponseError)
    expect((error as UnexpectedResponseError).status).toBe(200)
    expect(error.message).toBe(`GET ${LIST} → 200: the answer is text/html, expected JSON: "Sign in Please sign in"`)
    expect(server.counts()[`GET ${LIST}`]).toBe(1)
  })

  it('refuses JSON that does not parse, and a body without a content type', async () => {
    const server = await startHostileServer(onTestFinished)
    server.route('GET', LIST, text(200, 'application/json', '{"items": [ {"id": 1,'))
    server.route('GET', '/untyped', text(200, '', '{"items": []}'))
    const client = clientFor(server)
    expect((await failure(client.get(LIST))).message).toBe(`GET ${LIST} → 200: the answer is not valid JSON`)
    expect((await failure(client.get('/untyped'))).message).toBe('GET /untyped → 200: the answer has no content type, expected JSON')
  })

  it('accepts +json media types and a charset parameter', async () => {
    const server = await startHostileServer(onTestFinished)
    server.route('GET', '/a', text(200, 'application/vnd.api+json', '{"a": 1}'))
    server.route('GET', '/b', text(200, 'Application/JSON; charset=UTF-8', '{"b": 2}'))
    const client = clientFor(server)
    expect((await client.get('/a')).body).toEqual({ a: 1 })
    expect((await client.get('/b')).body).toEqual({ b: 2 })
  })

  it('allows an empty body only where the request says so', async () => {
    const server = await startHostileServer(onTestFinished)
    server.route('DELETE', `${LIST}/:id`, text(200, 'application/json', ''))
    server.route('GET', `${LIST}/:id`, text(200, 'application/json', ''))
    const client = clientFor(server)
    const deleted = await client.delete(`${LIST}/7`, { allowEmptyBody: true })
    expect(deleted.body).toBeUndefined()
    expect(deleted.path).toBe(`${LIST}/7`)
    expect((await failure(client.get(`${LIST}/7`))).message).toBe(`GET ${LIST}/7 → 200: the answer is empty, expected JSON`)
  })

  it('reports the path without its query in answers and errors', async () => {
    const server = await startHostileServer(onTestFinished)
    server.route('GET', LIST, json(200, { ok: true }))
    const reply = await clientFor(server).get(LIST, { query: { search_field_values: ['secret-ish'] } })
    expect(reply.path).toBe(LIST)
    expect(reply.method).toBe('GET')
  })

  it('treats a POST answered with HTML as unexpected (the server may have acted), and does not retry it', async () => {
    const server = await startHostileServer(onTestFinished)
    server.route('POST', LIST, text(200, 'text/html', '<p>ok</p>'))
    const error = await failure(clientFor(server).post(LIST, { json: { campaign_name: 'A', secret: 'body-never-shown' } }))
    expect(error).toBeInstanceOf(UnexpectedResponseError)
    expect(error.message).not.toContain('body-never-shown')
    expect(server.counts()[`POST ${LIST}`]).toBe(1)
  })
})

describe('error answers', () => {
  it('shows a short single-line excerpt of a text/plain 502, without control or bidi characters', async () => {
    const server = await startHostileServer(onTestFinished)
    const hostile = `Bad gateway\u001b[2J\u001b[31m upstream\u0007 said:\r\nX-Injected: yes\u202Eevil\u2066 ${'padding '.repeat(200)}`
    server.route('GET', LIST, text(502, 'text/plain', hostile))
    const error = await failure(clientFor(server, { retry: { maxAttempts: 2 } }).get(LIST))
    expect(error).toBeInstanceOf(ServerError)
    expect(error.message).toMatch(/^GET \/api\/v1\/outbound\/campaigns → 502: Bad gateway \[2J \[31m upstream said: X-Injected: yes evil padding/)
    expect(error.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/)
    expect(error.message.length).toBeLessThan(260)
    // A 502 on a GET is still retried: only the wording changed.
    expect(server.counts()[`GET ${LIST}`]).toBe(2)
  })

  it('reads an HTML error page as its text', async () => {
    const server = await startHostileServer(onTestFinished)
    server.route('GET', LIST, text(503, 'text/html', '<html><head><style>b{}</style><title>503 Service Unavailable</title></head><body>down</body></html>'))
    const error = await failure(clientFor(server, { retry: { maxAttempts: 1 } }).get(LIST))
    expect(error.message).toBe(`GET ${LIST} → 503: 503 Service Unavailable down`)
  })

  it('reads only the start of an error body that never ends', async () => {
    const server = await startHostileServer(onTestFinished)
    server.route('GET', LIST, endlessJson({ status: 500 }))
    const { value: error, ms } = await timed(() => failure(clientFor(server, { retry: { maxAttempts: 1 } }).get(LIST)))
    expect(error).toBeInstanceOf(ServerError)
    expect(ms).toBeLessThan(3000)
  })

  it("keeps FastAPI's detail, and survives a detail list that is not FastAPI's", async () => {
    const server = await startHostileServer(onTestFinished)
    server.route('POST', LIST, json(422, { detail: [null, 7, { loc: ['body', 'hourly_rate'], msg: 'too high' }, { loc: [{}], msg: {} }] }))
    const error = await failure(clientFor(server).post(LIST, { json: {} }))
    expect(error).toBeInstanceOf(ValidationError)
    expect(error.message).toBe(`POST ${LIST} → 422: invalid; invalid; hourly_rate: too high; [object Object]: invalid`)
    expect(describeDetail({ message: 'x\u001b]0;title\u0007' })).toBe(': {"message":"x\\u001b]0;title\\u0007"}')
  })
})

describe('bounded answers', () => {
  it('refuses an answer whose content-length is over the cap, before reading it', async () => {
    const server = await startHostileServer(onTestFinished)
    server.route('GET', LIST, (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': 100 * MiB })
      response.write('{"items": [')
    })
    const { value: error, ms } = await timed(() => failure(clientFor(server, { maxResponseBytes: MiB }).get(LIST)))
    expect(error).toBeInstanceOf(ResponseTooLargeError)
    expect(error.message).toBe(`GET ${LIST} → 200: the answer announces 100 MiB, more than the 1 MiB cap on response size (max_response_mb), not read`)
    expect(ms).toBeLessThan(2000)
    expect(server.counts()[`GET ${LIST}`]).toBe(1)
  })

  it('stops reading a streamed answer as soon as it passes the cap, and does not retry', async () => {
    const server = await startHostileServer(onTestFinished)
    server.route('GET', LIST, endlessJson())
    const before = process.memoryUsage().rss
    const { value: error, ms } = await timed(() => failure(clientFor(server, { maxResponseBytes: 2 * MiB }).get(LIST)))
    expect(error).toBeInstanceOf(ResponseTooLargeError)
    expect(error.message).toBe(`GET ${LIST} → 200: the answer is larger than the 2 MiB cap on response size (max_response_mb), not read`)
    expect(ms).toBeLessThan(3000)
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * MiB)
    expect(server.counts()[`GET ${LIST}`]).toBe(1)
  })

  it('stops a trickling answer at the deadline of the whole request, and does not retry it', async () => {
    const server = await startHostileServer(onTestFinished)
    server.route('GET', LIST, trickle(100))
    const { value: error, ms } = await timed(() => failure(clientFor(server, { requestTimeoutMs: 600 }).get(LIST)))
    expect(error).toBeInstanceOf(RequestDeadlineError)
    expect((error as RequestDeadlineError).status).toBe(200)
    expect(error.message).toBe(`GET ${LIST} → 200: the answer did not complete within 0.6 s (raise --timeout or the provider's timeout)`)
    expect(ms).toBeGreaterThanOrEqual(550)
    expect(ms).toBeLessThan(2000)
    expect(server.counts()[`GET ${LIST}`]).toBe(1)
  })

  it('stops a request that gets no answer at the deadline, ambiguous for a POST, sent once', async () => {
    const server = await startHostileServer(onTestFinished)
    server.route('POST', LIST, silence())
    server.route('GET', LIST, silence())
    const client = clientFor(server, { requestTimeoutMs: 300 })
    const post = await failure(client.post(LIST, { json: {} }))
    expect(post).toBeInstanceOf(RequestDeadlineError)
    expect((post as RequestDeadlineError).ambiguous).toBe(true)
    expect(post.message).toBe(`POST ${LIST}: no answer within 0.3 s (raise --timeout or the provider's timeout)`)
    const { ms } = await timed(() => failure(client.get(LIST)))
    expect(ms).toBeLessThan(1500)
    expect(server.counts()).toEqual({ [`POST ${LIST}`]: 1, [`GET ${LIST}`]: 1 })
  })

  it('counts the deadline across the headers too (a server slow to start)', async () => {
    const server = await startHostileServer(onTestFinished)
    server.route('GET', LIST, (request, response) => request.later(2000, () => json(200, { late: true })(request, response)))
    const error = await failure(clientFor(server, { requestTimeoutMs: 250 }).get(LIST))
    expect(error).toBeInstanceOf(RequestDeadlineError)
    expect(error).toBeInstanceOf(ApiError)
  })

  it('reads an answer exactly at the cap', async () => {
    const server = await startHostileServer(onTestFinished)
    const body = JSON.stringify({ pad: 'x'.repeat(1000 - 10) })
    expect(Buffer.byteLength(body)).toBe(1000)
    server.route('GET', LIST, text(200, 'application/json', body))
    expect((await clientFor(server, { maxResponseBytes: 1000 }).get(LIST)).body).toEqual(JSON.parse(body))
    expect(await failure(clientFor(server, { maxResponseBytes: 999 }).get(LIST))).toBeInstanceOf(ResponseTooLargeError)
  })
})

describe('safeExcerpt', () => {
  it('makes server text one short, printable line', () => {
    expect(safeExcerpt('a\r\nb\tc\u0000d\u009be\u200ff\u2028g')).toBe('a b c d e f g')
    expect(safeExcerpt('x'.repeat(500))).toHaveLength(200)
    expect(safeExcerpt('😀'.repeat(300)).endsWith('…')).toBe(true)
    expect(safeExcerpt('😀'.repeat(300))).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/)
  })
})
