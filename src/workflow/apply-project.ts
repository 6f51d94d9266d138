import { promises as fs } from 'node:fs'
import { resolve } from 'node:path'

import { executePlan, type ApplyEvent, type ApplyResult } from '../apply/executor.js'
import { loadProjectConfig, type ProjectConfig } from '../config/project-config.js'
import { LockWaitAbortedError, type HeldLock, type LockWait } from '../lock/file-lock.js'
import { Diagnostics } from '../model/diagnostic.js'
import type { Plan, ResourceChange } from '../model/plan.js'
import { isSecretValue } from '../model/secret.js'
import { findStaleChanges, parsePlanFile, PlanFileError, type StaleChange } from '../plan/plan-file.js'
import { PlatformError } from '../providers/errors.js'
import type { LiveResource } from '../providers/provider.js'
import { openProviders, type ProviderSession } from '../providers/registry.js'
import { InterruptedBeforeApply, throwIfInterrupted, unlessInterrupted } from './interruptible.js'
import { planProject, type PlanOutcome, type PlanRequest } from './plan-project.js'
import { lockProject } from './project-lock.js'

/** How long an apply waits for another apply of the same project, by default. */
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000
/** After an interrupt, how long closing the connections may take before the run reports anyway. */
const CLOSE_AFTER_INTERRUPT_MS = 5_000

export interface ApplyRequest extends PlanRequest {
  /** A saved plan to apply exactly (refused if the platform moved since). */
  planFile?: string
  /** Asked before changing anything (not called for a saved plan, or with --auto-approve). */
  confirm: (plan: Plan) => Promise<boolean>
  onEvent?: (event: ApplyEvent) => void
  /** Called with the plan about to be applied (to show it before confirming). */
  onPlan?: (plan: Plan) => void
  /** Called with notes that are not changes (e.g. secrets stood in for the sandbox). */
  onNotes?: (notes: string[]) => void
  /**
   * Aborted by an interrupt. Before anything is applied the apply ends at once as `interrupted`;
   * while executing, nothing new is started and the result says what happened.
   */
  signal?: AbortSignal
  /** How long to wait for another process's project lock (and embedded sandbox state lock); 0 = refuse at once. */
  lockTimeoutMs?: number
  /** Told when the apply waits for a lock, or takes over one left by a dead process. */
  onLockNote?: (message: string) => void
  /** After an interrupt, how long to wait for the changes in flight. */
  drainTimeoutMs?: number
}

export type ApplyOutcome =
  | { kind: 'invalid'; outcome: Extract<PlanOutcome, { kind: 'invalid' }> }
  /** The project file is unusable (saved-plan path). */
  | { kind: 'config-invalid'; diagnostics: Diagnostics }
  | { kind: 'plan-file-invalid'; file: string; message: string }
  /** The plan has changes in error: nothing is applied. */
  | { kind: 'refused'; plan: Plan; reason: string }
  /** A saved plan no longer matches the platform. */
  | { kind: 'stale'; plan: Plan; stale: StaleChange[] }
  | { kind: 'declined'; plan: Plan }
  /** Interrupted before anything was applied (waiting for the lock, planning, at the prompt). */
  | { kind: 'interrupted' }
  | { kind: 'applied'; plan: Plan; result: ApplyResult }

/**
 * Locks the project, then re-plans (or loads a saved plan and checks the platform has not moved
 * since), confirms and executes. The project lock is taken once the files are valid and before any
 * live state is read, and released however the apply ends; the embedded sandbox, if any, holds its
 * state file's lock while open.
 */
export async function applyProject(request: ApplyRequest): Promise<ApplyOutcome> {
  let lock: HeldLock | undefined
  const wait: LockWait = {
    timeoutMs: request.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.onLockNote ? { onNote: request.onLockNote } : {}),
  }
  const locking: ApplyRequest = {
    ...request,
    beforeLiveRead: async (config) => {
      lock = await lockProject(config, request.cwd, wait)
    },
    sandboxStateLock: wait,
  }
  try {
    return await (request.planFile !== undefined ? applySavedPlan(locking, request.planFile) : applyFreshPlan(locking))
  } catch (error) {
    if (error instanceof InterruptedBeforeApply || error instanceof LockWaitAbortedError) return { kind: 'interrupted' }
    throw error
  } finally {
    await lock?.release()
  }
}

