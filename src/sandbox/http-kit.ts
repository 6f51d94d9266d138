import type { IncomingHttpHeaders } from 'node:http'

/** A request as the emulated APIs see it: path parameters matched, body parsed. */
export interface ApiRequest {
  method: string
  /** The concrete path, e.g. `/api/v1/outbound/campaigns/7`. */
  path: string
  /** The matched route template, e.g. `/api/v1/outbound/campaigns/{campaign_id}`. */
  route: string
  params: Record<string, string>
  query: URLSearchParams
  headers: IncomingHttpHeaders
  /** Parsed JSON, parsed form fields (for form bodies), or undefined when there is no body. */
  body: unknown
  contentType: string
}

export interface ApiResponse {
  status: number
  /** Serialised as JSON; undefined sends an empty body. */
  body?: unknown
  headers?: Record<string, string>
  /** True when the handler changed the store: the response waits until the state is persisted. */
  mutated?: boolean
}

/** An error response in FastAPI's shape: `{"detail": …}` with a status code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof detail === 'string' ? detail : `HTTP ${status}`)
  }
}

export const ok = (body: unknown, mutated = false): ApiResponse => ({ status: 200, body, mutated })

export type Handler<C> = (request: ApiRequest, context: C) => ApiResponse | Promise<ApiResponse>

export interface RouteDefinition<C> {
  method: string
  /** Path template with `{name}` segments. */
  template: string
  handler: Handler<C>
}

export type RouteMatch<C> =
  | { kind: 'found'; route: RouteDefinition<C>; params: Record<string, string> }
  | { kind: 'method-not-allowed'; template: string }
  | { kind: 'not-found' }

/** Matches a path against route templates; a known path with another method is a 405, as in FastAPI. */
export class Router<C> {
  private readonly routes: { route: RouteDefinition<C>; segments: string[] }[] = []

  add(...routes: RouteDefinition<C>[]): this {
    for (const route of routes) this.routes.push({ route, segments: route.template.split('/') })
    return this
  }

  match(method: string, path: string): RouteMatch<C> {
    const parts = path.split('/')
    let pathKnown: string | undefined
    for (const { route, segments } of this.routes) {
      const params = matchSegments(segments, parts)
      if (!params) continue
      if (route.method === method) return { kind: 'found', route, params }
      pathKnown ??= route.template
    }
    return pathKnown ? { kind: 'method-not-allowed', template: pathKnown } : { kind: 'not-found' }
  }
}

function matchSegments(template: string[], parts: string[]): Record<string, string> | undefined {
  if (template.length !== parts.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < template.length; i += 1) {
    const expected = template[i]!
    const actual = parts[i]!
    if (expected.startsWith('{') && expected.endsWith('}')) {
      if (actual === '') return undefined
      try {
        params[expected.slice(1, -1)] = decodeURIComponent(actual)
      } catch {
        return undefined
      }
    } else if (expected !== actual) {
      return undefined
    }
  }
  return params
}
