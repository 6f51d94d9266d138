import type { SandboxClock } from './clock.js'
import type { RequestCounters } from './counters.js'
import { FaultError, validateFaultSettings, type FaultInjector, type ScheduledFault } from './faults.js'
import { ApiError, ok, type RouteDefinition } from './http-kit.js'
import type { SandboxStore } from './store.js'

/** Reserved path of the control API; never part of either platform's API, never counted or faulted. */
export const CONTROL_PREFIX = '/__sandbox'

export interface ControlContext {
  store: SandboxStore
  clock: SandboxClock
  faults: FaultInjector
  counters: RequestCounters
}

const badRequest = (error: unknown): never => {
  throw new ApiError(400, error instanceof Error ? error.message : String(error))
}

/** Runs a change to the fault settings; a FaultError becomes a 400 with its message. */
const changeFaults = (change: () => void): void => {
  try {
    change()
  } catch (error) {
    if (error instanceof FaultError) badRequest(error)
    throw error
  }
}

const object = (body: unknown): Record<string, unknown> => {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'expected a JSON object body')
  return body as Record<string, unknown>
}

/** The JSON control API: health, faults, counters, clock, state reset. */
export const controlRoutes: RouteDefinition<ControlContext>[] = [
  {
    method: 'GET',
    template: `${CONTROL_PREFIX}/health`,
    handler: (_request, { store, clock }) =>
      ok({ status: 'ok', state_file: store.path ?? null, now: clock.nowIso(), clock_frozen: clock.frozen }),
  },
  {
    method: 'GET',
    template: `${CONTROL_PREFIX}/faults`,
    handler: (_request, { faults }) => ok(faults.current),
  },
  {
    method: 'PATCH',
    template: `${CONTROL_PREFIX}/faults`,
    handler: (request, { faults }) => {
      changeFaults(() => faults.update(validateFaultSettings(object(request.body))))
      return ok(faults.current)
    },
  },
  {
    method: 'PUT',
    template: `${CONTROL_PREFIX}/faults`,
    handler: (request, { faults }) => {
      changeFaults(() => {
        const settings = validateFaultSettings(object(request.body))
        faults.clear()
        faults.update(settings)
      })
      return ok(faults.current)
    },
  },
  {
    method: 'DELETE',
    template: `${CONTROL_PREFIX}/faults`,
    handler: (_request, { faults }) => {
      faults.clear()
      return ok(faults.current)
    },
  },
  {
    method: 'POST',
    template: `${CONTROL_PREFIX}/faults/schedule`,
    handler: (request, { faults }) => {
      changeFaults(() => faults.schedule(object(request.body) as unknown as ScheduledFault))
      return ok(faults.current)
    },
  },
  {
    method: 'GET',
    template: `${CONTROL_PREFIX}/counters`,
    handler: (_request, { counters }) => ok(counters.snapshot()),
  },
  {
    method: 'DELETE',
    template: `${CONTROL_PREFIX}/counters`,
    handler: (_request, { counters }) => {
      counters.reset()
      return ok(counters.snapshot())
    },
  },
  {
    method: 'GET',
    template: `${CONTROL_PREFIX}/clock`,
    handler: (_request, { clock }) => ok({ now: clock.nowIso(), frozen: clock.frozen }),
  },
  {
    method: 'PUT',
    template: `${CONTROL_PREFIX}/clock`,
    handler: (request, { clock }) => {
      const body = object(request.body)
      if ('advance_seconds' in body) {
        if (typeof body.advance_seconds !== 'number' || !Number.isFinite(body.advance_seconds)) badRequest('advance_seconds must be a number')
        clock.advance(body.advance_seconds as number)
      } else if ('now' in body) {
        if (body.now !== null && typeof body.now !== 'string') badRequest('now must be an ISO 8601 instant or null')
        try {
          clock.set(body.now === null ? undefined : (body.now as string))
        } catch (error) {
          badRequest(error)
        }
      } else {
        badRequest('send {"now": "<instant>"}, {"now": null} (real time) or {"advance_seconds": <n>}')
      }
      return ok({ now: clock.nowIso(), frozen: clock.frozen })
    },
  },
  {
    method: 'GET',
    template: `${CONTROL_PREFIX}/state`,
    handler: (_request, { store }) => ok(store.state),
  },
  {
    method: 'POST',
    template: `${CONTROL_PREFIX}/reset`,
    handler: async (_request, { store }) => {
      await store.reset()
      return ok({ status: 'reset' })
    },
  },
]