async function applyFreshPlan(request: ApplyRequest): Promise<ApplyOutcome> {
  const outcome = await unlessInterrupted(planProject(request), request.signal, async (late) => {
    if (late.kind === 'planned') await late.session.close()
  })
  if (outcome.kind === 'invalid') return { kind: 'invalid', outcome }
  const { plan, live, session } = outcome
  try {
    request.onNotes?.(outcome.notes)
    request.onPlan?.(plan)
    const refusal = refusalReason(plan)
    if (refusal) return { kind: 'refused', plan, reason: refusal }
    if (plan.summary.create + plan.summary.update > 0 && !(await request.confirm(plan))) {
      // A signal at the prompt (not Ctrl+C typed on the terminal, which is an answer).
      throwIfInterrupted(request.signal)
      return { kind: 'declined', plan }
    }
    throwIfInterrupted(request.signal)
    return { kind: 'applied', plan, result: await execute(plan, live, session, request) }
  } finally {
    await closeSession(session, request.signal)
  }
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

async function applySavedPlan(request: ApplyRequest, planFile: string): Promise<ApplyOutcome> {
  let text: string
  try {
    text = await fs.readFile(resolve(request.cwd, planFile), 'utf8')
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
    return { kind: 'plan-file-invalid', file: planFile, message: missing ? 'does not exist' : 'cannot be read' }
  }
  let saved
  try {
    saved = parsePlanFile(text, request.env)
  } catch (error) {
    if (error instanceof PlanFileError) return { kind: 'plan-file-invalid', file: planFile, message: error.message }
    throw error
  }
  const { plan } = saved
  request.onPlan?.(plan)
  const refusal = refusalReason(plan) ?? missingSecret(plan)
  if (refusal) return { kind: 'refused', plan, reason: refusal }

  const diagnostics = new Diagnostics()
  const config: ProjectConfig | undefined = await loadProjectConfig(
    { cwd: request.cwd, ...(request.configPath !== undefined ? { configPath: request.configPath } : {}), env: request.env },
    diagnostics,
  )
  if (!config || diagnostics.hasErrors) return { kind: 'config-invalid', diagnostics }
  await request.beforeLiveRead?.(config)
  const session = await openProviders({
    config,
    names: [...new Set(plan.changes.map((change) => change.provider))],
    cwd: request.cwd,
    forceSandbox: request.forceSandbox,
    parallelism: request.parallelism,
    ...(request.onRetry ? { onRetry: request.onRetry } : {}),
    ...(request.sandboxStateLock ? { sandboxStateLock: request.sandboxStateLock } : {}),
  })
  try {
    const moved = session.targets.filter((now) => {
      const then = plan.targets.find((target) => target.provider === now.provider)
      return then !== undefined && then.target !== now.target
    })
    if (moved.length > 0) {
      return {
        kind: 'refused',
        plan,
        reason: `the plan was made for ${moved.map((m) => `${m.provider} → ${plan.targets.find((t) => t.provider === m.provider)!.target}`).join(', ')}, but this run targets ${moved.map((m) => m.target).join(', ')}`,
      }
    }
    const fresh = await unlessInterrupted(refreshTouched(plan.changes, session), request.signal)
    const stale = findStaleChanges(plan, fresh)
    if (stale.length > 0) return { kind: 'stale', plan, stale }
    const live = new Map([...fresh].filter((entry): entry is [string, LiveResource] => entry[1] !== undefined))
    throwIfInterrupted(request.signal)
    // The plan is applied as it was reviewed, with the options it was made with.
    return { kind: 'applied', plan, result: await execute(plan, live, session, { ...request, options: saved.options }) }
  } finally {
    await closeSession(session, request.signal)
  }
}

/** Re-reads only the resources the plan would change (one provider call each, concurrently). */
async function refreshTouched(changes: readonly ResourceChange[], session: ProviderSession): Promise<Map<string, LiveResource | undefined>> {
  const touched = changes.filter((change) => change.action === 'create' || change.action === 'update')
  const byProvider = new Map<string, ResourceChange[]>()
  for (const change of touched) byProvider.set(change.provider, [...(byProvider.get(change.provider) ?? []), change])
  const maps = await Promise.all(
    [...byProvider].map(([name, list]) => {
      const provider = session.providers.get(name)!
      return provider
        .refresh(list.map((change) => ({ kind: change.kind, name: change.name, ...(change.liveId !== undefined ? { id: change.liveId } : {}) })))
        .catch((error: unknown) => {
          throw new PlatformError(provider.name, provider.target, error)
        })
    }),
  )
  const out = new Map<string, LiveResource | undefined>()
  for (const map of maps) for (const [address, live] of map) out.set(address, live)
  return out
}

function execute(plan: Plan, live: Map<string, LiveResource>, session: ProviderSession, request: ApplyRequest): Promise<ApplyResult> {
  return executePlan(plan, {
    providers: session.providers,
    live,
    options: request.options,
    parallelism: request.parallelism,
    ...(request.onEvent ? { onEvent: request.onEvent } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.drainTimeoutMs !== undefined ? { drainTimeoutMs: request.drainTimeoutMs } : {}),
  })
}

function refusalReason(plan: Plan): string | undefined {
  const errors = plan.changes.filter((change) => change.action === 'error')
  if (errors.length === 0) return undefined
  return `the plan has ${errors.length} change${errors.length === 1 ? '' : 's'} in error (${errors.map((e) => e.address).join(', ')}); fix them first`
}

/** A saved plan names secrets by variable: every one a create or update sends must be set now. */
function missingSecret(plan: Plan): string | undefined {
  const missing = new Set<string>()
  const visit = (value: unknown): void => {
    if (isSecretValue(value)) {
      if (!value.isSet) missing.add(value.variable)
    } else if (Array.isArray(value)) value.forEach(visit)
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(visit)
  }
  for (const change of plan.changes) if (change.action === 'create' || change.action === 'update') visit(change.desired)
  if (missing.size === 0) return undefined
  return `environment variable${missing.size === 1 ? '' : 's'} ${[...missing].join(', ')} must be set: the plan sends ${missing.size === 1 ? 'this secret' : 'these secrets'}`
}
