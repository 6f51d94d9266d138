import { resolve } from 'node:path'

import { executePlan } from '../apply/executor.js'
import { loadEnvironment } from '../config/env-file.js'
import { loadProject } from '../config/load-project.js'
import { LockWaitAbortedError, type HeldLock, type LockWait } from '../lock/file-lock.js'
import { Diagnostics } from '../model/diagnostic.js'
import type { Plan } from '../model/plan.js'
import { secretsWithin } from '../model/secret.js'
import type { KindName } from '../model/kinds.js'
import type { Resource } from '../model/resource.js'
import { findStaleChanges, parsePlanFile, PlanFileError, readPlanFileText } from '../plan/plan-file.js'
import type { ApplyOutcome, ApplyStop } from '../model/apply-outcome.js'
import type { ApplyEvent, ApplyResult } from '../model/apply-result.js'
import { readFrom } from '../model/platform-error.js'
import type { LiveResource } from '../model/provider.js'
import { providerTargets, type ProviderSession } from './provider-session.js'
import { InterruptedBeforeApply, throwIfInterrupted, unlessInterrupted } from './interruptible.js'
import { openPlan, openSession, type PlanRequest } from './plan-project.js'
import { lockProject } from './project-lock.js'
import { readTelling, type LiveReadListener } from './live-read-progress.js'
import { checkSavedPlan, targetDifferences } from './saved-plan-check.js'
import { dependenciesToLookUp, rederivePlan, withRecomputedDependencies } from './saved-plan-rederive.js'

/** How long an apply waits for another apply of the same project, by default. */
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000
/** After an interrupt, how long closing the connections may take before the run reports anyway. */
const CLOSE_AFTER_INTERRUPT_MS = 5_000

export type { ApplyOutcome, ApplyStop }

export interface ApplyRequest extends PlanRequest {
  /** A saved plan to apply exactly (refused if it fails this project's checks, or the platform moved since). */
  planFile?: string
  /**
   * Aborted by an interrupt. Before anything is applied the apply ends at once as `interrupted`;
   * while executing, nothing new is started and the result says what happened.
   */
  signal?: AbortSignal
  /** How long to wait for another process's project lock (and embedded sandbox state lock); 0 = refuse at once. */
  lockTimeoutMs?: number
  /** Told when the apply waits for a lock, or takes over one left by a dead process (a wait can be long). */
  onLockNote?: (message: string) => void
  /** After an interrupt, how long to wait for the changes in flight. */
  drainTimeoutMs?: number
}

/**
 * An apply ready to run: the plan to show (and confirm), with the project lock held and the
 * providers open. Exactly one of `execute` or `decline` ends it, releasing both.
 */
export interface ReadyApply {
  kind: 'ready'
  plan: Plan
  /** Things the user should know that are not changes (e.g. secrets stood in for the sandbox). */
  notes: string[]
  /** A fresh plan with creates or updates needs a yes (a saved plan was reviewed when it was made). */
  needsConfirmation: boolean
  /** Executes the plan; `interrupted` when the signal aborted before the first write. */
  execute(onEvent?: (event: ApplyEvent) => void): Promise<ApplyOutcome>
  /** Ends the apply unexecuted: `declined`, or `interrupted` when the signal aborted (a signal at the prompt). */
  decline(): Promise<ApplyOutcome>
}

export type PreparedApply = ApplyStop | ReadyApply

/** What an apply holds between its two phases: the project lock and the open providers. */
class HeldRun {
  lock: HeldLock | undefined
  session: ProviderSession | undefined

  constructor(private readonly signal: AbortSignal | undefined) {}

  async close(): Promise<void> {
    const session = this.session
    this.session = undefined
    if (session) await closeSession(session, this.signal)
    const lock = this.lock
    this.lock = undefined
    await lock?.release()
  }
}

/**
 * Phase one of an apply. Locks the project, then re-plans (or loads a saved plan and checks the
 * platform has not moved since). The project lock is taken once the files are valid and before
 * any live state is read; the embedded sandbox, if any, holds its state file's lock while open.
 * Anything but `ready` has released both already.
 */
export async function prepareApply(request: ApplyRequest): Promise<PreparedApply> {
  const run = new HeldRun(request.signal)
  const wait: LockWait = {
    timeoutMs: request.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.onLockNote ? { onNote: request.onLockNote } : {}),
  }
  const locking: ApplyRequest = {
    ...request,
    beforeLiveRead: async (config) => {
      run.lock = await lockProject(config, request.cwd, wait)
    },
    sandboxStateLock: wait,
  }
  try {
    const prepared = await (request.planFile !== undefined ? prepareSavedPlan(locking, request.planFile, run) : prepareFreshPlan(locking, run))
    if (prepared.kind !== 'ready') await run.close()
    return prepared
  } catch (error) {
    await run.close()
    if (isInterruption(error)) return { kind: 'interrupted' }
    throw error
  }
}

