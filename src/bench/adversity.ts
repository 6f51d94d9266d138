/**
 * `npm run bench:adversity`: the safety promise measured at scale, with the built CLI against a real
 * sandbox (or a hostile server) on loopback. For each scenario: exit codes, wall time, peak memory,
 * and what the platform holds afterwards (copies of each campaign).
 *
 *   npm run bench:adversity -- --campaigns 300 --latency 50 --runs 3
 *
 * - concurrent: several checkouts (no shared lock) apply the same N campaigns + N batches at once;
 * - same project: two applies at once in one checkout (the project lock serialises them);
 * - gateway: every campaign create answered 504 while the platform commits it 1.5 s later;
 * - faults: 100 campaigns + 100 batches under 20% injected faults (429, 500, 503, resets, dropped
 *   answers to committed writes), with the production retry policy, applied until it converges;
 * - hostile: an endless list answer, a trickling one (with --timeout 5), total_pages 1e9.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

import { startSandbox, type RunningSandbox } from '../sandbox/index.js'

const CLI = fileURLToPath(new URL('../bin/cac.js', import.meta.url))

const { values } = parseArgs({
  options: {
    campaigns: { type: 'string', default: '300' },
    latency: { type: 'string', default: '50' },
    runs: { type: 'string', default: '3' },
  },
})
const N = Number(values.campaigns)
const LATENCY = Number(values.latency)
const RUNS = Number(values.runs)

const CAC_YAML = `definitions: campaigns
providers:
  syllable:
    type: syllable
    url: \${env:SYLLABLE_API_URL}
    api_key: \${env:SYLLABLE_API_KEY}
    actor: bench@example.com
`

interface Run {
  code: number | null
  wallMs: number
  peakRssMb: number
  stderr: string
}

async function project(root: string, name: string, count: number): Promise<string> {
  const dir = join(root, name)
  await mkdir(join(dir, 'campaigns'), { recursive: true })
  await writeFile(join(dir, 'cac.yaml'), CAC_YAML)
  const docs: string[] = []
  for (let i = 0; i < count; i += 1) {
    const n = String(i).padStart(4, '0')
    docs.push(
      `kind: SyllableCampaign\nprovider: syllable\nspec:\n  campaign_name: "Bench ${n}"\n  caller_id: "+1999555${n}"\n  campaign_variables: {}\n  active_days: [mon]\n  hourly_rate: ${(i % 100) + 1}\n`,
      `kind: SyllableBatch\nprovider: syllable\nspec:\n  batch_id: "bench-${n}"\n  campaign: "Bench ${n}"\n  call_rate: 5\n`,
    )
  }
  await writeFile(join(dir, 'campaigns', 'bench.yaml'), docs.join('---\n'))
  return dir
}

/** Runs the CLI, sampling its resident memory every 25 ms (Linux /proc). */
function cac(cwd: string, args: string[], url: string): Promise<Run> {
  return new Promise((resolve) => {
    const started = performance.now()
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', CI: 'true', NO_COLOR: '1', SYLLABLE_API_URL: url, SYLLABLE_API_KEY: 'sk-bench-key-000000' },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    let peakKb = 0
    const sampler = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
        const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0)
        peakKb = Math.max(peakKb, kb)
      } catch {
        // Gone already.
      }
    }, 25)
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    child.on('close', (code) => {
      clearInterval(sampler)
      resolve({ code, wallMs: performance.now() - started, peakRssMb: Math.round(peakKb / 1024), stderr })
    })
  })
}

