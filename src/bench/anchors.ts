/**
 * The two anchors `npm run bench` holds `cac plan` against, each run as its own process like cac:
 *
 * - `lower-bound DIR URL KEY`: the least any tool must do to plan the bench project: read every
 *   definition file, parse it with js-yaml, read both Syllable lists page by page (the same page
 *   size and 8 connections as cac) and JSON.parse each page. Nothing else: no validation, no
 *   normalising, no diff, no output.
 * - `lower-bound-sequential DIR URL KEY`: the same, with the files read before the first request,
 *   as cac must (it validates every file before it sends anything): the floor under that guarantee.
 * - `refresh DIR URL KEY IDS_FILE`: how a tool that refreshes resource by resource would read the
 *   same live state (as Terraform does): read and parse the files, then one GET per resource by
 *   its id (known from the tool's own state, here IDS_FILE), 10 at a time.
 *
 * - `sandbox-cost URL KEY`: what the sandbox itself adds to a request, with its latency set to 0:
 *   the median round trip of one campaign's GET and of its PUT (the same values back) on one
 *   connection, one request at a time, and of the first and the last list page of 1,000 (a page
 *   that costs the same wherever it is in the collection, at any collection size, is a slice, not a
 *   scan); and, as the floor under those, the round trip to a bare node:http server (in the
 *   measuring process) that answers `{}` at once. Printed as JSON on stdout, in milliseconds.
 *
 * - `apply-floor URL KEY COUNT PARALLELISM`: the least an apply of COUNT campaign updates costs over
 *   the HTTP stack cac uses (undici's Pool): COUNT campaigns of the list, each PUT back with its own
 *   values, PARALLELISM at a time on as many connections, with nothing else done per request. The
 *   wall time of the PUTs alone is printed as JSON on stdout, in milliseconds.
 *
 * - `bare-floor LATENCY COUNT PARALLELISM`: the least COUNT PUTs cost on this machine at all: the
 *   same PUTs (a campaign's size) over undici's Pool to a server that does nothing but wait out the
 *   latency the way the sandbox does (`bare-server LATENCY`, started as a process of its own), so
 *   what is left over the ideal is Node's timers, HTTP stack and loopback, not the sandbox or cac.
 *   The wall time of the PUTs is printed as JSON on stdout, in milliseconds.
 *
 * The bench runs the lower bounds and the refresh through measured-anchors.ts, which reports their
 * wall time (from before this module and the packages it uses are loaded) and peak memory, as
 * measured-cli.ts does for cac.
 */
import { readdir, readFile } from 'node:fs/promises'
import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { loadAll } from 'js-yaml'
import { Pool } from '../http/undici-pool.js'

const CAMPAIGNS = '/api/v1/outbound/campaigns'
const BATCHES = '/api/v1/outbound/batches'
const PAGE_SIZE = 1000
const LIST_CONNECTIONS = 8
const REFRESH_CONCURRENCY = 10

/** Every definition file of the project, read and parsed (no checks). */
async function readDefinitions(dir: string): Promise<number> {
  const folder = join(dir, 'campaigns')
  const files = (await readdir(folder)).filter((name) => name.endsWith('.yaml'))
  let documents = 0
  await Promise.all(
    files.map(async (name) => {
      const text = await readFile(join(folder, name), 'utf8')
      documents += loadAll(text).length
    }),
  )
  return documents
}

async function getJson(pool: Pool, path: string, key: string): Promise<unknown> {
  return sendJson(pool, 'GET', path, key)
}

