import { afterAll, beforeAll } from 'vitest'

import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox/index.js'

export interface SandboxReply {
  status: number
  headers: Headers
  /** Parsed JSON (undefined for an empty body). */
  body: unknown
  text: string
}

export interface RequestOptions {
  /** JSON body (sent with content-type application/json). */
  json?: unknown
  /** Form body (application/x-www-form-urlencoded). */
  form?: Record<string, string>
  /** Raw body with its own content-type header. */
  raw?: string
  headers?: Record<string, string>
  /** Query parameters; arrays become repeated keys. */
  query?: Record<string, string | number | boolean | (string | number)[]>
  /** Send no API key header (default: the platform's header with `tester@example.com`). */
  anonymous?: boolean
}

export const SYLLABLE_KEY_HEADER = 'Syllable-API-Key'
export const SARVAM_KEY_HEADER = 'X-API-Key'

/** A client of a running sandbox: `request('GET', '/api/v1/outbound/campaigns', {query: {limit: 5}})`. */
export function sandboxClient(baseUrl: () => string) {
  return async function request(method: string, path: string, options: RequestOptions = {}): Promise<SandboxReply> {
    const url = new URL(path, baseUrl())
    for (const [key, value] of Object.entries(options.query ?? {})) {
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item))
    }
    const headers: Record<string, string> = {}
    if (!options.anonymous) {
      if (path.startsWith('/api/v1/outbound')) headers[SYLLABLE_KEY_HEADER] = 'tester@example.com'
      if (path.startsWith('/api/scheduling')) headers[SARVAM_KEY_HEADER] = 'tester@example.com'
    }
    let body: string | undefined
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(options.json)
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      body = new URLSearchParams(options.form).toString()
    } else if (options.raw !== undefined) {
      body = options.raw
    }
    Object.assign(headers, options.headers ?? {})
    const response = await fetch(url, { method, headers, body })
    const text = await response.text()
    return { status: response.status, headers: response.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown), text }
  }
}

/**
 * Starts one in-process sandbox on an ephemeral loopback port for a describe block, and closes it
 * after. `sandbox()` returns the running instance (store, clock, faults, counters).
 */
export function useSandbox(options: SandboxOptions = {}) {
  let running: RunningSandbox | undefined
  beforeAll(async () => {
    running = await startSandbox(options)
  })
  afterAll(async () => {
    await running?.close()
  })
  const sandbox = (): RunningSandbox => {
    if (!running) throw new Error('the sandbox is not running (use useSandbox() inside a describe block)')
    return running
  }
  return { sandbox, request: sandboxClient(() => sandbox().url) }
}