function isInterruption(error: unknown): boolean {
  return error instanceof InterruptedBeforeApply || error instanceof LockWaitAbortedError
}

/** Phase two, for a plan the providers of `run` can execute. */
function readyApply(run: HeldRun, shown: Plan, toRun: Plan, live: Map<string, LiveResource>, request: ApplyRequest, extra: { notes: string[]; needsConfirmation: boolean }): ReadyApply {
  return {
    kind: 'ready',
    plan: shown,
    ...extra,
    execute: async (onEvent) => {
      try {
        throwIfInterrupted(request.signal)
        return { kind: 'applied', plan: toRun, result: await execute(toRun, live, run.session!, request, onEvent) }
      } catch (error) {
        if (isInterruption(error)) return { kind: 'interrupted' }
        throw error
      } finally {
        await run.close()
      }
    },
    decline: async () => {
      await run.close()
      return request.signal?.aborted ? { kind: 'interrupted' } : { kind: 'declined', plan: shown }
    },
  }
}

async function prepareFreshPlan(request: ApplyRequest, run: HeldRun): Promise<PreparedApply> {
  const outcome = await unlessInterrupted(openPlan(request), request.signal, async (late) => {
    if (late.kind === 'planned') await late.session.close()
  })
  if (outcome.kind === 'invalid') return { kind: 'invalid', load: outcome.load }
  const { plan, live, session, notes } = outcome
  run.session = session
  const refusal = refusalReason(plan)
  if (refusal) return { kind: 'refused', plan, reason: refusal, notes }
  return readyApply(run, plan, plan, live, request, { notes, needsConfirmation: plan.summary.create + plan.summary.update > 0 })
}

/** Closes the providers (and the embedded sandbox); after an interrupt, without waiting long for it. */
async function closeSession(session: ProviderSession, signal: AbortSignal | undefined): Promise<void> {
  if (!signal?.aborted) return session.close()
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    session.close().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_AFTER_INTERRUPT_MS)
    }),
  ])
  clearTimeout(timer)
}

/**
 * A saved plan is reviewed input: read field by field, bound to its targets, checked against the
 * project's files (resources, secret references, schemas and rules) before any request; then the
 * touched resources are re-read, and what runs is re-derived from the plan's specs and that
 * fresh state. Any failure refuses the whole plan with nothing written.
 */
async function prepareSavedPlan(request: ApplyRequest, planFile: string, run: HeldRun): Promise<PreparedApply> {
  const read = await readPlanFileText(resolve(request.cwd, planFile))
  if (!read.ok) return { kind: 'plan-file-invalid', file: planFile, message: read.message }
  const envDiagnostics = new Diagnostics()
  const env = await loadEnvironment(request.envFiles ?? [], request.env, request.cwd, envDiagnostics)
  if (envDiagnostics.hasErrors) return { kind: 'config-invalid', diagnostics: envDiagnostics }
  let saved
  try {
    saved = parsePlanFile(read.text, env)
  } catch (error) {
    if (error instanceof PlanFileError) return { kind: 'plan-file-invalid', file: planFile, message: error.message }
    throw error
  }
  const refusal = refusalReason(saved.plan)
  if (refusal) return { kind: 'refused', plan: saved.plan, reason: refusal }

  // The project the plan is applied in: its files are what the plan is checked against.
  const load = await loadProject({
    cwd: request.cwd,
    ...(request.configPath !== undefined ? { configPath: request.configPath } : {}),
    env,
    // The plan names the secrets it sends (checked below); the files only say which variables are theirs.
    secretsRequired: false,
  })
  if (load.errorCount > 0 || !load.config) return { kind: 'invalid', load, plan: saved.plan }
  const plan = withDeclaredSources(saved.plan, load.resources)
  const config = load.config
  const current = providerTargets({
    config,
    names: plan.targets.map((target) => target.provider).filter((name) => config.providers[name] !== undefined),
    cwd: request.cwd,
    forceSandbox: request.forceSandbox,
  })
  const differences = targetDifferences(plan.targets, current, config.displayFile)
  if (differences.length > 0) return { kind: 'refused', plan, reason: differences.join('; ') }
  const problems = checkSavedPlan({ plan, config, resources: load.resources })
  if (problems.length > 0) return { kind: 'plan-rejected', file: planFile, plan, problems }
  const missing = missingSecret(plan)
  if (missing) return { kind: 'refused', plan, reason: missing }
  await request.beforeLiveRead?.(config)

  const session = await openSession(request, config, plan.changes.map((change) => change.provider))
  run.session = session
  const withDependencies = withRecomputedDependencies(plan, session.providers)
  const identities = new Map<string, RefreshTarget>()
  for (const resource of load.resources) identities.set(resource.address, { kind: resource.kind, name: resource.name })
  for (const change of plan.changes) identities.set(change.address, { kind: change.kind, name: change.name })
  const fresh = await unlessInterrupted(refreshTouched(withDependencies, identities, session, request.onLiveRead), request.signal)
  const stale = findStaleChanges(withDependencies, fresh)
  if (stale.length > 0) return { kind: 'stale', plan, stale }
  const live = new Map([...fresh].filter((entry): entry is [string, LiveResource] => entry[1] !== undefined))
  // The plan is applied as it was reviewed, with the options it was made with.
  const rederived = rederivePlan({ plan: withDependencies, live, providers: session.providers, options: saved.options })
  if (rederived.problems.length > 0) return { kind: 'plan-rejected', file: planFile, plan, problems: rederived.problems }
  return readyApply(run, plan, rederived.plan, live, { ...request, options: saved.options }, { notes: [], needsConfirmation: false })
}

