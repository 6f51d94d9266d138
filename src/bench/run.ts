/**
 * `npm run bench`: measures validate, plan and apply on a generated project of N Syllable campaigns
 * and N batches, against a sandbox running in a separate process with a configurable latency.
 * Reports wall time, requests by route and peak memory per step, and the targets they are held to.
 *
 * In the same run it measures the anchors plan is held to (src/bench/anchors.ts): the lower bound
 * of planning (read and parse the files, read the lists, JSON.parse) and a per-resource refresh
 * against the same sandbox process; the apply's PUTs sent by undici alone (the floor of the HTTP
 * stack under the apply); the startup of `cac --version` and of `cac validate` of the
 * repository's examples; and the seed (every create) against a sandbox in memory and one that
 * persists to a state file. `--json FILE` writes every figure (seconds unless named).
 *
 *   npm run bench -- --campaigns 10000 --latency 20 --updates 1000 --parallelism 16 --json bench.json
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

import { Pool } from '../http/undici-pool.js'

const CLI = fileURLToPath(new URL('../bin/cac.js', import.meta.url))
const MEASURED_CLI = fileURLToPath(new URL('./measured-cli.js', import.meta.url))
const ANCHORS = fileURLToPath(new URL('./anchors.js', import.meta.url))
/** The anchors as a measured process (its clock started before the anchor is loaded, as cac's). */
const MEASURED_ANCHORS = fileURLToPath(new URL('./measured-anchors.js', import.meta.url))
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BENCH_KEY = 'bench@example.com'
const PER_FILE = 50

interface Options {
  campaigns: number
  latency: number
  updates: number
  applyLatency: number
  parallelism: number
  /** Read-only steps (validate, plan) are run this many times; the median is reported. */
  runs: number
  keep: boolean
  /** Seed, validate, the lower bounds and plan only (for large scales, where the refresh baseline would take hours). */
  planOnly: boolean
  json?: string
}

interface StepResult {
  step: string
  wallMs: number
  maxRssMb: number
  exitCode: number | null
  requests: Record<string, number>
  note?: string
  /** Walls of every run, for read-only steps run several times. */
  walls?: number[]
  /** apply's own execution time (its JSON `timing.execute_ms`). */
  executeMs?: number
}

const USAGE = `npm run bench -- [options]

Generates a project of N Syllable campaigns and N batches, serves it from a sandbox process, and
measures cac against its lower bound and a per-resource refresh (see the README, "Performance").

  --campaigns N        campaigns, and as many batches (default 10000)
  --latency MS         sandbox latency for the reads (default 20)
  --updates N          updates the apply step makes (default 1000)
  --apply-latency MS   sandbox latency for the apply (default 20)
  --parallelism N      apply parallelism (default 16)
  --runs N             runs of each read-only step; the median is reported (default 3)
  --plan-only          seed, validate, lower bounds and plan only (for large scales)
  --json FILE          write every figure to FILE
  --keep               keep the generated project
  --help               this text
`