/** Copies per campaign name, batches not under a campaign of their name, and what was removed. */
function census(sandbox: RunningSandbox): { campaigns: number; duplicated: number; batches: number; misplaced: number } {
  const { campaigns, batches } = sandbox.store.state.syllable
  const byName = new Map<string, number>()
  for (const campaign of Object.values(campaigns)) byName.set(campaign.campaign_name, (byName.get(campaign.campaign_name) ?? 0) + 1)
  const live = Object.values(batches).filter((batch) => batch.deleted_at === null)
  const misplaced = live.filter((batch) => campaigns[String(batch.campaign_id)]?.campaign_name !== `Bench ${batch.batch_id.slice(6)}`).length
  return { campaigns: byName.size, duplicated: [...byName.values()].filter((count) => count > 1).length, batches: live.length, misplaced }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

async function concurrent(root: string): Promise<void> {
  const sandbox = await startSandbox({ faults: { latency_ms: LATENCY } })
  try {
    const dirs = await Promise.all(Array.from({ length: RUNS }, (_, i) => project(root, `checkout-${i}`, N)))
    const runs = await Promise.all(dirs.map((dir) => cac(dir, ['apply', '--auto-approve'], sandbox.url)))
    const deletes = sandbox.counters.snapshot().routes['DELETE /api/v1/outbound/campaigns/{campaign_id}']?.count ?? 0
    const after = census(sandbox)
    log(`concurrent: ${RUNS} checkouts × ${N} campaigns + ${N} batches, ${LATENCY} ms latency`)
    log(`  exits ${runs.map((run) => run.code).join(', ')}; walls ${runs.map((run) => seconds(run.wallMs)).join(', ')}; peak ${Math.max(...runs.map((run) => run.peakRssMb))} MB`)
    log(`  left: ${after.campaigns} campaign names, ${after.duplicated} with more than one copy; ${after.batches} batches, ${after.misplaced} misplaced; ${deletes} second copies removed`)
  } finally {
    await sandbox.close()
  }
}

async function sameProject(root: string): Promise<void> {
  const sandbox = await startSandbox({ faults: { latency_ms: LATENCY } })
  try {
    const dir = await project(root, 'one-checkout', N)
    const runs = await Promise.all([0, 1].map(() => cac(dir, ['apply', '--auto-approve'], sandbox.url)))
    const after = census(sandbox)
    const waited = runs.filter((run) => run.stderr.includes('waiting')).length
    log(`same project: 2 applies at once in one checkout, ${N} + ${N}, ${LATENCY} ms latency`)
    log(`  exits ${runs.map((run) => run.code).join(', ')}; walls ${runs.map((run) => seconds(run.wallMs)).join(', ')}; ${waited} waited for the lock`)
    log(`  left: ${after.campaigns} campaign names, ${after.duplicated} duplicated; ${after.batches} batches`)
  } finally {
    await sandbox.close()
  }
}

async function gateway(root: string): Promise<void> {
  const count = Math.min(N, 100)
  const sandbox = await startSandbox({
    faults: { latency_ms: LATENCY, rate_late_commit: 1, late_commit_ms: 1500, methods: ['POST'], routes: ['POST /api/v1/outbound/campaigns'] },
  })
  try {
    const dir = await project(root, 'gateway', count)
    const run = await cac(dir, ['apply', '--auto-approve'], sandbox.url)
    const posts = sandbox.counters.snapshot().routes['POST /api/v1/outbound/campaigns']?.count ?? 0
    const after = census(sandbox)
    log(`gateway: every campaign create answered 504, committed 1.5 s later; ${count} + ${count}, ${LATENCY} ms latency`)
    log(`  exit ${run.code}; wall ${seconds(run.wallMs)}; ${posts} campaign POSTs; ${after.campaigns} names, ${after.duplicated} duplicated; ${after.batches} batches`)
  } finally {
    await sandbox.close()
  }
}

/** The suite's 200-change fault scenario at production backoff: runs to converge, wall time, duplicates. */
async function faults(root: string): Promise<void> {
  const count = Math.min(N, 100)
  const sandbox = await startSandbox({
    faults: { latency_ms: LATENCY, rate_429: 0.05, rate_500: 0.05, rate_503: 0.03, rate_reset: 0.03, rate_drop: 0.04, seed: 7, retry_after_seconds: 0 },
  })
  try {
    const dir = await project(root, 'faults', count)
    const runs: Run[] = []
    while (runs.length < 6 && runs.at(-1)?.code !== 0) runs.push(await cac(dir, ['apply', '--auto-approve'], sandbox.url))
    const outcomes = Object.values(sandbox.counters.snapshot().routes).flatMap((route) => Object.entries(route.outcomes))
    const injected = outcomes.filter(([outcome]) => ['429', '500', '503', 'reset', 'dropped'].includes(outcome)).reduce((sum, [, n]) => sum + n, 0)
    sandbox.faults.clear()
    const check = await cac(dir, ['plan', '--detailed-exitcode'], sandbox.url)
    const after = census(sandbox)
    log(`faults: ${count} + ${count} under 20% injected faults, production retry policy, ${LATENCY} ms latency`)
    log(`  ${runs.length} applies to converge (exits ${runs.map((run) => run.code).join(', ')}); walls ${runs.map((run) => seconds(run.wallMs)).join(', ')}; ${injected} faults injected`)
    log(`  then plan --detailed-exitcode exit ${check.code}; left: ${after.campaigns} names, ${after.duplicated} duplicated; ${after.batches} batches, ${after.misplaced} misplaced`)
  } finally {
    await sandbox.close()
  }
}

/** A server whose campaign list answers as `answer` says; counts the requests that could write. */
async function hostile(name: string, answer: (page: number, res: ServerResponse) => void, args: string[], root: string): Promise<void> {
  let requests = 0
  let writes = 0
  const server = createServer((req, res) => {
    requests += 1
    if (req.method !== 'GET') writes += 1
    res.on('error', () => undefined)
    answer(Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? 0), res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const dir = await project(root, `hostile-${requests}-${Date.now()}`, 5)
    const run = await cac(dir, ['apply', '--auto-approve', ...args], `http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    log(`hostile: ${name}`)
    log(`  exit ${run.code}; wall ${seconds(run.wallMs)}; peak ${run.peakRssMb} MB; ${requests} requests, ${writes} writes`)
    log(`  ${run.stderr.trim().split('\n')[0]}`)
  } finally {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'cac-adversity-'))
  try {
    await concurrent(root)
    await sameProject(root)
    await gateway(root)
    await faults(root)
    const chunk = Buffer.alloc(1 << 20, ' ')
    await hostile('an endless list answer (default 64 MiB cap)', (_page, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"items": [')
      const pump = () => {
        while (res.write(chunk));
        res.once('drain', pump)
      }
      pump()
    }, [], root)
    await hostile('a list answer that trickles a byte every 2 s (--timeout 5)', (_page, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      const timer = setInterval(() => res.write(' '), 2000)
      res.on('close', () => clearInterval(timer))
    }, ['--timeout', '5'], root)
    await hostile('total_pages 1e9 on every page', (page, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ items: [], page, page_size: 1000, total_pages: 1e9, total_count: 1e12 }))
    }, [], root)
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}

function log(line: string): void {
  process.stdout.write(`${line}\n`)
}

await main()
