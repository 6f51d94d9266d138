import { describe, expect, it } from 'vitest'

import { executePlan } from '../../src/apply/executor.js'
import type { ApplyEvent } from '../../src/model/apply-result.js'
import type { Plan, ResourceChange } from '../../src/model/plan.js'
import type { ApplyContext, Provider } from '../../src/model/provider.js'

function change(address: string, action: ResourceChange['action'], dependsOn: string[] = []): ResourceChange {
  return { address, kind: 'SyllableCampaign', provider: 'fake', name: address, action, fields: [], desired: {}, dependsOn }
}

function planOf(changes: ResourceChange[]): Plan {
  return { targets: [], changes, unmanaged: [], summary: { create: 0, update: 0, blocked: 0, error: 0, noop: 0, unmanaged: 0 } }
}

/** A provider that records calls, takes `delayMs`, and fails the addresses in `failing`. */
function fakeProvider(options: { delayMs?: number; failing?: string[] } = {}) {
  const calls: { address: string; resolved: Record<string, string | number | undefined>; at: number }[] = []
  let running = 0
  let maxRunning = 0
  const provider = {
    name: 'fake',
    async apply(c: ResourceChange, context: ApplyContext) {
      running += 1
      maxRunning = Math.max(maxRunning, running)
      const resolved = Object.fromEntries(c.dependsOn.map((d) => [d, context.resolveId(d)]))
      calls.push({ address: c.address, resolved, at: Date.now() })
      await new Promise((r) => setTimeout(r, options.delayMs ?? 5))
      running -= 1
      if (options.failing?.includes(c.address)) throw new Error(`boom on ${c.address}`)
      return { id: `id-of-${c.address}` }
    },
  } as unknown as Provider
  return { provider, calls, maxRunning: () => maxRunning }
}

