import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A small scriptable HTTP server on 127.0.0.1 that answers however a test tells it to: any status,
 * any content type, redirects, bodies that never end or that trickle in a byte at a time. It counts
 * requests per method and path, so a test can say "no write request was sent". Routes not scripted
 * are forwarded to an upstream (a real sandbox) when one is given, else answered 404.
 *
 * Everything it does is bounded: a streamed body stops at its byte budget or when the client goes
 * away, and close() ends every connection and timer.
 */

/** What a handler is told about the request. */
export interface HostileRequest {
  method: string
  /** Path without the query. */
  path: string
  query: URLSearchParams
  /** The request body (read up to 1 MiB). */
  body: string
  /** Values of `:name` segments of the route pattern. */
  params: Record<string, string>
  /** Requests already made to this method and path (0 for the first). */
  seen: number
  /** setTimeout whose timer close() clears (for handlers that answer slowly). */
  later(ms: number, run: () => void): void
}

export type HostileHandler = (request: HostileRequest, response: ServerResponse) => void | Promise<void>

export interface RouteOptions {
  /** Serve this many requests, then let the route fall through to the upstream (default: always). */
  times?: number
}

export interface HostileServer {
  url: string
  /** Scripts `METHOD path` (segments like `:id` match anything but a slash). The first route that matches and has uses left answers. */
  route(method: string, pattern: string, handler: HostileHandler, options?: RouteOptions): void
  /** Forgets every scripted route: from now on everything goes to the upstream. */
  clearRoutes(): void
  /** Requests per `METHOD /path` (query left out), forwarded ones included. */
  counts(): Record<string, number>
  /** Requests that were not GETs: what may have written. */
  writes(): Record<string, number>
  close(): Promise<void>
}

interface Route {
  method: string
  pattern: RegExp
  names: string[]
  handler: HostileHandler
  remaining: number
}

const MAX_REQUEST_BODY = 1024 * 1024

export async function startHostileServer(
  onTestFinished: (cleanup: () => Promise<void>) => void,
  options: { upstream?: string } = {},
): Promise<HostileServer> {
  const routes: Route[] = []
  const counts: Record<string, number> = {}
  const timers = new Set<NodeJS.Timeout>()
  let closing = false

  const server = createServer((incoming, outgoing) => {
    void handle(incoming, outgoing).catch(() => outgoing.destroy())
  })

  async function handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1')
    const method = incoming.method ?? 'GET'
    const key = `${method} ${url.pathname}`
    const seen = counts[key] ?? 0
    counts[key] = seen + 1
    const body = await readRequestBody(incoming)
    for (const route of routes) {
      const match = route.method === method && route.remaining > 0 ? route.pattern.exec(url.pathname) : null
      if (!match) continue
      route.remaining -= 1
      const params = Object.fromEntries(route.names.map((name, index) => [name, decodeURIComponent(match[index + 1]!)]))
      const later = (ms: number, run: () => void) => {
        if (closing) return
        const timer = setTimeout(() => {
          timers.delete(timer)
          run()
        }, ms)
        timers.add(timer)
      }
      await route.handler({ method, path: url.pathname, query: url.searchParams, body, params, seen, later }, outgoing)
      return
    }
    if (options.upstream) return forward(options.upstream, incoming, body, outgoing)
    sendJson(outgoing, 404, { detail: `no route ${key}` })
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const close = async () => {
    if (closing) return
    closing = true
    for (const timer of timers) clearTimeout(timer)
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  onTestFinished(close)

  return {
    url,
    route(method, pattern, handler, routeOptions = {}) {
      const names: string[] = []
      const source = pattern
        .split('/')
        .map((segment) => {
          if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
          names.push(segment.slice(1))
          return '([^/]+)'
        })
        .join('/')
      routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler, remaining: routeOptions.times ?? Number.POSITIVE_INFINITY })
    },
    clearRoutes: () => void routes.splice(0),
    counts: () => ({ ...counts }),
    writes: () => Object.fromEntries(Object.entries(counts).filter(([key]) => !key.startsWith('GET '))),
    close,
  }
}

function readRequestBody(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_REQUEST_BODY) chunks.push(chunk)
    })
    incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    incoming.on('error', reject)
  })
}

function forward(upstream: string, incoming: IncomingMessage, body: string, outgoing: ServerResponse): Promise<void> {
  const target = new URL(upstream)
  return new Promise((resolve) => {
    const headers = { ...incoming.headers, host: target.host }
    delete headers['content-length']
    delete headers['transfer-encoding']
    const proxied = httpRequest(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers)
        response.pipe(outgoing)
        response.on('end', resolve)
        response.on('error', () => resolve())
      },
    )
    proxied.on('error', () => {
      if (!outgoing.headersSent) sendJson(outgoing, 502, { detail: 'upstream unreachable' })
      else outgoing.destroy()
      resolve()
    })
    proxied.end(body)
  })
}

// ---- Ready-made answers ----

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers })
  response.end(text)
}

/** Always the same JSON answer. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): HostileHandler {
  return (_request, response) => sendJson(response, status, body, headers)
}

/** Any text with any content type (use '' for no content type at all). */
export function text(status: number, contentType: string, body: string, headers: Record<string, string> = {}): HostileHandler {
  return (_request, response) => {
    const all: Record<string, string | number> = { 'content-length': Buffer.byteLength(body), ...headers }
    if (contentType !== '') all['content-type'] = contentType
    response.writeHead(status, all)
    response.end(body)
  }
}

export function redirect(status: number, location: string): HostileHandler {
  return (_request, response) => {
    response.writeHead(status, { location, 'content-type': 'text/html', 'content-length': 0 })
    response.end()
  }
}

/**
 * A JSON-looking body that goes on and on: `{"items": [` then the same object over and over, as
 * fast as the client reads, until it disconnects or `maxBytes` have been sent.
 */
export function endlessJson(options: { status?: number; maxBytes?: number } = {}): HostileHandler {
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024 * 1024
  return (_request, response) =>
    new Promise<void>((resolve) => {
      response.writeHead(options.status ?? 200, { 'content-type': 'application/json' })
      const chunk = Buffer.from(`${JSON.stringify({ id: 1, campaign_name: 'x'.repeat(1000) })},`.repeat(64))
      let sent = 0
      const pump = () => {
        while (!response.destroyed && sent < maxBytes) {
          sent += chunk.length
          if (!response.write(chunk)) return void response.once('drain', pump)
        }
        response.end()
        resolve()
      }
      response.on('close', resolve)
      response.write('{"items": [')
      pump()
    })
}

/** Headers at once, then `body` one byte every `intervalMs` (at most `maxBytes` bytes), until the client goes away. */
export function trickle(intervalMs: number, body = '{"items": [], "page": 0, "page_size": 1000}', maxBytes = 10_000): HostileHandler {
  return (request, response) =>
    new Promise<void>((resolve) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      let index = 0
      const next = () => {
        if (response.destroyed || index >= Math.min(body.length, maxBytes)) {
          response.end()
          return resolve()
        }
        response.write(body[index]!)
        index += 1
        request.later(intervalMs, next)
      }
      response.on('close', resolve)
      next()
    })
}

/** Accepts the request and never answers (close() ends the connection). */
export function silence(): HostileHandler {
  return () => undefined
}
