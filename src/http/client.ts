import { Pool } from './undici-pool.js'

import {
  ApiError,
  NetworkError,
  ReadOnlyClientError,
  RedirectError,
  RequestDeadlineError,
  ResponseTooLargeError,
  UnexpectedResponseError,
  statusError,
  type HttpStatusError,
} from './errors.js'
import { htmlText, safeExcerpt } from './excerpt.js'
import { PRODUCTION_RETRY_POLICY, type RequestRetry } from '../model/retry-policy.js'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** The only methods a read-only client sends. */
const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD'])

export type QueryValue = string | number | boolean | undefined | readonly (string | number)[]

export interface RequestOptions {
  /** Query parameters; a list becomes repeated keys (`?a=1&a=2`), undefined values are left out. */
  query?: Record<string, QueryValue>
  /** A JSON body. */
  json?: unknown
  /** An `application/x-www-form-urlencoded` body. */
  form?: Record<string, string>
  headers?: Record<string, string>
  /** The answer may have an empty body (a DELETE whose answer is unspecified); otherwise a 2xx must carry JSON. */
  allowEmptyBody?: boolean
}

export interface HttpResponse<T = unknown> {
  method: HttpMethod
  /** The path asked for, without the query string (safe to put in a message). */
  path: string
  status: number
  headers: Record<string, string>
  /** The parsed JSON (undefined only for an empty body the request allowed). Not checked for shape: callers do that. */
  body: T
}

export interface RetryEvent {
  method: HttpMethod
  path: string
  /** The attempt that failed (1 = the first). */
  attempt: number
  delayMs: number
  reason: string
}

export interface HttpClientOptions {
  /** Base URL of the API, possibly with a path prefix (e.g. `https://apps.sarvam.ai/api/scheduling`). */
  baseUrl: string
  /** Headers sent with every request (credentials): never logged, never in an error. */
  headers?: Record<string, string>
  /** Keep-alive connections in the pool; requests beyond it wait their turn. */
  connections?: number
  connectTimeoutMs?: number
  /**
   * The deadline of one request: connecting, the headers and the whole body, under one timer, so a
   * server that trickles its answer is stopped too (default 60 s). A request past it is not retried.
   */
  requestTimeoutMs?: number
  /** The largest answer read (default 64 MiB); a larger one is refused, never buffered past the cap. */
  maxResponseBytes?: number
  retry?: Partial<RequestRetry>
  /** Refuse every method but GET and HEAD, before sending (runs that must not write: plan, drift). */
  readOnly?: boolean
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  onRetry?: (event: RetryEvent) => void
}

export const DEFAULT_RETRY: RequestRetry = PRODUCTION_RETRY_POLICY.requests

/** Deadline of one request, connect to last byte. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000
/** Cap on the size of one answer. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
/** An error answer is only read this far: only an excerpt of it is ever shown. */
const ERROR_BODY_LIMIT = 64 * 1024

/** Transport failures that happen before a request is sent: retrying them cannot duplicate anything. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'])
const RETRIED_STATUSES = new Set([429, 500, 502, 503, 504])

/**
 * The one HTTP client: an undici keep-alive pool per API, a deadline and a size cap on every
 * request, every answer checked before it is returned, and retries with exponential backoff and
 * jitter that honour `Retry-After`.
 *
 * Only a 2xx with a JSON body (by content type, and parsed) is a success. A 3xx is an error and is
 * never followed; an error status becomes a typed HttpStatusError with a short, sanitised excerpt
 * of the server's words. A deadline or size overrun, or an answer that is not what the contract
 * says (UnexpectedResponseError), is never retried.
 *
 * GET, PUT, PATCH and DELETE are retried on 429, 5xx and network errors. POST (a create) is never
 * retried blind: only a 429 (refused, not processed) or a failure before the request left is
 * retried; anything else is thrown, marked ambiguous where the server may have acted, so the caller
 * can look for the resource before trying again.
 */
export class HttpClient {
  private readonly pool: Pool
  private readonly prefix: string
  private readonly retry: RequestRetry
  private readonly sleep: (ms: number) => Promise<void>
  private readonly random: () => number
  private readonly origin: string
  private readonly deadlineMs: number
  private readonly maxResponseBytes: number
  readonly stats = { requests: 0, retries: 0 }
  /** Requests this client sends at once (its pool's connections): more only wait their turn. */
  readonly concurrency: number

  constructor(private readonly options: HttpClientOptions) {
    this.concurrency = options.connections ?? 8
    const url = new URL(options.baseUrl)
    this.origin = url.origin
    this.prefix = url.pathname.replace(/\/+$/, '')
    this.deadlineMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
    // The deadline below is the one that counts; undici's own timers only back it up.
    const backstop = this.deadlineMs + 1000
    this.pool = new Pool(url.origin, {
      connections: this.concurrency,
      connect: { timeout: Math.min(options.connectTimeoutMs ?? 10_000, this.deadlineMs) },
      headersTimeout: backstop,
      bodyTimeout: backstop,
      keepAliveTimeout: 10_000,
    })
    this.retry = { ...DEFAULT_RETRY, ...options.retry }
    this.sleep = options.sleep ?? PRODUCTION_RETRY_POLICY.sleep
    this.random = options.random ?? Math.random
  }

