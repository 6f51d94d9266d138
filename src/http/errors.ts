/**
 * Typed failures of the one HTTP client. Messages name the method, the path (never its query)
 * and what was wrong, with at most a short, sanitised excerpt of what the server said: never a
 * header (credentials live there) nor a request body (secrets may).
 */
import type { ErrorWithCause, FailureCause } from '../model/failure-cause.js'
import { safeExcerpt } from './excerpt.js'

export abstract class ApiError extends Error implements ErrorWithCause {
  abstract readonly kind: string

  /** What would let the request through (see FailureCause); by default unknown. */
  get failureCause(): FailureCause {
    return 'unknown'
  }

  constructor(
    message: string,
    readonly method: string,
    readonly path: string,
  ) {
    super(message)
  }
}

/** A client opened read-only (plan, drift) was asked to write: refused before anything is sent. */
export class ReadOnlyClientError extends ApiError {
  readonly kind = 'read-only'

  constructor(method: string, path: string) {
    super(`${method} ${path} refused: this run only reads from the platform (a read-only client sends GET and HEAD only)`, method, path)
  }
}

/** The server answered with an error status. */
export class HttpStatusError extends ApiError {
  readonly kind: string = 'http-status'

  constructor(
    readonly status: number,
    method: string,
    path: string,
    /** FastAPI's `detail`: a string, or a list of `{loc, msg, type}` for a 422. */
    readonly detail: unknown,
    readonly retryAfterMs?: number,
  ) {
    super(`${method} ${path} → ${status}${describeDetail(detail)}`, method, path)
  }

  override get failureCause(): FailureCause {
    return causeOfStatus(this.status)
  }

  /** The request fields a 400/422 names (FastAPI's `loc`, without `body`). */
  get rejectedFields(): string[] {
    if (this.failureCause !== 'rejected' || !Array.isArray(this.detail)) return []
    return [...new Set(this.detail.map(locationOf).filter((loc) => loc !== ''))]
  }
}

/** 401/403: the key; 400/422: a value; 404/409: the platform's state; 408/429/5xx: try again. */
function causeOfStatus(status: number): FailureCause {
  if (status === 401 || status === 403) return 'credentials'
  if (status === 400 || status === 422) return 'rejected'
  if (status === 404 || status === 409) return 'state'
  if (status === 408 || status === 429 || status >= 500) return 'transient'
  return 'unknown'
}

export class BadRequestError extends HttpStatusError {
  override readonly kind = 'bad-request'
}
export class AuthenticationError extends HttpStatusError {
  override readonly kind = 'authentication'
}
export class NotFoundError extends HttpStatusError {
  override readonly kind = 'not-found'
}
export class ConflictError extends HttpStatusError {
  override readonly kind = 'conflict'
}
export class ValidationError extends HttpStatusError {
  override readonly kind = 'validation'
}
export class RateLimitedError extends HttpStatusError {
  override readonly kind = 'rate-limited'
}
export class ServerError extends HttpStatusError {
  override readonly kind = 'server'
}

/** The request failed in transit. `ambiguous` is true when it may have reached the server. */
export class NetworkError extends ApiError {
  readonly kind: string = 'network'

  constructor(
    method: string,
    path: string,
    readonly code: string,
    readonly ambiguous: boolean,
    /** Replaces the generic wording of the code (subclasses say more). */
    message?: string,
  ) {
    super(message ?? `${method} ${path} failed: ${describeCode(code)}`, method, path)
  }

  /** In transit (a reset, a refused connection, a timeout): worth trying again. */
  override get failureCause(): FailureCause {
    return 'transient'
  }
}

/**
 * The whole request (connect, headers and body) did not finish within its deadline. Never
 * retried: a run must end within its deadline. Ambiguous, since the server may have acted.
 */
export class RequestDeadlineError extends NetworkError {
  override readonly kind = 'deadline'

  constructor(
    method: string,
    path: string,
    readonly deadlineMs: number,
    /** The status, when the headers came in time and the body did not. */
    readonly status?: number,
  ) {
    const what = status === undefined ? `${method} ${path}: no answer` : `${method} ${path} → ${status}: the answer did not complete`
    super(method, path, 'DEADLINE', true, `${what} within ${formatSeconds(deadlineMs)} (raise --timeout or the provider's timeout)`)
  }
}