describe('executePlan', () => {
  it('runs a dependant after its dependency, with the dependency’s new id', async () => {
    const fake = fakeProvider()
    const result = await executePlan(planOf([change('batch', 'create', ['campaign']), change('campaign', 'create')]), {
      providers: new Map([['fake', fake.provider]]),
      live: new Map(),
      options: { pauseToUpdate: false },
      parallelism: 8,
    })
    expect(fake.calls.map((c) => c.address)).toEqual(['campaign', 'batch'])
    expect(fake.calls[1]!.resolved).toEqual({ campaign: 'id-of-campaign' })
    expect(result.succeeded.map((s) => s.change.address)).toEqual(['batch', 'campaign'])
  })

  it('continues independent changes after a failure and skips the failure’s dependants', async () => {
    const fake = fakeProvider({ failing: ['c1'] })
    const events: ApplyEvent['type'][] = []
    const result = await executePlan(
      planOf([change('c1', 'create'), change('b1', 'create', ['c1']), change('c2', 'update'), change('same', 'noop'), change('stuck', 'blocked')]),
      { providers: new Map([['fake', fake.provider]]), live: new Map(), options: { pauseToUpdate: false }, parallelism: 2, onEvent: (e) => events.push(e.type) },
    )
    expect(result.failed).toEqual([{ change: expect.objectContaining({ address: 'c1' }), message: 'boom on c1', cause: 'unknown' }])
    expect(result.skipped).toEqual([{ change: expect.objectContaining({ address: 'b1' }), reason: 'c1 was not applied' }])
    expect(result.succeeded.map((s) => s.change.address)).toEqual(['c2'])
    expect(result.notAttempted.map((c) => c.address)).toEqual(['stuck'])
    expect(result.unchanged).toBe(1)
    expect(events.filter((e) => e === 'skip')).toHaveLength(1)
  })

  it('never has more than `parallelism` changes in flight, and uses them all', async () => {
    const fake = fakeProvider({ delayMs: 20 })
    await executePlan(planOf(Array.from({ length: 20 }, (_, i) => change(`c${i}`, 'update'))), {
      providers: new Map([['fake', fake.provider]]),
      live: new Map(),
      options: { pauseToUpdate: false },
      parallelism: 4,
    })
    expect(fake.calls).toHaveLength(20)
    expect(fake.maxRunning()).toBe(4)
  })

  it('resolves a dependency that needs no change from the live state', async () => {
    const fake = fakeProvider()
    await executePlan(planOf([change('batch', 'create', ['campaign']), { ...change('campaign', 'noop'), liveId: 42 }]), {
      providers: new Map([['fake', fake.provider]]),
      live: new Map(),
      options: { pauseToUpdate: false },
      parallelism: 1,
    })
    expect(fake.calls[0]!.resolved).toEqual({ campaign: 42 })
  })

  describe('when interrupted', () => {
    const run = (changes: ResourceChange[], provider: Provider, signal: AbortSignal, extra: { parallelism?: number; drainTimeoutMs?: number; onEvent?: (e: ApplyEvent) => void } = {}) =>
      executePlan(planOf(changes), {
        providers: new Map([['fake', provider]]),
        live: new Map(),
        options: { pauseToUpdate: false },
        parallelism: extra.parallelism ?? 1,
        signal,
        ...(extra.drainTimeoutMs !== undefined ? { drainTimeoutMs: extra.drainTimeoutMs } : {}),
        ...(extra.onEvent ? { onEvent: extra.onEvent } : {}),
      })

    it('starts nothing new, finishes what is in flight, and lists the rest as not started', async () => {
      const fake = fakeProvider({ delayMs: 30 })
      const controller = new AbortController()
      const changes = Array.from({ length: 6 }, (_, i) => change(`c${i}`, 'update'))
      const result = await run(changes, fake.provider, controller.signal, {
        parallelism: 2,
        onEvent: (event) => {
          if (event.type === 'start' && event.change.address === 'c1') controller.abort()
        },
      })
      // c0 and c1 were both in flight when the abort came: both are finished, nothing else starts.
      expect(fake.calls.map((c) => c.address)).toEqual(['c0', 'c1'])
      expect(result.interrupted).toBe(true)
      expect(result.succeeded.map((s) => s.change.address)).toEqual(['c0', 'c1'])
      expect(result.notStarted).toEqual(
        ['c2', 'c3', 'c4', 'c5'].map((address) => ({ change: expect.objectContaining({ address }), reason: 'not started: the run was interrupted' })),
      )
      expect(result.unfinished).toEqual([])
      expect(result.skipped).toEqual([])
    })

    it('a dependant of a change that was not started is not started either (not skipped)', async () => {
      const fake = fakeProvider({ delayMs: 20 })
      const controller = new AbortController()
      const result = await run(
        [change('a', 'create'), change('b', 'create'), change('batch-of-b', 'create', ['b'])],
        fake.provider,
        controller.signal,
        { onEvent: (event) => event.type === 'start' && controller.abort() },
      )
      expect(result.succeeded.map((s) => s.change.address)).toEqual(['a'])
      expect(result.notStarted.map((n) => n.change.address)).toEqual(['b', 'batch-of-b'])
      expect(result.skipped).toEqual([])
    })

    it('waits for a change in flight no longer than the drain timeout, then reports it as unfinished', async () => {
      const controller = new AbortController()
      let finishHung: () => void = () => undefined
      const events: string[] = []
      const provider = {
        name: 'fake',
        apply: (c: ResourceChange) =>
          c.address === 'hung'
            ? new Promise((resolve) => (finishHung = () => resolve({ id: 1 })))
            : Promise.resolve({ id: 2 }),
      } as unknown as Provider
      const started = Date.now()
      const result = await run([change('hung', 'update'), change('later', 'update')], provider, controller.signal, {
        drainTimeoutMs: 100,
        onEvent: (event) => {
          events.push(`${event.type} ${event.change.address}`)
          if (event.type === 'start') controller.abort()
        },
      })
      expect(Date.now() - started).toBeLessThan(2_000)
      expect(result.unfinished).toEqual([{ change: expect.objectContaining({ address: 'hung' }), reason: expect.stringContaining('outcome is unknown') }])
      expect(result.notStarted.map((n) => n.change.address)).toEqual(['later'])
      // The change that ends after the result was handed back changes nothing and emits nothing.
      finishHung()
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(result.succeeded).toEqual([])
      expect(events).toEqual(['start hung'])
    })

    it('without an interrupt, the result says so', async () => {
      const fake = fakeProvider()
      const result = await run([change('c', 'update')], fake.provider, new AbortController().signal)
      expect(result).toMatchObject({ interrupted: false, notStarted: [], unfinished: [] })
    })
  })
})
