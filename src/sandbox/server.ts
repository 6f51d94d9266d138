import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

import { SandboxClock } from './clock.js'
import { controlRoutes, CONTROL_PREFIX, type ControlContext } from './control.js'
import { RequestCounters } from './counters.js'
import { FaultInjector, type FaultKind, type FaultSettings } from './faults.js'
import { ApiError, Router, type ApiRequest, type ApiResponse } from './http-kit.js'
import type { PlatformContext, PlatformModule } from './platform.js'
import { PLATFORMS } from '../platforms.js'
import { RequestValidationError } from './request-validation.js'
import { SandboxStore, type StoreAccess } from './store.js'

export const MAX_BODY_BYTES = 1024 * 1024

export interface SandboxOptions {
  /** Interface to listen on; loopback by default. */
  host?: string
  /** Port; 0 (the default) picks a free one. */
  port?: number
  /** Persist state to this JSON file (atomic writes); in memory when absent. */
  statePath?: string
  /**
   * How the state file is opened: by default writable, holding its lock while the sandbox runs
   * (refused at once when another process holds it); `{ readOnly: true }` loads it and never writes.
   */
  stateAccess?: StoreAccess
  /** Initial fault settings (latency, probabilities, seed). */
  faults?: Partial<FaultSettings>
  /** Freeze the clock at this instant (tests); real time when absent. */
  now?: string | Date
  /** Called once per API request with a one-line summary (never bodies). */
  log?: (line: string) => void
}

export interface RunningSandbox {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string
  host: string
  port: number
  store: SandboxStore
  clock: SandboxClock
  faults: FaultInjector
  counters: RequestCounters
  /** Stops listening, closes connections, and waits for the state file to be written. */
  close(): Promise<void>
}

/**
 * Starts the emulator of every platform (src/platforms.ts) on a real HTTP server: the same code serves
 * `cac sandbox serve`, the CLI's embedded sandbox, the tests and the benchmarks.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const store = await SandboxStore.open(options.statePath, options.stateAccess)
  try {
    return await serve(store, options)
  } catch (error) {
    await store.close()
    throw error
  }
}

async function serve(store: SandboxStore, options: SandboxOptions): Promise<RunningSandbox> {
  const clock = new SandboxClock(options.now)
  const faults = new FaultInjector(options.faults)
  const counters = new RequestCounters()

  const api = new Router<PlatformContext>()
  const platformOf = new Map<string, PlatformModule>()
  for (const platform of await Promise.all(PLATFORMS.map((declared) => declared.sandbox.load()))) {
    api.add(...platform.routes)
    for (const route of platform.routes) platformOf.set(`${route.method} ${route.template}`, platform)
  }
  const control = new Router<ControlContext>().add(...controlRoutes)
  const lateRequests = new LateRequests((error) => options.log?.(`late request failed: ${(error as Error).message}`))
  const controlContext: ControlContext = { store, clock, faults, counters }

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      options.log?.(`internal error: ${(error as Error).message}`)
      if (!res.headersSent) send(res, { status: 500, body: { detail: 'Internal Server Error' } })
      else res.destroy()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase()
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid')
    const path = url.pathname

    if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) {
      if (fromBrowserPage(req)) {
        send(res, { status: 403, body: { detail: 'the control API does not answer requests made by web pages' } })
        return
      }
      const match = control.match(method, path)
      if (match.kind !== 'found') {
        send(res, { status: match.kind === 'not-found' ? 404 : 405, body: { detail: match.kind === 'not-found' ? 'Not Found' : 'Method Not Allowed' } })
        return
      }
      const request = await readRequest(req, method, path, url, match.route.template, match.params)
      if (request instanceof ApiError) return void send(res, errorResponse(request))
      try {
        send(res, await match.route.handler(request, controlContext))
      } catch (error) {
        send(res, errorResponse(error))
      }
      return
    }

    const match = api.match(method, path)
    const routeKey = match.kind === 'found' ? `${method} ${match.route.template}` : `${method} (no route)`
    const started = Date.now()
    // The configured latency is the response time the client sees: the request is handled at once
    // and the answer (or the fault) leaves no sooner than `latency_ms` after the request arrived.
    const latencyMs = faults.latencyMs
    const respondAfterLatency = async () => {
      const wait = started + latencyMs - Date.now()
      if (wait > 0) await sleep(wait)
    }
    const finish = (outcome: string) => {
      counters.record(routeKey, outcome)
      options.log?.(`${method} ${path} ${outcome} ${Date.now() - started}ms`)
    }

    if (match.kind !== 'found') {
      await respondAfterLatency()
      const status = match.kind === 'not-found' ? 404 : 405
      send(res, { status, body: { detail: status === 404 ? 'Not Found' : 'Method Not Allowed' } })
      return finish(String(status))
    }

    const fault: FaultKind | undefined = faults.decide(method, routeKey)
    if (fault === 'reset') {
      await respondAfterLatency()
      req.socket.destroy()
      return finish('reset')
    }
    if (fault === 'throttle' || fault === 'error500' || fault === 'error503') {
      await respondAfterLatency()
      const response = faultResponse(fault, faults.retryAfterSeconds)
      send(res, response)
      return finish(String(response.status))
    }

    const platform = platformOf.get(routeKey)!
    const request = await readRequest(req, method, path, url, match.route.template, match.params)
    const handleRequest = async (): Promise<ApiResponse> => {
      if (request instanceof ApiError) return errorResponse(request)
      const actor = platform.authenticate(request)
      if (actor === undefined) return { status: 401, body: { detail: platform.unauthenticatedDetail } }
      let response: ApiResponse
      try {
        response = await match.route.handler(request, { store, clock, actor })
      } catch (error) {
        response = errorResponse(error, options.log)
      }
      if (response.mutated) await store.commit()
      return response
    }
    if (fault === 'late_commit') {
      // A gateway that gives up first: the client gets a 504 now, the platform acts later anyway.
      await respondAfterLatency()
      send(res, { status: 504, body: { detail: 'Gateway Timeout' } })
      finish('504')
      lateRequests.schedule(faults.lateCommitMs, handleRequest)
      return
    }
    const response = await handleRequest()
    await respondAfterLatency()
    if (fault === 'drop') {
      req.socket.destroy()
      return finish('dropped')
    }
    send(res, response)
    finish(String(response.status))
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const host = address.address
  const urlHost = host.includes(':') ? `[${host}]` : host

  return {
    url: `http://${urlHost}:${address.port}`,
    host,
    port: address.port,
    store,
    clock,
    faults,
    counters,
    close: () => closeServer(server, store, lateRequests),
  }
}

/**
 * Requests a gateway has already answered (with a 504) that the platform still handles later.
 * Closing the sandbox drops the ones not yet handled, as a platform that goes down would.
 */
