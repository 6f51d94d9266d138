import { readdir, readFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'

import { expect } from 'vitest'

import { expectNoCrash } from './cli-output.js'
import type { ExternalSandbox } from './external-sandbox.js'
import { runInProcess, type InProcessOptions } from './in-process-cli.js'
import { REPO_ROOT, runCli, type CliResult, type RunOptions } from './run-cli.js'

/** Plan and apply talk to servers, and the fault scenarios retry with backoff: a generous limit per process. */
export const CLI_TIMEOUT_MS = 120_000

/** `cac ARGS…` in one project, with fixed extra variables (e.g. an external sandbox's URLs). */
export type Cac = (args: readonly string[], env?: RunOptions['env']) => Promise<CliResult>

export function cacIn(cwd: string, baseEnv: RunOptions['env'] = {}): Cac {
  return (args, env = {}) => runCli(args, { cwd, env: { ...baseEnv, ...env }, timeoutMs: CLI_TIMEOUT_MS })
}

/** The same, in this process (see in-process-cli.ts): plan, apply and validate only, with fast retries. */
export function cacInProcess(cwd: string, baseEnv: RunOptions['env'] = {}, options: Omit<InProcessOptions, 'cwd' | 'env'> = {}): Cac {
  return (args, env = {}) => runInProcess(args, { ...options, cwd, env: { ...baseEnv, ...env } })
}

/** The repository's own example project (cac.yaml and every file under campaigns/), as tempProject files. */
export async function exampleProjectFiles(): Promise<Record<string, string>> {
  const files: Record<string, string> = { 'cac.yaml': await readFile(join(REPO_ROOT, 'cac.yaml'), 'utf8') }
  const root = join(REPO_ROOT, 'campaigns')
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    files[relative(REPO_ROOT, path).split(sep).join('/')] = await readFile(path, 'utf8')
  }
  return files
}

/** The summary line of a plan, e.g. `Plan: 2 to create, 0 to update, 4 unchanged.` (with `No changes. ` first when nothing is pending). */
export function planSummary(stdout: string): string | undefined {
  return /^(?:No changes\. )?Plan: .*\.$/m.exec(stdout)?.[0]
}

/** The summary line of an apply: `Apply complete: …`, `Apply incomplete: …` or `Apply interrupted (SIGINT): …`. */
export function applySummary(stdout: string): string | undefined {
  return /^Apply (?:complete|incomplete|interrupted \(SIG[A-Z]+\)): .*\.$/m.exec(stdout)?.[0]
}

/** One line of apply progress, as printed when there is no terminal. */
export interface ApplyLine {
  outcome: 'created' | 'updated' | 'failed' | 'skipped'
  address: string
  /** The parenthesised details of a success (`id 3, 12 ms`), or the message of a failure or skip. */
  detail: string
}

const SUCCESS_LINE = /^✓ (created|updated) +(.+?) {2}\((.*)\)$/
const FAILURE_LINE = /^✗ failed +(.+?): (.*)$/
const SKIP_LINE = /^- skipped +(.+?): (.*)$/

/** The progress lines of an apply, in the order they were printed. */
export function applyLines(stdout: string): ApplyLine[] {
  const lines: ApplyLine[] = []
  for (const line of stdout.split('\n')) {
    let match = SUCCESS_LINE.exec(line)
    if (match) {
      lines.push({ outcome: match[1] as 'created' | 'updated', address: match[2]!, detail: match[3]! })
      continue
    }
    match = FAILURE_LINE.exec(line)
    if (match) {
      lines.push({ outcome: 'failed', address: match[1]!, detail: match[2]! })
      continue
    }
    match = SKIP_LINE.exec(line)
    if (match) lines.push({ outcome: 'skipped', address: match[1]!, detail: match[2]! })
  }
  return lines
}

/** The JSON plan (`cac plan --format json`, format_version 1). */
export interface JsonPlan {
  format_version: number
  targets: { provider: string; type: string; target: string }[]
  summary: { create: number; update: number; blocked: number; error: number; noop: number; unmanaged: number }
  changes: {
    address: string
    kind: string
    provider: string
    name: string
    action: 'create' | 'update' | 'noop' | 'blocked' | 'error'
    reason: string | null
    live_id: string | number | null
    live_status: string | null
    notice: string | null
    fields: { path: string; kind: 'add' | 'change' | 'remove'; before: unknown; after: unknown; sensitive: boolean }[]
  }[]
  unmanaged: { address: string; kind: string; provider: string; name: string; id: string | number }[]
}

/** The JSON apply result (`cac apply --format json`, format_version 1). */
export interface JsonApplyResult {
  format_version: number
  targets: { provider: string; type: string; target: string }[]
  succeeded: { address: string; action: string; id: string | number; adopted: boolean; steps: string[] }[]
  failed: { address: string; action: string; message: string; warning: string | null }[]
  skipped: { address: string; action: string; reason: string }[]
  not_attempted: { address: string; action: string; reason: string | null }[]
  /** Changes an interrupt kept from starting, and those whose outcome the interrupted run could not wait for. */
  not_started: { address: string; action: string; reason: string }[]
  unfinished: { address: string; action: string; reason: string }[]
  /** What failures and follow-ups left behind that needs a person (a campaign left paused, a copy not removed). */
  warnings: { address: string; message: string }[]
  /** What work left running after the changes did (e.g. removed a copy the platform committed late). */
  notes: { address: string; message: string }[]
  unchanged: number
  complete: boolean
  interrupted: boolean
  signal: string | null
}

/**
 * The end of every scenario: nothing is left to do. Apply again (exit 0, nothing created or
 * updated), then plan with --detailed-exitcode (exit 0, "No changes."), and the sandbox saw not
 * a single write request during both.
 */
export async function expectConverged(cac: Cac, sandbox: ExternalSandbox): Promise<void> {
  await sandbox.resetCounters()
  const apply = await cac(['apply', '--auto-approve'])
  expectNoCrash(apply)
  expect(apply.code, `apply with nothing to do\n${apply.stdout}${apply.stderr}`).toBe(0)
  expect(planSummary(apply.stdout)).toMatch(/^No changes\. Plan: 0 to create, 0 to update, \d+ unchanged\.$/)
  expect(applySummary(apply.stdout)).toMatch(/^Apply complete: 0 created, 0 updated, \d+ unchanged\.$/)
  expect(applyLines(apply.stdout)).toEqual([])

  const plan = await cac(['plan', '--detailed-exitcode'])
  expectNoCrash(plan)
  expect(plan.code, `plan --detailed-exitcode after convergence\n${plan.stdout}${plan.stderr}`).toBe(0)
  expect(planSummary(plan.stdout)).toMatch(/^No changes\. Plan: 0 to create, 0 to update, \d+ unchanged\.$/)

  expect(await sandbox.writeRoutes(), 'write requests during the converged apply and plan').toEqual({})
}
