import { Pool } from 'undici'

import { NetworkError, statusError, type HttpStatusError } from './errors.js'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export type QueryValue = string | number | boolean | undefined | readonly (string | number)[]

export interface RequestOptions {
  /** Query parameters; a list becomes repeated keys (`?a=1&a=2`), undefined values are left out. */
  query?: Record<string, QueryValue>
  /** A JSON body. */
  json?: unknown
  /** An `application/x-www-form-urlencoded` body. */
  form?: Record<string, string>
  headers?: Record<string, string>
}

export interface HttpResponse<T = unknown> {
  status: number
  headers: Record<string, string>
  /** Parsed JSON, or the text when the body is not JSON (undefined when empty). */
  body: T
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number
  /** First backoff delay; doubles per attempt, with jitter, up to `maxDelayMs`. */
  baseDelayMs: number
  maxDelayMs: number
  /** A `Retry-After` longer than this is not waited for: the error is returned instead. */
  maxRetryAfterMs: number
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
  /** Time allowed for the response headers, and again for the body. */
  requestTimeoutMs?: number
  retry?: Partial<RetryPolicy>
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  onRetry?: (event: RetryEvent) => void
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 8000, maxRetryAfterMs: 60_000 }

/** Transport failures that happen before a request is sent: retrying them cannot duplicate anything. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'])
const RETRIED_STATUSES = new Set([429, 500, 502, 503, 504])

/**
 * The one HTTP client: an undici keep-alive pool per API, timeouts on every request, and retries
 * with exponential backoff and jitter that honour `Retry-After`.
 *
 * GET, PUT, PATCH and DELETE are retried on 429, 5xx and network errors. POST (a create) is never
 * retried blind: only a 429 (refused, not processed) or a failure before the request left is
 * retried; anything else is thrown, marked ambiguous where the server may have acted, so the caller
 * can look for the resource before trying again.
 */
export class HttpClient {
  private readonly pool: Pool
  private readonly prefix: string
  private readonly retry: RetryPolicy
  private readonly sleep: (ms: number) => Promise<void>
  private readonly random: () => number
  readonly stats = { requests: 0, retries: 0 }

  constructor(private readonly options: HttpClientOptions) {
    const url = new URL(options.baseUrl)
    this.prefix = url.pathname.replace(/\/+$/, '')
    const requestTimeout = options.requestTimeoutMs ?? 30_000
    this.pool = new Pool(url.origin, {
      connections: options.connections ?? 8,
      connect: { timeout: options.connectTimeoutMs ?? 10_000 },
      headersTimeout: requestTimeout,
      bodyTimeout: requestTimeout,
      keepAliveTimeout: 10_000,
    })
    this.retry = { ...DEFAULT_RETRY, ...options.retry }
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
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
    let response
    try {
      response = await this.pool.request({ method, path: target, headers, body })
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'UNKNOWN'
      throw new NetworkError(method, path, code, !NOT_SENT_CODES.has(code))
    }
    let text: string
    try {
      text = await response.body.text()
    } catch (error) {
      throw new NetworkError(method, path, (error as NodeJS.ErrnoException).code ?? 'UND_ERR_SOCKET', true)
    }
    const responseHeaders = flattenHeaders(response.headers)
    const parsed = parseBody(text, responseHeaders['content-type'])
    if (response.statusCode >= 400) {
      const detail = (parsed as { detail?: unknown } | undefined)?.detail ?? (typeof parsed === 'string' ? parsed : undefined)
      throw statusError(response.statusCode, method, path, detail, retryAfter(responseHeaders['retry-after']))
    }
    return { status: response.statusCode, headers: responseHeaders, body: parsed as T }
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

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined
  if (contentType === undefined || contentType.includes('json')) {
    try {
      return JSON.parse(text)
    } catch {
      return text
    }
  }
  return text
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now. */
export function retryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}