/**
 * The answer was not what the platform's contract says: a 2xx that is not JSON, JSON that does
 * not parse, a body of the wrong shape, a redirect, an answer too large to read. Not retried, and
 * never read as "nothing exists". On a POST the server may still have acted.
 */
export class UnexpectedResponseError extends ApiError {
  readonly kind: string = 'unexpected-response'

  constructor(
    method: string,
    path: string,
    readonly status: number,
    /** What was wrong, in a few words (already safe to print). */
    readonly problem: string,
  ) {
    super(`${method} ${path} → ${status}: ${problem}`, method, path)
  }
}

/** A 3xx: never followed. Only the origin of its Location is named (its path or query may carry tokens). */
export class RedirectError extends UnexpectedResponseError {
  override readonly kind = 'redirect'

  constructor(
    method: string,
    path: string,
    status: number,
    /** Origin of the Location header, when it had a usable one. */
    readonly locationOrigin: string | undefined,
  ) {
    const where = locationOrigin === undefined ? 'redirected' : `redirected to ${locationOrigin}`
    super(method, path, status, `${where}, not followed (check the provider's url)`)
  }
}

/** The answer is larger than the cap on response size: reading stopped there. */
export class ResponseTooLargeError extends UnexpectedResponseError {
  override readonly kind = 'too-large'

  constructor(
    method: string,
    path: string,
    status: number,
    readonly limitBytes: number,
    /** The size the server announced, when it announced one over the cap. */
    readonly announcedBytes?: number,
  ) {
    const size = announcedBytes === undefined ? 'the answer is larger than' : `the answer announces ${formatBytes(announcedBytes)}, more than`
    super(method, path, status, `${size} the ${formatBytes(limitBytes)} cap on response size (max_response_mb), not read`)
  }
}

export function statusError(status: number, method: string, path: string, detail: unknown, retryAfterMs?: number): HttpStatusError {
  const args = [status, method, path, detail, retryAfterMs] as const
  if (status === 400) return new BadRequestError(...args)
  if (status === 401 || status === 403) return new AuthenticationError(...args)
  if (status === 404) return new NotFoundError(...args)
  if (status === 409) return new ConflictError(...args)
  if (status === 422) return new ValidationError(...args)
  if (status === 429) return new RateLimitedError(...args)
  if (status >= 500) return new ServerError(...args)
  return new HttpStatusError(...args)
}

/** A short, single-line rendering of FastAPI's detail (422 lists become `field: msg; …`). */
export function describeDetail(detail: unknown): string {
  if (detail === undefined || detail === null || detail === '') return ''
  if (typeof detail === 'string') return `: ${truncate(detail)}`
  if (Array.isArray(detail)) {
    const parts = detail.slice(0, 5).map((entry: unknown) => {
      const loc = locationOf(entry)
      const msg = entry !== null && typeof entry === 'object' ? (entry as { msg?: unknown }).msg : undefined
      return `${loc}${loc ? ': ' : ''}${typeof msg === 'string' ? msg : 'invalid'}`
    })
    return `: ${truncate(parts.join('; '))}${detail.length > 5 ? ` (+${detail.length - 5} more)` : ''}`
  }
  return `: ${truncate(JSON.stringify(detail))}`
}

/** Where a FastAPI error entry points (`loc` without `body`, joined by dots; `` when it has none). A server's list need not hold {loc, msg}. */
function locationOf(entry: unknown): string {
  const loc = entry !== null && typeof entry === 'object' ? (entry as { loc?: unknown }).loc : undefined
  return Array.isArray(loc) ? safeExcerpt(loc.filter((part) => part !== 'body').map((part) => String(part)).join('.'), 100) : ''
}

function truncate(text: string): string {
  return safeExcerpt(text, 300)
}

/** `2 s`, `0.25 s`, `60 s`. */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`
}

/** `64 MiB`, `1.5 MiB`, `512 KiB`, `100 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(2))} MiB`
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(2))} KiB`
  return `${bytes} bytes`
}

function describeCode(code: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused'
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection closed before a response'
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'timed out connecting'
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return 'timed out waiting for the response'
    case 'ENOTFOUND':
      return 'host not found'
    default:
      return code
  }
}