/** The options, or the usage on stderr and exit 1 for anything not understood (exit 0 for --help). */
function readOptions(): Options {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      options: {
        campaigns: { type: 'string', default: '10000' },
        latency: { type: 'string', default: '20' },
        updates: { type: 'string', default: '1000' },
        'apply-latency': { type: 'string', default: '20' },
        parallelism: { type: 'string', default: '16' },
        runs: { type: 'string', default: '3' },
        keep: { type: 'boolean', default: false },
        'plan-only': { type: 'boolean', default: false },
        json: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }).values
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`)
    process.exit(1)
  }
  if (values.help === true) {
    process.stdout.write(USAGE)
    process.exit(0)
  }
  const count = (name: string, min: number): number => {
    const value = Number(values[name])
    if (!Number.isInteger(value) || value < min) {
      process.stderr.write(`--${name} must be a whole number of at least ${min}, not ${JSON.stringify(values[name])}\n\n${USAGE}`)
      process.exit(1)
    }
    return value
  }
  return {
    campaigns: count('campaigns', 1),
    latency: count('latency', 0),
    updates: count('updates', 0),
    applyLatency: count('apply-latency', 0),
    parallelism: count('parallelism', 1),
    runs: count('runs', 1),
    keep: values.keep === true,
    planOnly: values['plan-only'] === true,
    ...(typeof values.json === 'string' ? { json: values.json } : {}),
  }
}

const options = readOptions()

/** The figures `--json FILE` writes: seconds unless the name says otherwise. */
interface BenchFigures {
  campaigns: number
  latency_ms: number
  plan_noop_s: number
  plan_changed_s: number
  lower_bound_s: number
  /** The lower bound with the files read before the first request (cac validates them all first). */
  lower_bound_sequential_s: number
  refresh_baseline_s: number
  plan_peak_rss_mb: number
  validate_s: number
  validate_peak_rss_mb: number
  apply_execute_s: number
  apply_ideal_s: number
  /** The same PUTs over undici alone (anchors.ts apply-floor): what the HTTP stack costs without cac. */
  apply_floor_s: number
  /** The same number of PUTs to a server that does nothing but wait out the latency (anchors.ts bare-floor): the machine's own floor. */
  apply_bare_floor_s: number
  seed_memory_s: number
  seed_state_file_s: number
  startup_version_s: number
  startup_validate_examples_s: number
  /** Round trip to a bare node:http server on this machine (ms): the floor under the sandbox's figures. */
  sandbox_bare_ms: number
  /** Median round trips (ms) to the sandbox in memory at latency 0, one request at a time: a campaign's GET and PUT, the first and last list page of 1,000. */
  sandbox_get_ms: number
  sandbox_put_ms: number
  sandbox_first_page_ms: number
  sandbox_last_page_ms: number
  /** The same GET and PUT against the sandbox that persists to a state file (ms). */
  sandbox_state_file_get_ms: number
  sandbox_state_file_put_ms: number
}

interface SandboxCost {
  bare_get_ms: number
  get_ms: number
  put_ms: number
  first_page_ms: number
  last_page_ms: number
}

/** Runs an anchor that prints its figures as one JSON line (anchors.ts), in a process of its own. */
async function anchorFigures<T>(mode: string, ...args: string[]): Promise<T> {
  const { code, stdout } = await run(process.execPath, [ANCHORS, mode, ...args], { cwd: REPO_ROOT, env: process.env })
  if (code !== 0) throw new Error(`${mode} exited ${String(code)}`)
  return JSON.parse(stdout) as T
}

/** What the sandbox adds to a request (anchors.ts sandbox-cost), measured from its own process. */
async function measureSandboxCost(url: string): Promise<SandboxCost> {
  const cost = await anchorFigures<SandboxCost>('sandbox-cost', url, BENCH_KEY)
  const ms = (value: number) => `${value.toFixed(2)} ms`
  log(`sandbox at latency 0, one request at a time: GET ${ms(cost.get_ms)}, PUT ${ms(cost.put_ms)}, list page of 1,000 first ${ms(cost.first_page_ms)} / last ${ms(cost.last_page_ms)} (bare node:http round trip ${ms(cost.bare_get_ms)})`)
  return cost
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'cac-bench-'))
  const sandbox = await serveSandbox(dir, ['--memory'])
  const env = { ...process.env, SYLLABLE_API_URL: sandbox.url, SYLLABLE_API_KEY: BENCH_KEY, NO_COLOR: '1', CI: 'true' }
  const results: StepResult[] = []
  const figures: Partial<BenchFigures> = { campaigns: options.campaigns, latency_ms: options.latency }
  try {
    await writeProject(dir, options.campaigns, () => 25, () => 20)
    log(`project: ${options.campaigns} campaigns + ${options.campaigns} batches in ${Math.ceil(options.campaigns / PER_FILE)} files (${dir})`)

    if (!options.planOnly) {
      figures.startup_version_s = (await startup('startup: cac --version', REPO_ROOT, ['--version'])) / 1000
      figures.startup_validate_examples_s = (await startup("startup: cac validate of the repository's examples", REPO_ROOT, ['validate'])) / 1000
    }

    await control(sandbox.url, 'PATCH', '/__sandbox/faults', { latency_ms: 0 })
    if (options.planOnly) {
      // At large scales the seed is sent straight to the API: every create of `cac apply` is followed
      // by a search by name, which a substring search makes quadratic in the number of campaigns.
      log(`seed: ${options.campaigns} campaigns + ${options.campaigns} batches POSTed directly in ${((await seedDirectly(sandbox.url, options.campaigns)) / 1000).toFixed(1)} s`)
    } else {
      const seed = await step('seed: apply of every create, sandbox in memory (latency 0 ms, parallelism 64)', dir, env, sandbox.url, ['apply', '--auto-approve', '--parallelism', '64'])
      results.push(seed)
      figures.seed_memory_s = seed.wallMs / 1000
    }
    const cost = await measureSandboxCost(sandbox.url)
    Object.assign(figures, {
      sandbox_bare_ms: cost.bare_get_ms,
      sandbox_get_ms: cost.get_ms,
      sandbox_put_ms: cost.put_ms,
      sandbox_first_page_ms: cost.first_page_ms,
      sandbox_last_page_ms: cost.last_page_ms,
    })
    if (!options.planOnly) figures.seed_state_file_s = (await seedIntoStateFile(dir, env, results, figures)) / 1000

    const validate = await repeated('validate', dir, env, sandbox.url, ['validate'])
    results.push(validate)
    figures.validate_s = validate.wallMs / 1000
    figures.validate_peak_rss_mb = validate.maxRssMb

    await control(sandbox.url, 'PATCH', '/__sandbox/faults', { latency_ms: options.latency })
    const lowerBound = await repeated(`lower bound: read + js-yaml the files, the list GETs, JSON.parse (latency ${options.latency} ms)`, dir, env, sandbox.url, ['lower-bound', dir, sandbox.url, BENCH_KEY], MEASURED_ANCHORS)
    results.push(lowerBound)
    figures.lower_bound_s = lowerBound.wallMs / 1000
    const sequential = await repeated(`lower bound, files before lists (latency ${options.latency} ms)`, dir, env, sandbox.url, ['lower-bound-sequential', dir, sandbox.url, BENCH_KEY], MEASURED_ANCHORS)
    results.push(sequential)
    figures.lower_bound_sequential_s = sequential.wallMs / 1000
    const plan = await repeated(`plan, nothing to change (latency ${options.latency} ms)`, dir, env, sandbox.url, ['plan', '--detailed-exitcode'])
    results.push(plan)
    figures.plan_noop_s = plan.wallMs / 1000
    figures.plan_peak_rss_mb = plan.maxRssMb
    if (!options.planOnly) await measureTheRest(dir, env, sandbox.url, results, figures)
  } finally {
    sandbox.process.kill('SIGTERM')
    if (!options.keep) await rm(dir, { recursive: true, force: true })
  }
  printReport(results, figures)
  if (options.json !== undefined) await writeFile(options.json, `${JSON.stringify(figures, null, 2)}\n`)
}

/** The refresh baseline, the plan with changes and the apply (skipped by --plan-only). */
async function measureTheRest(dir: string, env: NodeJS.ProcessEnv, url: string, results: StepResult[], figures: Partial<BenchFigures>): Promise<void> {
  const idsFile = join(dir, '.bench-ids.json')
  await writeFile(idsFile, JSON.stringify(await liveIds(url)))
  const refresh = await step(`per-resource refresh baseline: one GET each, 10 at a time (latency ${options.latency} ms)`, dir, env, url, ['refresh', dir, url, BENCH_KEY, idsFile], false, MEASURED_ANCHORS)
  results.push(refresh)
  figures.refresh_baseline_s = refresh.wallMs / 1000

  const changed = Math.round(options.campaigns / 10)
  await writeProject(dir, options.campaigns, (i) => (i < changed ? 26 : 25), (i) => (i < changed ? 21 : 20))
  const planChanged = await repeated(`plan, 10% changed (${changed} campaigns + ${changed} batches; latency ${options.latency} ms)`, dir, env, url, ['plan', '--detailed-exitcode'])
  results.push(planChanged)
  figures.plan_changed_s = planChanged.wallMs / 1000

  await writeProject(dir, options.campaigns, (i) => (i < options.updates ? 27 : 25), () => 20)
  await control(url, 'PATCH', '/__sandbox/faults', { latency_ms: 0 })
  // Bring the batches back to the files first, so the measured apply is exactly N campaign updates.
  await step('(reset batches)', dir, env, url, ['apply', '--auto-approve', '--target', 'syllable/batch/*', '--parallelism', '64'])
  await control(url, 'PATCH', '/__sandbox/faults', { latency_ms: options.applyLatency })
  const apply = await step(
    `apply of ${options.updates} updates (latency ${options.applyLatency} ms, parallelism ${options.parallelism})`,
    dir,
    env,
    url,
    ['apply', '--auto-approve', '--format', 'json', '--parallelism', String(options.parallelism)],
    true,
  )
  results.push(apply)
  figures.apply_execute_s = (apply.executeMs ?? Number.NaN) / 1000
  figures.apply_ideal_s = (options.updates * options.applyLatency) / options.parallelism / 1000
  figures.apply_floor_s = (await measureApplyFloor(url)) / 1000
  if (options.applyLatency > 0) figures.apply_bare_floor_s = (await measureBareFloor()) / 1000
}

/** The same number of PUTs to a server that only waits out the latency (anchors.ts bare-floor); ms. */
async function measureBareFloor(): Promise<number> {
  const { put_ms: putMs } = await anchorFigures<{ put_ms: number }>('bare-floor', String(options.applyLatency), String(options.updates), String(options.parallelism))
  log(`apply floor of the machine: ${options.updates} PUTs to a server that only waits ${options.applyLatency} ms (parallelism ${options.parallelism}): ${Math.round(putMs)} ms`)
  return putMs
}

/** The apply's PUTs sent by undici alone, at the same latency and parallelism (anchors.ts apply-floor); ms. */
async function measureApplyFloor(url: string): Promise<number> {
  const { put_ms: putMs } = await anchorFigures<{ put_ms: number }>('apply-floor', url, BENCH_KEY, String(options.updates), String(options.parallelism))
  log(`apply floor: ${options.updates} PUTs over undici alone (latency ${options.applyLatency} ms, parallelism ${options.parallelism}): ${Math.round(putMs)} ms`)
  return putMs
}

/** The seed again, into a second sandbox that persists to a state file; returns its wall time (ms). */
async function seedIntoStateFile(dir: string, env: NodeJS.ProcessEnv, results: StepResult[], figures: Partial<BenchFigures>): Promise<number> {
  const persisted = await serveSandbox(dir, ['--state', join(dir, '.bench-state.json')])
  try {
    const seed = await step('seed: apply of every create, sandbox with --state FILE (latency 0 ms, parallelism 64)', dir, { ...env, SYLLABLE_API_URL: persisted.url }, persisted.url, [
      'apply',
      '--auto-approve',
      '--parallelism',
      '64',
    ])
    results.push(seed)
    const cost = await measureSandboxCost(persisted.url)
    figures.sandbox_state_file_get_ms = cost.get_ms
    figures.sandbox_state_file_put_ms = cost.put_ms
    return seed.wallMs
  } finally {
    persisted.process.kill('SIGTERM')
  }
}

/** The ids of every campaign and batch, as a tool that keeps state would know them. */
async function liveIds(base: string): Promise<{ campaigns: number[]; batches: string[] }> {
  const state = (await control(base, 'GET', '/__sandbox/state')) as { syllable?: { campaigns?: { id: number }[] | Record<string, { id: number }>; batches?: Record<string, { batch_id: string; deleted_at: string | null }> } }
  const list = <T>(value: T[] | Record<string, T> | undefined): T[] => (Array.isArray(value) ? value : Object.values(value ?? {}))
  return { campaigns: list(state.syllable?.campaigns).map((c) => c.id), batches: list(state.syllable?.batches).filter((b) => b.deleted_at === null).map((b) => b.batch_id) }
}

/** Median wall time (ms) of 5 runs of the CLI, measured from outside: node's own start included. */
async function startup(name: string, cwd: string, args: string[]): Promise<number> {
  const walls: number[] = []
  for (let i = 0; i < 5; i += 1) {
    const started = performance.now()
    await run(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', CI: 'true' } })
    walls.push(performance.now() - started)
  }
  const median = [...walls].sort((a, b) => a - b)[2]!
  log(`${name}: ${Math.round(median)} ms (median of 5: ${walls.map((w) => Math.round(w)).join(', ')})`)
  return median
}

async function step(name: string, cwd: string, env: NodeJS.ProcessEnv, sandboxUrl: string, args: string[], json = false, script = MEASURED_CLI): Promise<StepResult> {
  await control(sandboxUrl, 'DELETE', '/__sandbox/counters')
  const reportFile = join(cwd, '.bench-report.json')
  const { code, stdout } = await run(process.execPath, [script, ...args], { cwd, env: { ...env, CAC_BENCH_REPORT: reportFile } })
  const report = JSON.parse(await readFile(reportFile, 'utf8')) as { maxRssKb: number; wallMs: number }
  const counters = (await control(sandboxUrl, 'GET', '/__sandbox/counters')) as { routes: Record<string, { count: number }> }
  const requests = Object.fromEntries(Object.entries(counters.routes).map(([route, counter]) => [route, counter.count]))
  const result: StepResult = { step: name, wallMs: report.wallMs, maxRssMb: report.maxRssKb / 1024, exitCode: code, requests }
  if (json) {
    const body = JSON.parse(stdout) as { timing?: { execute_ms: number }; succeeded: unknown[] }
    if (body.timing) {
      result.executeMs = body.timing.execute_ms
      result.note = `execution ${Math.round(body.timing.execute_ms)} ms for ${body.succeeded.length} updates`
    }
  }
  log(`${name}: ${Math.round(result.wallMs)} ms, ${result.maxRssMb.toFixed(0)} MB, exit ${String(code)}`)
  return result
}

/** A read-only step run `options.runs` times: the run with the median wall time is reported. */
async function repeated(name: string, cwd: string, env: NodeJS.ProcessEnv, sandboxUrl: string, args: string[], script = MEASURED_CLI): Promise<StepResult> {
  const runs: StepResult[] = []
  for (let i = 0; i < options.runs; i += 1) runs.push(await step(name, cwd, env, sandboxUrl, args, false, script))
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs)
  return { ...sorted[Math.floor(sorted.length / 2)]!, walls: runs.map((r) => r.wallMs) }
}

function printReport(results: StepResult[], figures: Partial<BenchFigures>): void {
  const lines = [
    '',
    `cac bench — ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
    '',
    '| step | wall | peak memory | exit | requests by route |',
    '|---|---:|---:|---:|---|',
  ]
  for (const r of results) {
    const requests = Object.entries(r.requests).map(([route, n]) => `${route} × ${n}`).join('<br>') || '–'
    const spread = r.walls && r.walls.length > 1 ? ` (median of ${r.walls.length}: ${r.walls.map((w) => (w / 1000).toFixed(2)).join(', ')})` : ''
    lines.push(`| ${r.step}${r.note ? ` (${r.note})` : ''} | ${(r.wallMs / 1000).toFixed(2)} s${spread} | ${r.maxRssMb.toFixed(0)} MB | ${String(r.exitCode)} | ${requests} |`)
  }
  const f = figures
  const ratio = (a: number, b: number) => (a / b).toFixed(2)
  const row = (name: string, known: boolean, measured: () => string, target: string) => {
    if (known) lines.push(`| ${name} | ${measured()} | ${target} |`)
  }
  lines.push('', '| figure | measured | target |', '|---|---:|---:|')
  const has = (...values: (number | undefined)[]) => values.every((v) => v !== undefined && Number.isFinite(v))
  row('plan (nothing to change) / lower bound', has(f.plan_noop_s, f.lower_bound_s), () => `${ratio(f.plan_noop_s!, f.lower_bound_s!)}× (${f.plan_noop_s!.toFixed(2)} s / ${f.lower_bound_s!.toFixed(2)} s)`, '≤ 1.5×')
  row('plan / lower bound with the files read first', has(f.plan_noop_s, f.lower_bound_sequential_s), () => `${ratio(f.plan_noop_s!, f.lower_bound_sequential_s!)}× (${f.plan_noop_s!.toFixed(2)} s / ${f.lower_bound_sequential_s!.toFixed(2)} s)`, '–')
  row('per-resource refresh / plan', has(f.refresh_baseline_s, f.plan_noop_s), () => `${ratio(f.refresh_baseline_s!, f.plan_noop_s!)}× (${f.refresh_baseline_s!.toFixed(2)} s / ${f.plan_noop_s!.toFixed(2)} s)`, '≥ 30×')
  row('plan peak memory', has(f.plan_peak_rss_mb), () => `${f.plan_peak_rss_mb!.toFixed(0)} MB`, '≤ 150 MB')
  row('apply execution / ideal', has(f.apply_execute_s, f.apply_ideal_s), () => `${ratio(f.apply_execute_s!, f.apply_ideal_s!)}× (${f.apply_execute_s!.toFixed(2)} s / ${f.apply_ideal_s!.toFixed(2)} s)`, '≤ 1.1×')
  row('apply execution / the same PUTs over undici alone', has(f.apply_execute_s, f.apply_floor_s), () => `${ratio(f.apply_execute_s!, f.apply_floor_s!)}× (${f.apply_execute_s!.toFixed(2)} s / ${f.apply_floor_s!.toFixed(2)} s; the floor / ideal: ${ratio(f.apply_floor_s!, f.apply_ideal_s!)}×)`, '–')
  row('the same number of PUTs to a server that only waits out the latency / ideal', has(f.apply_bare_floor_s, f.apply_ideal_s), () => `${ratio(f.apply_bare_floor_s!, f.apply_ideal_s!)}× (${f.apply_bare_floor_s!.toFixed(2)} s / ${f.apply_ideal_s!.toFixed(2)} s: this machine's floor under any apply)`, '–')
  row('seed with a state file / in memory', has(f.seed_state_file_s, f.seed_memory_s), () => `${ratio(f.seed_state_file_s!, f.seed_memory_s!)}× (${f.seed_state_file_s!.toFixed(2)} s / ${f.seed_memory_s!.toFixed(2)} s)`, '≤ 1.5×')
  row('cac --version', has(f.startup_version_s), () => `${f.startup_version_s!.toFixed(3)} s`, '≤ 0.15 s')
  row('cac validate of the examples', has(f.startup_validate_examples_s), () => `${f.startup_validate_examples_s!.toFixed(3)} s`, '≤ 0.3 s')
  const overhead = (roundTrip: number) => `${(roundTrip - f.sandbox_bare_ms!).toFixed(2)} ms (${roundTrip.toFixed(2)} − ${f.sandbox_bare_ms!.toFixed(2)} ms)`
  row('sandbox overhead per request, GET / PUT (round trip − bare node:http round trip)', has(f.sandbox_get_ms, f.sandbox_put_ms, f.sandbox_bare_ms), () => `${overhead(f.sandbox_get_ms!)} / ${overhead(f.sandbox_put_ms!)}`, '< 0.5 ms')
  row('the same, sandbox with a state file', has(f.sandbox_state_file_get_ms, f.sandbox_state_file_put_ms, f.sandbox_bare_ms), () => `${overhead(f.sandbox_state_file_get_ms!)} / ${overhead(f.sandbox_state_file_put_ms!)}`, '< 0.5 ms')
  row(`sandbox list page (limit 1,000), first / last of ${f.campaigns} campaigns`, has(f.sandbox_first_page_ms, f.sandbox_last_page_ms), () => `${f.sandbox_first_page_ms!.toFixed(2)} / ${f.sandbox_last_page_ms!.toFixed(2)} ms`, 'the same at any size')
  process.stdout.write(`${lines.join('\n')}\n`)
}