async function sendJson(pool: Pool, method: 'GET' | 'PUT', path: string, key: string, body?: unknown): Promise<unknown> {
  const headers: Record<string, string> = { 'Syllable-API-Key': key, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }
  const response = await pool.request({ method, path, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
  const text = await response.body.text()
  if (response.statusCode !== 200) throw new Error(`${method} ${path}: ${response.statusCode} ${text.slice(0, 200)}`)
  return JSON.parse(text)
}

/** Runs `work` over `items`, `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!)
    }),
  )
}

async function readList(pool: Pool, path: string, key: string): Promise<number> {
  const first = (await getJson(pool, `${path}?page=0&limit=${PAGE_SIZE}`, key)) as { items: unknown[]; total_count?: number | null }
  const pages = Math.ceil((first.total_count ?? first.items.length) / PAGE_SIZE)
  let items = first.items.length
  const rest = Array.from({ length: Math.max(0, pages - 1) }, (_, i) => i + 1)
  await eachLimited(rest, LIST_CONNECTIONS, async (page) => {
    const body = (await getJson(pool, `${path}?page=${page}&limit=${PAGE_SIZE}`, key)) as { items: unknown[] }
    items += body.items.length
  })
  return items
}

/** With `sequential`, the files are read before any list (as cac must: it validates them all before its first request). */
async function lowerBound(dir: string, url: string, key: string, sequential: boolean): Promise<void> {
  const pool = new Pool(url, { connections: LIST_CONNECTIONS })
  const read = sequential ? await readDefinitions(dir) : undefined
  const [documents, campaigns, batches] = await Promise.all([read ?? readDefinitions(dir), readList(pool, CAMPAIGNS, key), readList(pool, BATCHES, key)])
  await pool.close()
  process.stdout.write(`${JSON.stringify({ documents, campaigns, batches })}\n`)
}

async function refresh(dir: string, url: string, key: string, idsFile: string): Promise<void> {
  const documents = await readDefinitions(dir)
  const ids = JSON.parse(await readFile(idsFile, 'utf8')) as { campaigns: (string | number)[]; batches: string[] }
  const paths = [...ids.campaigns.map((id) => `${CAMPAIGNS}/${id}`), ...ids.batches.map((id) => `${BATCHES}/${encodeURIComponent(id)}`)]
  const pool = new Pool(url, { connections: REFRESH_CONCURRENCY })
  await eachLimited(paths, REFRESH_CONCURRENCY, async (path) => void (await getJson(pool, path, key)))
  await pool.close()
  process.stdout.write(`${JSON.stringify({ documents, requests: paths.length })}\n`)
}

/** Fields of a campaign the server owns: left out of the PUT that sends the campaign back. */
const SERVER_OWNED = ['id', 'agent_id', 'created_at', 'updated_at', 'last_updated_by', 'webhooks']

/** The body of a PUT that sends a campaign's own values back. */
function sameValuesBack(campaign: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(campaign).filter(([name, value]) => value !== null && !SERVER_OWNED.includes(name)))
}

async function applyFloor(url: string, key: string, count: number, parallelism: number): Promise<void> {
  const pool = new Pool(url, { connections: parallelism })
  const campaigns: Record<string, unknown>[] = []
  for (let page = 0; campaigns.length < count; page += 1) {
    const body = (await getJson(pool, `${CAMPAIGNS}?page=${page}&limit=${PAGE_SIZE}`, key)) as { items: Record<string, unknown>[] }
    if (body.items.length === 0) break
    campaigns.push(...body.items)
  }
  const updates = campaigns.slice(0, count)
  if (updates.length < count) throw new Error(`apply-floor needs ${count} campaigns, the sandbox holds ${updates.length}`)
  const started = performance.now()
  await eachLimited(updates, parallelism, async (campaign) => void (await sendJson(pool, 'PUT', `${CAMPAIGNS}/${String(campaign.id)}`, key, sameValuesBack(campaign))))
  const putMs = performance.now() - started
  await pool.close()
  process.stdout.write(`${JSON.stringify({ put_ms: putMs, requests: updates.length })}\n`)
}

/**
 * A server that reads each request's body and answers `{}`, no sooner than `latencyMs` after the
 * request arrived, timed as the sandbox times its latency (src/sandbox/server.ts). Prints its URL.
 */
async function bareServer(latencyMs: number): Promise<void> {
  const server = createServer((request, response) => {
    const started = Date.now()
    request.resume()
    request.on('end', () => {
      const answer = () => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' })
        response.end('{}')
      }
      const wait = started + latencyMs - Date.now()
      if (wait > 0) setTimeout(answer, wait)
      else answer()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`)
}

/** A campaign as the apply sends it back (the size of a bench campaign's PUT body). */
const CAMPAIGN_BODY = {
  campaign_name: 'Bench Campaign 1234',
  caller_id: '+19995551234',
  campaign_variables: { region: 'us-east', cohort: '70' },
  active_days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  daily_start_time: '09:00:00',
  daily_end_time: '17:00:00',
  hourly_rate: 27,
  retry_count: 1,
  retry_interval: '30m',
  include_unknown_line_types: true,
  labels: [],
  webhooks: [],
}

async function bareFloor(latencyMs: number, count: number, parallelism: number): Promise<void> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'bare-server', String(latencyMs)], { stdio: ['ignore', 'pipe', 'inherit'] })
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = ''
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8')
        if (out.includes('\n')) resolve(out.trim())
      })
      child.once('exit', (code) => reject(new Error(`bare-server exited ${String(code)}`)))
    })
    const pool = new Pool(url, { connections: parallelism })
    const put = async () => void (await sendJson(pool, 'PUT', `${CAMPAIGNS}/1234`, 'bench', CAMPAIGN_BODY))
    await eachLimited(Array.from({ length: 100 }), parallelism, put) // warm both sides up
    const started = performance.now()
    await eachLimited(Array.from({ length: count }), parallelism, put)
    const putMs = performance.now() - started
    await pool.close()
    process.stdout.write(`${JSON.stringify({ put_ms: putMs, requests: count })}\n`)
  } finally {
    child.kill('SIGTERM')
  }
}

/** Median time (ms) of `runs` calls of `request`, one after the other. */
async function medianMs(runs: number, request: () => Promise<unknown>): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now()
    await request()
    times.push(performance.now() - started)
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!
}

/** The least a round trip costs on this machine: a node:http server that answers `{}` at once, on loopback. */
async function instantServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' })
    response.end('{}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

async function sandboxCost(url: string, key: string): Promise<void> {
  const pool = new Pool(url, { connections: 1 })
  const first = (await getJson(pool, `${CAMPAIGNS}?page=0&limit=${PAGE_SIZE}`, key)) as { items: Record<string, unknown>[]; total_count: number }
  const campaign = first.items[0]
  if (campaign === undefined) throw new Error('sandbox-cost needs at least one campaign')
  const path = `${CAMPAIGNS}/${String(campaign.id)}`
  const body = sameValuesBack(campaign)
  await medianMs(200, () => getJson(pool, path, key)) // warm both sides up
  await medianMs(100, () => sendJson(pool, 'PUT', path, key, body))
  const lastPage = Math.max(0, Math.ceil(first.total_count / PAGE_SIZE) - 1)
  const bare = await instantServer()
  const barePool = new Pool(bare.url, { connections: 1 })
  await medianMs(200, () => getJson(barePool, '/', key))
  const figures = {
    bare_get_ms: await medianMs(1000, () => getJson(barePool, '/', key)),
    get_ms: await medianMs(1000, () => getJson(pool, path, key)),
    put_ms: await medianMs(500, () => sendJson(pool, 'PUT', path, key, body)),
    first_page_ms: await medianMs(15, () => getJson(pool, `${CAMPAIGNS}?page=0&limit=${PAGE_SIZE}`, key)),
    last_page_ms: await medianMs(15, () => getJson(pool, `${CAMPAIGNS}?page=${lastPage}&limit=${PAGE_SIZE}`, key)),
    campaigns: first.total_count,
  }
  await Promise.all([pool.close(), barePool.close()])
  bare.server.close()
  process.stdout.write(`${JSON.stringify(figures)}\n`)
}

const USAGE =
  'usage: anchors lower-bound|lower-bound-sequential DIR URL KEY | refresh DIR URL KEY IDS_FILE | sandbox-cost URL KEY | apply-floor URL KEY COUNT PARALLELISM | bare-floor LATENCY COUNT PARALLELISM | bare-server LATENCY'
const [mode, ...args] = process.argv.slice(2)
const given = (count: number): string[] => {
  if (args.length !== count || args.some((arg) => arg === '')) throw new Error(USAGE)
  return args
}
const wholeNumber = (text: string): number => {
  if (!/^[1-9]\d*$/.test(text)) throw new Error(USAGE)
  return Number(text)
}
if (mode === 'lower-bound' || mode === 'lower-bound-sequential') {
  const [dir, url, key] = given(3)
  await lowerBound(dir!, url!, key!, mode === 'lower-bound-sequential')
} else if (mode === 'refresh') {
  const [dir, url, key, idsFile] = given(4)
  await refresh(dir!, url!, key!, idsFile!)
} else if (mode === 'sandbox-cost') {
  const [url, key] = given(2)
  await sandboxCost(url!, key!)
} else if (mode === 'apply-floor') {
  const [url, key, count, parallelism] = given(4)
  await applyFloor(url!, key!, wholeNumber(count!), wholeNumber(parallelism!))
} else if (mode === 'bare-floor') {
  const [latency, count, parallelism] = given(3)
  await bareFloor(wholeNumber(latency!), wholeNumber(count!), wholeNumber(parallelism!))
} else if (mode === 'bare-server') {
  const [latency] = given(1)
  await bareServer(wholeNumber(latency!))
} else {
  throw new Error(USAGE)
}