type RefreshTarget = { kind: KindName; name: string; id?: string | number }

/**
 * Each change pointed at where the project declares it now (the file and line the plan recorded
 * may be from another folder or an older commit); a change no file declares has no place.
 */
function withDeclaredSources(plan: Plan, resources: readonly Resource[]): Plan {
  const declared = new Map(resources.map((resource) => [resource.address, resource.source]))
  return {
    ...plan,
    changes: plan.changes.map(({ source: _recorded, ...change }) => {
      const source = declared.get(change.address)
      return source ? { ...change, source: { file: source.file, line: source.line } } : change
    }),
  }
}


/**
 * Re-reads only the resources the plan would change (one provider call each, concurrently), and
 * the resources those changes depend on that the plan does not write (looked up by identity).
 */
async function refreshTouched(
  plan: Plan,
  identities: ReadonlyMap<string, RefreshTarget>,
  session: ProviderSession,
  onLiveRead: LiveReadListener | undefined,
): Promise<Map<string, LiveResource | undefined>> {
  const byProvider = new Map<string, RefreshTarget[]>()
  const add = (provider: string, target: RefreshTarget) => byProvider.set(provider, [...(byProvider.get(provider) ?? []), target])
  for (const change of plan.changes) {
    if (change.action !== 'create' && change.action !== 'update') continue
    add(change.provider, { kind: change.kind, name: change.name, ...(change.liveId !== undefined ? { id: change.liveId } : {}) })
  }
  const providerOf = new Map(plan.changes.map((change) => [change.address, change.provider]))
  for (const address of dependenciesToLookUp(plan)) {
    const identity = identities.get(address)
    const provider = providerOf.get(address) ?? address.slice(0, address.indexOf('/'))
    if (identity && session.providers.has(provider)) add(provider, { kind: identity.kind, name: identity.name })
  }
  const maps = await readTelling(
    [...byProvider].map(([name, list]) => {
      const provider = session.providers.get(name)!
      return { provider: name, read: () => readFrom(provider, provider.refresh(list)) }
    }),
    onLiveRead,
  )
  const out = new Map<string, LiveResource | undefined>()
  for (const map of maps) for (const [address, live] of map) out.set(address, live)
  return out
}

/** Executes the plan, then waits for what the providers left running (bounded) and adds what came of it. */
async function execute(plan: Plan, live: Map<string, LiveResource>, session: ProviderSession, request: ApplyRequest, onEvent: ((event: ApplyEvent) => void) | undefined): Promise<ApplyResult> {
  const result = await executePlan(plan, {
    providers: session.providers,
    live,
    options: request.options,
    parallelism: request.parallelism,
    ...(onEvent ? { onEvent } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.drainTimeoutMs !== undefined ? { drainTimeoutMs: request.drainTimeoutMs } : {}),
  })
  const followUps = await Promise.all([...session.providers.values()].map((provider) => provider.settle?.() ?? []))
  result.followUps.push(...followUps.flat())
  return result
}

function refusalReason(plan: Plan): string | undefined {
  const errors = plan.changes.filter((change) => change.action === 'error')
  if (errors.length === 0) return undefined
  return `the plan has ${errors.length} change${errors.length === 1 ? '' : 's'} in error (${errors.map((e) => e.address).join(', ')}); fix them first`
}

/** A saved plan names secrets by variable: every one a create or update sends must be set now. */
function missingSecret(plan: Plan): string | undefined {
  const missing = new Set<string>()
  for (const change of plan.changes) {
    if (change.action !== 'create' && change.action !== 'update') continue
    for (const { secret } of secretsWithin(change.desired)) if (!secret.isSet) missing.add(secret.variable)
  }
  if (missing.size === 0) return undefined
  return `environment variable${missing.size === 1 ? '' : 's'} ${[...missing].join(', ')} must be set: the plan sends ${missing.size === 1 ? 'this secret' : 'these secrets'}`
}
