import { warningOf } from '../model/change-warning.js'
import { classifyFailure } from '../model/failure-cause.js'
import { compareText } from '../model/values.js'
import type { Plan, ResourceChange } from '../model/plan.js'
import type { ApplyEvent, ApplyResult } from '../model/apply-result.js'
import type { ChangeOutcome, LiveResource, PlanOptions, Provider } from '../model/provider.js'

/** How long an interrupted run waits for the changes in flight, by default. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 30_000

export interface ExecuteOptions {
  providers: ReadonlyMap<string, Provider>
  /** Live resources by address (from planning, or re-read for a saved plan). */
  live: ReadonlyMap<string, LiveResource>
  options: PlanOptions
  /** Changes in flight at once (independent ones run concurrently). */
  parallelism: number
  onEvent?: (event: ApplyEvent) => void
  /** Once aborted (an interrupt), no change is started; those in flight are waited for, up to `drainTimeoutMs`. */
  signal?: AbortSignal
  drainTimeoutMs?: number
}

/**
 * Executes a plan: each create or update once its dependencies are done (a batch after its
 * campaign, using the campaign's new id), independent ones concurrently up to `parallelism`.
 * A failure does not stop independent changes; its dependants are skipped. After `signal` aborts,
 * nothing new starts; the result comes once the changes in flight have ended, or the drain
 * timeout has passed (those still running are reported as unfinished). Never prints.
 */
export async function executePlan(plan: Plan, execute: ExecuteOptions): Promise<ApplyResult> {
  const result: ApplyResult = {
    succeeded: [],
    failed: [],
    skipped: [],
    notAttempted: plan.changes.filter((c) => c.action === 'blocked' || c.action === 'error'),
    interrupted: false,
    notStarted: [],
    unfinished: [],
    unchanged: plan.changes.filter((c) => c.action === 'noop').length,
    followUps: [],
    durationMs: 0,
  }
  const started = performance.now()
  const work = plan.changes.filter((c) => c.action === 'create' || c.action === 'update')
  const planned = new Map(plan.changes.map((c) => [c.address, c]))
  const outcomes = new Map<string, ChangeOutcome>()
  const finished = new Map<string, Promise<boolean>>()
  const inFlight = new Set<ResourceChange>()
  // Set when the result is handed back: a change that ends later no longer changes it or emits.
  let sealed = false
  const emit = (event: ApplyEvent) => {
    if (!sealed) execute.onEvent?.(event)
  }
  const aborted = () => execute.signal?.aborted === true
  const notStarted = (change: ResourceChange) => {
    if (!sealed) result.notStarted.push({ change, reason: 'not started: the run was interrupted' })
    return false
  }
  const limit = semaphore(Math.max(1, execute.parallelism))

  const resolveId = (address: string): string | number | undefined =>
    outcomes.get(address)?.id ?? execute.live.get(address)?.id ?? planned.get(address)?.liveId

  const run = (change: ResourceChange): Promise<boolean> => {
    const existing = finished.get(change.address)
    if (existing) return existing
    const promise = (async () => {
      for (const dependency of change.dependsOn) {
        const upstream = planned.get(dependency)
        if (!upstream || (upstream.action !== 'create' && upstream.action !== 'update')) continue
        if (!(await run(upstream))) {
          if (aborted()) return notStarted(change)
          const reason = `${dependency} was not applied`
          if (!sealed) result.skipped.push({ change, reason })
          emit({ type: 'skip', change, reason })
          return false
        }
      }
      if (aborted()) return notStarted(change)
      const provider = execute.providers.get(change.provider)
      if (!provider) throw new Error(`no provider named ${change.provider}`)
      return limit(async () => {
        // Checked again after waiting for a slot: the interrupt may have come meanwhile.
        if (aborted()) return notStarted(change)
        emit({ type: 'start', change })
        inFlight.add(change)
        const started = Date.now()
        try {
          const live = execute.live.get(change.address)
          const outcome = await provider.apply(change, { ...(live ? { live } : {}), resolveId, options: execute.options })
          outcomes.set(change.address, outcome)
          if (!sealed) result.succeeded.push({ change, outcome })
          emit({ type: 'success', change, outcome, durationMs: Date.now() - started })
          return true
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error)
          const warning = warningOf(error)
          const { cause, fields } = classifyFailure(error)
          if (!sealed) result.failed.push({ change, message, cause, ...(fields.length > 0 ? { rejectedFields: fields } : {}), ...(warning !== undefined ? { warning } : {}) })
          emit({ type: 'failure', change, message, durationMs: Date.now() - started })
          return false
        } finally {
          inFlight.delete(change)
        }
      })
    })()
    finished.set(change.address, promise)
    return promise
  }

  const all = Promise.all(work.map(run))
  const drain = drainDeadline(execute.signal, execute.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS)
  try {
    await Promise.race([all, drain.expired])
  } finally {
    drain.cancel()
  }
  sealed = true
  result.interrupted = aborted()
  for (const change of inFlight) {
    result.unfinished.push({ change, reason: 'still in flight when the run stopped: its outcome is unknown (run plan to see)' })
  }
  // Anything neither started nor reported yet (waiting for a slot or a dependency when the wait ended).
  const reported = new Set(
    [...result.succeeded, ...result.failed, ...result.skipped, ...result.notStarted, ...result.unfinished].map((entry) => entry.change.address),
  )
  for (const change of work) if (!reported.has(change.address)) result.notStarted.push({ change, reason: 'not started: the run was interrupted' })

  result.durationMs = performance.now() - started
  const byAddress = (a: { change: ResourceChange }, b: { change: ResourceChange }) => compareText(a.change.address, b.change.address)
  result.succeeded.sort(byAddress)
  result.failed.sort(byAddress)
  result.skipped.sort(byAddress)
  result.notStarted.sort(byAddress)
  result.unfinished.sort(byAddress)
  return result
}

/** Resolves `drainMs` after the signal aborts (never, without a signal); `cancel` clears its timer. */
function drainDeadline(signal: AbortSignal | undefined, drainMs: number): { expired: Promise<void>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined
  let onAbort: (() => void) | undefined
  const expired = new Promise<void>((resolve) => {
    if (!signal) return
    onAbort = () => {
      timer = setTimeout(resolve, drainMs)
    }
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
  })
  return {
    expired,
    cancel: () => {
      if (timer) clearTimeout(timer)
      if (onAbort) signal?.removeEventListener('abort', onAbort)
    },
  }
}

/** Runs at most `size` tasks at once; others wait in arrival order. */
function semaphore(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0
  const waiting: (() => void)[] = []
  return async (task) => {
    if (active >= size) await new Promise<void>((resolve) => waiting.push(resolve))
    active += 1
    try {
      return await task()
    } finally {
      active -= 1
      waiting.shift()?.()
    }
  }
}
