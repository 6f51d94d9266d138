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
 * At exit each writes its wall time and peak memory to CAC_BENCH_REPORT, as measured-cli does for cac.
 */
import { readdir, readFile } from 'node:fs/promises'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { loadAll } from 'js-yaml'
import { Pool } from '../http/undici-pool.js'

const started = performance.now()
const reportFile = process.env.CAC_BENCH_REPORT
if (reportFile) {
  process.on('exit', () => writeFileSync(reportFile, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, wallMs: performance.now() - started })))
}

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
  const response = await pool.request({ method: 'GET', path, headers: { 'Syllable-API-Key': key } })
  const text = await response.body.text()
  if (response.statusCode !== 200) throw new Error(`GET ${path}: ${response.statusCode} ${text.slice(0, 200)}`)
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

const [mode, dir, url, key, idsFile] = process.argv.slice(2)
if ((mode === 'lower-bound' || mode === 'lower-bound-sequential') && dir && url && key) await lowerBound(dir, url, key, mode === 'lower-bound-sequential')
else if (mode === 'refresh' && dir && url && key && idsFile) await refresh(dir, url, key, idsFile)
else throw new Error('usage: anchors lower-bound|lower-bound-sequential DIR URL KEY | refresh DIR URL KEY IDS_FILE')