class LateRequests {
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly running = new Set<Promise<unknown>>()

  constructor(private readonly onError: (error: unknown) => void) {}

  schedule(delayMs: number, handle: () => Promise<unknown>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      const run = handle()
        .catch(this.onError)
        .finally(() => this.running.delete(run))
      this.running.add(run)
    }, delayMs)
    this.timers.add(timer)
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    await Promise.all(this.running)
  }
}

async function closeServer(server: Server, store: SandboxStore, lateRequests: LateRequests): Promise<void> {
  await lateRequests.close()
  await new Promise<void>((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
  await store.close()
}

async function readRequest(
  req: IncomingMessage,
  method: string,
  path: string,
  url: URL,
  route: string,
  params: Record<string, string>,
): Promise<ApiRequest | ApiError> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) return new ApiError(413, 'Request body too large')
    chunks.push(chunk as Buffer)
  }
  const raw = Buffer.concat(chunks).toString('utf8')
  const contentType = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
  let body: unknown
  if (raw.length > 0) {
    if (contentType === 'application/x-www-form-urlencoded') {
      body = Object.fromEntries(new URLSearchParams(raw))
    } else if (contentType === 'application/json' || contentType === '') {
      try {
        body = JSON.parse(raw)
      } catch (error) {
        return new RequestValidationError([
          { type: 'json_invalid', loc: ['body', jsonErrorPosition(error, raw)], msg: 'JSON decode error', input: {}, ctx: { error: 'Expecting value' } },
        ])
      }
    } else {
      body = raw
    }
  }
  return { method, path, route, params, query: url.searchParams, headers: req.headers, body, contentType }
}

function jsonErrorPosition(error: unknown, raw: string): number {
  const match = /position (\d+)/.exec((error as Error).message)
  return match ? Number(match[1]) : raw.length
}

function faultResponse(fault: 'throttle' | 'error500' | 'error503', retryAfterSeconds: number): ApiResponse {
  if (fault === 'throttle') {
    return { status: 429, body: { detail: 'Too Many Requests' }, headers: { 'retry-after': String(Math.ceil(retryAfterSeconds)) } }
  }
  if (fault === 'error503') return { status: 503, body: { detail: 'Service Unavailable' }, headers: { 'retry-after': '1' } }
  return { status: 500, body: { detail: 'Internal Server Error' } }
}

function errorResponse(error: unknown, log?: (line: string) => void): ApiResponse {
  if (error instanceof ApiError) return { status: error.status, body: { detail: error.detail }, headers: error.headers }
  log?.(`handler error: ${(error as Error)?.stack ?? String(error)}`)
  return { status: 500, body: { detail: 'Internal Server Error' } }
}

function send(res: ServerResponse, response: ApiResponse): void {
  const text = response.body === undefined ? '' : JSON.stringify(response.body)
  res.writeHead(response.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...response.headers,
  })
  res.end(text)
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * A request a web page made (any page can send one to 127.0.0.1): browsers mark it with Origin or
 * Sec-Fetch-Site, which cac, curl and the tests never send. The control API can reset or fault the
 * sandbox, so it refuses them.
 */
function fromBrowserPage(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site']
  return req.headers.origin !== undefined || (site !== undefined && site !== 'none')
}