  get<T>(path: string, options?: RequestOptions): Promise<HttpResponse<T>> {
    return this.request<T>('GET', path, options)
  }

  post<T>(path: string, options?: RequestOptions): Promise<HttpResponse<T>> {
    return this.request<T>('POST', path, options)
  }

  put<T>(path: string, options?: RequestOptions): Promise<HttpResponse<T>> {
    return this.request<T>('PUT', path, options)
  }

  patch<T>(path: string, options?: RequestOptions): Promise<HttpResponse<T>> {
    return this.request<T>('PATCH', path, options)
  }

  delete<T>(path: string, options?: RequestOptions): Promise<HttpResponse<T>> {
    return this.request<T>('DELETE', path, options)
  }

  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    if (this.options.readOnly && !READ_METHODS.has(method)) throw new ReadOnlyClientError(method, path)
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.send<T>(method, path, options)
      } catch (error) {
        const delay = this.retryDelay(method, error, attempt)
        if (delay === undefined) throw error
        this.stats.retries += 1
        this.options.onRetry?.({ method, path, attempt, delayMs: delay, reason: (error as Error).message })
        await this.sleep(delay)
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.close()
  }

  /** How long to wait before the next attempt, or undefined when the error must be returned. */
  private retryDelay(method: HttpMethod, error: unknown, attempt: number): number | undefined {
    if (attempt >= this.retry.maxAttempts) return undefined
    let retryAfterMs: number | undefined
    // A run must end within its deadline, and a refused answer would be refused again.
    if (error instanceof RequestDeadlineError || error instanceof UnexpectedResponseError) return undefined
    if (error instanceof NetworkError) {
      if (method === 'POST' && error.ambiguous) return undefined
    } else if (isStatusError(error)) {
      if (!RETRIED_STATUSES.has(error.status)) return undefined
      if (method === 'POST' && error.status !== 429) return undefined
      retryAfterMs = error.retryAfterMs
    } else {
      return undefined
    }
    if (retryAfterMs !== undefined) return retryAfterMs <= this.retry.maxRetryAfterMs ? retryAfterMs : undefined
    const exponential = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1))
    return Math.round(exponential * (0.5 + this.random() * 0.5))
  }

  private async send<T>(method: HttpMethod, path: string, options: RequestOptions): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers, ...options.headers }
    let body: string | undefined
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(options.json)
    } else if (options.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      body = new URLSearchParams(options.form).toString()
    }
    const target = this.prefix + path + queryString(options.query)
    this.stats.requests += 1
    // One timer for the whole request: connect, headers and every byte of the body.
    const controller = new AbortController()
    let expired = false
    const timer = setTimeout(() => {
      expired = true
      controller.abort()
    }, this.deadlineMs)
    try {
      let response
      try {
        response = await this.pool.request({ method, path: target, headers, body, signal: controller.signal })
      } catch (error) {
        if (expired) throw new RequestDeadlineError(method, path, this.deadlineMs)
        const code = (error as NodeJS.ErrnoException).code ?? 'UNKNOWN'
        throw new NetworkError(method, path, code, !NOT_SENT_CODES.has(code))
      }
      const status = response.statusCode
      const responseHeaders = flattenHeaders(response.headers)
      if (status >= 300 && status < 400) {
        discard(response.body)
        throw new RedirectError(method, path, status, locationOrigin(responseHeaders.location, this.origin))
      }
      const success = status >= 200 && status < 300
      const announced = Number(responseHeaders['content-length'])
      if (success && Number.isFinite(announced) && announced > this.maxResponseBytes) {
        discard(response.body)
        throw new ResponseTooLargeError(method, path, status, this.maxResponseBytes, announced)
      }
      let read: BodyRead
      try {
        // An error's beginning is kept for its message; an answer past the cap is never decoded.
        // A 2xx with a Content-Length under the cap is framed by it (no byte past it is read as
        // this body): it is read whole. Anything else is read as a stream, counting bytes.
        read =
          success && Number.isFinite(announced) && announced >= 0
            ? { text: await response.body.text(), complete: true }
            : await readBounded(response.body, success ? this.maxResponseBytes : ERROR_BODY_LIMIT, !success)
      } catch (error) {
        if (expired) throw new RequestDeadlineError(method, path, this.deadlineMs, status)
        throw new NetworkError(method, path, (error as NodeJS.ErrnoException).code ?? 'UND_ERR_SOCKET', true)
      }
      const contentType = responseHeaders['content-type']
      if (!success) {
        throw statusError(status, method, path, errorDetail(read.text, contentType), retryAfter(responseHeaders['retry-after']))
      }
      if (!read.complete) throw new ResponseTooLargeError(method, path, status, this.maxResponseBytes)
      return { method, path, status, headers: responseHeaders, body: successBody(read.text, contentType, options, method, path, status) as T }
    } catch (error) {
      if (expired && !(error instanceof ApiError)) throw new RequestDeadlineError(method, path, this.deadlineMs)
      throw error
    } finally {
      clearTimeout(timer)
    }
  }
}

