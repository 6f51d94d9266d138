import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request that went through the proxy, with its JSON body and when it was in flight. */
export interface RecordedRequest {
  method: string
  /** Path and query, e.g. `/api/v1/outbound/campaigns/3`. */
  path: string
  /** The parsed JSON body (undefined when there was none). */
  body: unknown
  status: number | undefined
  /** performance.now() when the request arrived and when its response ended. */
  started: number
  ended: number
}

export interface RecordingProxy {
  /** Base URL to give the CLI instead of the sandbox's. */
  url: string
  /** Every request so far, in arrival order. */
  requests: RecordedRequest[]
  close(): Promise<void>
}

/** An answer the proxy gives itself instead of forwarding (a platform refusing one particular request). */
export interface ProxyAnswer {
  status: number
  body: unknown
}

export interface RecordingProxyOptions {
  /** Called for each request; an answer is sent back without reaching the sandbox. */
  answer?: (request: RecordedRequest) => ProxyAnswer | undefined
}

/**
 * A transparent HTTP proxy in front of a sandbox that records what the CLI sent: methods, paths,
 * JSON bodies and timings. The sandbox's counters say how many requests reached a route; this says
 * what was in them (a PUT's full body, a PATCH's fields) and how many were in flight at once.
 */
export async function startRecordingProxy(target: string, options: RecordingProxyOptions = {}): Promise<RecordingProxy> {
  const upstream = new URL(target)
  const requests: RecordedRequest[] = []
  const server = createServer((incoming, outgoing) => {
    const started = performance.now()
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.on('end', () => {
      const raw = Buffer.concat(chunks)
      const record: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path: incoming.url ?? '/',
        body: parseJson(raw),
        status: undefined,
        started,
        ended: started,
      }
      requests.push(record)
      const answer = options.answer?.(record)
      if (answer) {
        const text = JSON.stringify(answer.body)
        record.status = answer.status
        outgoing.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
        outgoing.end(text)
        record.ended = performance.now()
        return
      }
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: withoutHopHeaders(incoming.headers, upstream.host),
        },
        (response) => {
          record.status = response.statusCode
          outgoing.writeHead(response.statusCode ?? 502, response.headers)
          response.pipe(outgoing)
          response.on('end', () => (record.ended = performance.now()))
        },
      )
      forward.on('error', () => {
        record.ended = performance.now()
        outgoing.destroy()
      })
      forward.end(raw)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** The largest number of the given requests that were in flight at the same moment. */
export function maxInFlight(requests: readonly RecordedRequest[]): number {
  const edges = requests.flatMap((r) => [
    { at: r.started, delta: 1 },
    { at: r.ended, delta: -1 },
  ])
  // At equal times an end is counted before a start: touching intervals do not overlap.
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta)
  let current = 0
  let max = 0
  for (const edge of edges) {
    current += edge.delta
    max = Math.max(max, current)
  }
  return max
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined
  try {
    return JSON.parse(raw.toString('utf8')) as unknown
  } catch {
    return raw.toString('utf8')
  }
}

function withoutHopHeaders(headers: IncomingHttpHeaders, host: string): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = { ...headers, host }
  delete out.connection
  delete out['keep-alive']
  return out
}
