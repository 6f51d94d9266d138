/**
 * Typed failures of the one HTTP client. Messages name the method, the path and the API's
 * `detail`, never a header (credentials live there) nor a request body (secrets may).
 */
export abstract class ApiError extends Error {
  abstract readonly kind: string

  constructor(
    message: string,
    readonly method: string,
    readonly path: string,
  ) {
    super(message)
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

/** The server answered, but not as the contract says (content type, JSON, shape). */
export class UnexpectedResponseError extends ApiError {
  readonly kind = 'unexpected-response'

  constructor(
    method: string,
    path: string,
    readonly status: number,
    readonly problem: string,
  ) {
    super(`${method} ${path} → ${status}: ${problem}`, method, path)
  }
}

/** The request failed in transit. `ambiguous` is true when it may have reached the server. */
export class NetworkError extends ApiError {
  readonly kind = 'network'

  constructor(
    method: string,
    path: string,
    readonly code: string,
    readonly ambiguous: boolean,
  ) {
    super(`${method} ${path} failed: ${describeCode(code)}`, method, path)
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
    const parts = detail.slice(0, 5).map((entry) => {
      const e = entry as { loc?: unknown[]; msg?: string }
      const loc = Array.isArray(e.loc) ? e.loc.filter((part) => part !== 'body').join('.') : ''
      return `${loc}${loc ? ': ' : ''}${e.msg ?? 'invalid'}`
    })
    return `: ${truncate(parts.join('; '))}${detail.length > 5 ? ` (+${detail.length - 5} more)` : ''}`
  }
  return `: ${truncate(JSON.stringify(detail))}`
}

function truncate(text: string): string {
  return text.length > 300 ? `${text.slice(0, 297)}...` : text
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