async function writeProject(dir: string, count: number, hourlyRate: (i: number) => number, callRate: (i: number) => number): Promise<void> {
  await mkdir(join(dir, 'campaigns'), { recursive: true })
  await writeFile(
    join(dir, 'cac.yaml'),
    ['definitions: campaigns', 'providers:', '  syllable:', '    type: syllable', '    url: ${env:SYLLABLE_API_URL}', '    api_key: ${env:SYLLABLE_API_KEY}', '    actor: bench@example.com', ''].join('\n'),
  )
  const writes: Promise<void>[] = []
  for (let start = 0; start < count; start += PER_FILE) {
    const docs: string[] = []
    for (let i = start; i < Math.min(count, start + PER_FILE); i += 1) docs.push(campaignYaml(i, hourlyRate(i)), batchYaml(i, callRate(i)))
    writes.push(writeFile(join(dir, 'campaigns', `team-${String(start / PER_FILE).padStart(4, '0')}.yaml`), `${docs.join('---\n')}`))
  }
  await Promise.all(writes)
}

/** The bench project's resources created through the API itself, 64 at a time (what the files declare); returns the wall time (ms). */
async function seedDirectly(base: string, count: number): Promise<number> {
  const started = performance.now()
  const pool = new Pool(base, { connections: 64 })
  const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const response = await pool.request({ method: 'POST', path, headers: { 'Syllable-API-Key': BENCH_KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const text = await response.body.text()
    if (response.statusCode !== 200) throw new Error(`POST ${path}: ${response.statusCode} ${text.slice(0, 300)}`)
    return JSON.parse(text) as Record<string, unknown>
  }
  let next = 0
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < count) {
        const i = next++
        const campaign = await post('/api/v1/outbound/campaigns', benchCampaign(i, 25))
        const { campaign: _name, ...batch } = benchBatch(i, 20)
        await post('/api/v1/outbound/batches', { ...batch, campaign_id: campaign.id })
      }
    }),
  )
  await pool.close()
  return performance.now() - started
}