interface BodyRead {
  text: string
  /** False when the body went on past the limit: `text` holds its beginning only. */
  complete: boolean
}

type Body = AsyncIterable<unknown> & { destroy(): unknown; on(event: 'error', listener: () => void): unknown }

/** Stops a body that will not be read. undici destroys it with an abort error, which must not go unheard. */
function discard(body: Body): void {
  body.on('error', () => undefined)
  body.destroy()
}

/**
 * Reads a body as a stream, counting bytes, and stops (discarding the rest) at `limit`; what was
 * read of a body cut short is kept only when `keepPartial` asks for it.
 */
async function readBounded(body: Body, limit: number, keepPartial: boolean): Promise<BodyRead> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    const bytes = chunk as Buffer
    if (size + bytes.length > limit) {
      discard(body)
      if (!keepPartial) return { text: '', complete: false }
      chunks.push(bytes.subarray(0, limit - size))
      return { text: Buffer.concat(chunks).toString('utf8'), complete: false }
    }
    chunks.push(bytes)
    size += bytes.length
  }
  return { text: Buffer.concat(chunks, size).toString('utf8'), complete: true }
}

/** The media type of a Content-Type header, lower case, without parameters ('' when absent). */
function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase()
}

/** application/json, or a structured `+json` type such as application/problem+json. */
function isJsonMedia(media: string): boolean {
  return media === 'application/json' || /^[a-z0-9.+-]+\/[a-z0-9.+-]+\+json$/.test(media)
}

/** A 2xx body: JSON by content type and by parse, or empty where the request allows it. */
function successBody(text: string, contentType: string | undefined, options: RequestOptions, method: HttpMethod, path: string, status: number): unknown {
  if (text === '') {
    if (options.allowEmptyBody) return undefined
    throw new UnexpectedResponseError(method, path, status, 'the answer is empty, expected JSON')
  }
  const media = mediaType(contentType)
  if (!isJsonMedia(media)) {
    const shown = media === '' ? 'has no content type' : `is ${safeExcerpt(media, 60)}`
    const excerpt = media.startsWith('text/') ? textExcerpt(text, media, 80) : ''
    throw new UnexpectedResponseError(method, path, status, `the answer ${shown}, expected JSON${excerpt ? `: "${excerpt}"` : ''}`)
  }
  try {
    return JSON.parse(text) as unknown
  } catch {
    // The parser's own message quotes the body: say only what was wrong.
    throw new UnexpectedResponseError(method, path, status, 'the answer is not valid JSON')
  }
}

/** What an error answer says, for the message: FastAPI's detail, or a short excerpt of the text. */
function errorDetail(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined
  const media = mediaType(contentType)
  if (media === '' || isJsonMedia(media)) {
    try {
      const parsed = JSON.parse(text) as unknown
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const fields = parsed as Record<string, unknown>
        for (const key of ['detail', 'message', 'error']) if (fields[key] !== undefined && fields[key] !== null) return fields[key]
        return Object.keys(fields).length > 0 ? parsed : undefined
      }
      return parsed
    } catch {
      // Not JSON after all: shown as text.
    }
  }
  return textExcerpt(text, media)
}

function textExcerpt(text: string, media: string, max?: number): string {
  return safeExcerpt(media.includes('html') || /^\s*</.test(text) ? htmlText(text) : text.slice(0, 4096), max)
}

/** The origin of a redirect's Location (resolved against the API's origin), never its path or query. */
function locationOrigin(location: string | undefined, base: string): string | undefined {
  if (location === undefined || location.trim() === '') return undefined
  try {
    const url = new URL(location, base)
    if (url.protocol === 'http:' || url.protocol === 'https:') return safeExcerpt(url.origin, 120)
    return `a ${safeExcerpt(url.protocol, 20)} URL`
  } catch {
    return undefined
  }
}

function isStatusError(error: unknown): error is HttpStatusError {
  return typeof (error as HttpStatusError | undefined)?.status === 'number' && error instanceof Error && 'detail' in error
}

export function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return ''
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item))
    else params.append(key, String(value))
  }
  const text = params.toString()
  return text === '' ? '' : `?${text}`
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now. */
export function retryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}
