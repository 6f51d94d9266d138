import { compareText } from '../model/diagnostic.js'
import type { Plan, ResourceChange } from '../model/plan.js'
import type { ApplyOutcome, LiveResource, PlanOptions, Provider } from '../providers/provider.js'

/** What happens during apply, in order, for renderers (progress on a terminal, a line per change otherwise). */
export type ApplyEvent =
  | { type: 'start'; change: ResourceChange }
  | { type: 'success'; change: ResourceChange; outcome: ApplyOutcome; durationMs: number }
  | { type: 'failure'; change: ResourceChange; message: string; durationMs: number }
  | { type: 'skip'; change: ResourceChange; reason: string }

export interface ApplyResult {
  succeeded: { change: ResourceChange; outcome: ApplyOutcome }[]
  failed: { change: ResourceChange; message: string }[]
  skipped: { change: ResourceChange; reason: string }[]
  /** Changes the plan could not make (blocked, error): not attempted. */
  notAttempted: ResourceChange[]
  unchanged: number
  /** Wall time of the execution (planning and confirmation excluded). */
  durationMs: number
}

export interface ExecuteOptions {
  providers: ReadonlyMap<string, Provider>
  /** Live resources by address (from planning, or re-read for a saved plan). */
  live: ReadonlyMap<string, LiveResource>
  options: PlanOptions
  /** Changes in flight at once (independent ones run concurrently). */
  parallelism: number
  onEvent?: (event: ApplyEvent) => void
}

/**
 * Executes a plan: each create or update once its dependencies are done (a batch after its
 * campaign, using the campaign's new id), independent ones concurrently up to `parallelism`.
 * A failure does not stop independent changes; its dependants are skipped. Never prints.
 */
export async function executePlan(plan: Plan, execute: ExecuteOptions): Promise<ApplyResult> {
  const result: ApplyResult = {
    succeeded: [],
    failed: [],
    skipped: [],
    notAttempted: plan.changes.filter((c) => c.action === 'blocked' || c.action === 'error'),
    unchanged: plan.changes.filter((c) => c.action === 'noop').length,
    durationMs: 0,
  }
  const started = performance.now()
  const work = plan.changes.filter((c) => c.action === 'create' || c.action === 'update')
  const planned = new Map(plan.changes.map((c) => [c.address, c]))
  const outcomes = new Map<string, ApplyOutcome>()
  const finished = new Map<string, Promise<boolean>>()
  const emit = (event: ApplyEvent) => execute.onEvent?.(event)
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
          const reason = `${dependency} was not applied`
          result.skipped.push({ change, reason })
          emit({ type: 'skip', change, reason })
          return false
        }
      }
      const provider = execute.providers.get(change.provider)
      if (!provider) throw new Error(`no provider named ${change.provider}`)
      return limit(async () => {
        emit({ type: 'start', change })
        const started = Date.now()
        try {
          const live = execute.live.get(change.address)
          const outcome = await provider.apply(change, { ...(live ? { live } : {}), resolveId, options: execute.options })
          outcomes.set(change.address, outcome)
          result.succeeded.push({ change, outcome })
          emit({ type: 'success', change, outcome, durationMs: Date.now() - started })
          return true
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error)
          result.failed.push({ change, message })
          emit({ type: 'failure', change, message, durationMs: Date.now() - started })
          return false
        }
      })
    })()
    finished.set(change.address, promise)
    return promise
  }

  await Promise.all(work.map(run))
  result.durationMs = performance.now() - started
  const byAddress = (a: { change: ResourceChange }, b: { change: ResourceChange }) => compareText(a.change.address, b.change.address)
  result.succeeded.sort(byAddress)
  result.failed.sort(byAddress)
  result.skipped.sort(byAddress)
  return result
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