/** The bench project's campaign i (what its file declares, and what --plan-only seeds). */
function benchCampaign(i: number, hourlyRate: number) {
  return {
    campaign_name: `Bench Campaign ${i}`,
    caller_id: `+1999555${String(i % 10000).padStart(4, '0')}`,
    campaign_variables: { region: 'us-east', cohort: String(i % 97) },
    active_days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    daily_start_time: '09:00:00',
    daily_end_time: '17:00:00',
    hourly_rate: hourlyRate,
    retry_count: 1,
    retry_interval: '30m',
  }
}

/** The bench project's batch i, under campaign i. */
function benchBatch(i: number, callRate: number) {
  return { batch_id: `bench-${i}`, campaign: `Bench Campaign ${i}`, expires_on: '2027-01-31T00:00:00Z', paused: false, call_rate: callRate }
}

/** Campaign i as its file writes it (block style with short flow lists, as people write them). */
function campaignYaml(i: number, hourlyRate: number): string {
  const c = benchCampaign(i, hourlyRate)
  return [
    'kind: SyllableCampaign',
    'provider: syllable',
    'spec:',
    `  campaign_name: ${c.campaign_name}`,
    `  caller_id: "${c.caller_id}"`,
    `  campaign_variables: {region: ${c.campaign_variables.region}, cohort: "${c.campaign_variables.cohort}"}`,
    `  active_days: [${c.active_days.join(', ')}]`,
    `  daily_start_time: "${c.daily_start_time}"`,
    `  daily_end_time: "${c.daily_end_time}"`,
    `  hourly_rate: ${c.hourly_rate}`,
    `  retry_count: ${c.retry_count}`,
    `  retry_interval: "${c.retry_interval}"`,
    '',
  ].join('\n')
}

function batchYaml(i: number, callRate: number): string {
  const b = benchBatch(i, callRate)
  return [
    'kind: SyllableBatch',
    'provider: syllable',
    'spec:',
    `  batch_id: "${b.batch_id}"`,
    `  campaign: ${b.campaign}`,
    `  expires_on: "${b.expires_on}"`,
    `  paused: ${String(b.paused)}`,
    `  call_rate: ${b.call_rate}`,
    '',
  ].join('\n')
}

async function serveSandbox(cwd: string, stateArgs: string[]): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, [CLI, 'sandbox', 'serve', '--port', '0', ...stateArgs], { cwd, stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /listening on (http:\/\/\S+)/.exec(out)
      if (match) resolve(match[1]!)
    })
    child.on('exit', (code) => reject(new Error(`the sandbox exited (${String(code)})`)))
  })
  return { url, process: child }
}

async function control(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(new URL(path, base), {
    method,
    ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
  })
  return response.json()
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0 && code !== 2) process.stderr.write(stderr.slice(-2000))
      resolve({ code, stdout })
    })
  })
}

function log(line: string): void {
  process.stderr.write(`${line}\n`)
}

await main()
