import { describe, expect, it } from 'vitest'

import { FaultError, FaultInjector, parseFaultSpec, seededRandom, validateFaultSettings } from '../../src/sandbox/faults.js'
import { startSandbox } from '../../src/sandbox/index.js'

describe('FaultInjector', () => {
  it('injects nothing by default', () => {
    const faults = new FaultInjector()
    for (let i = 0; i < 100; i += 1) expect(faults.decide('GET', 'GET /x')).toBeUndefined()
  })

  it('gives the same sequence of faults for the same seed', () => {
    const settings = { rate_429: 0.2, rate_500: 0.1, rate_reset: 0.1, rate_drop: 0.1, seed: 42 }
    const run = () => {
      const faults = new FaultInjector(settings)
      return Array.from({ length: 200 }, () => faults.decide('PUT', 'PUT /x') ?? '-')
    }
    expect(run()).toEqual(run())
    expect(new Set(run())).toEqual(new Set(['throttle', 'error500', 'reset', 'drop', '-']))
  })

  it('injects each kind at about its probability', () => {
    const faults = new FaultInjector({ rate_429: 0.1, rate_503: 0.2, rate_drop: 0.05, seed: 7 })
    const counts: Record<string, number> = {}
    for (let i = 0; i < 20_000; i += 1) {
      const kind = faults.decide('GET', 'GET /x') ?? 'none'
      counts[kind] = (counts[kind] ?? 0) + 1
    }
    expect(counts.throttle! / 20_000).toBeCloseTo(0.1, 1)
    expect(counts.error503! / 20_000).toBeCloseTo(0.2, 1)
    expect(counts.drop! / 20_000).toBeCloseTo(0.05, 1)
    expect(counts.error500).toBeUndefined()
  })

  it('limits random faults to the given methods and routes', () => {
    const faults = new FaultInjector({ rate_500: 1, methods: ['post'], routes: ['/campaigns'] })
    expect(faults.decide('GET', 'GET /api/v1/outbound/campaigns')).toBeUndefined()
    expect(faults.decide('POST', 'POST /api/v1/outbound/batches')).toBeUndefined()
    expect(faults.decide('POST', 'POST /api/v1/outbound/campaigns')).toBe('error500')
  })

  it('serves scheduled faults first, to matching routes only, as many times as asked', () => {
    const faults = new FaultInjector()
    faults.schedule({ fault: 'drop', route: 'POST /api/v1/outbound/campaigns', times: 2 })
    expect(faults.decide('GET', 'GET /api/v1/outbound/campaigns')).toBeUndefined()
    expect(faults.decide('POST', 'POST /api/v1/outbound/campaigns')).toBe('drop')
    expect(faults.decide('POST', 'POST /api/v1/outbound/campaigns')).toBe('drop')
    expect(faults.decide('POST', 'POST /api/v1/outbound/campaigns')).toBeUndefined()
  })

  it('clears back to the defaults', () => {
    const faults = new FaultInjector({ rate_429: 1, latency_ms: 50 })
    faults.schedule({ fault: 'reset' })
    faults.clear()
    expect(faults.current).toMatchObject({ rate_429: 0, latency_ms: 0, scheduled: [] })
  })
})

describe('fault settings', () => {
  it('parses the --faults flag, short names and JSON', () => {
    expect(parseFaultSpec('429=0.1,500=0.05,503=0.05,reset=0.02,drop=0.05,seed=7,retry-after=2')).toEqual({
      rate_429: 0.1,
      rate_500: 0.05,
      rate_503: 0.05,
      rate_reset: 0.02,
      rate_drop: 0.05,
      seed: 7,
      retry_after_seconds: 2,
    })
    expect(parseFaultSpec('{"rate_500": 0.5, "routes": ["/batches"]}')).toEqual({ rate_500: 0.5, routes: ['/batches'] })
    expect(parseFaultSpec('late=0.1,late-ms=200')).toEqual({ rate_late_commit: 0.1, late_commit_ms: 200 })
  })

  it.each([
    ['429=2', /probability between 0 and 1/],
    ['429=0.6,500=0.6', /add up to more than 1/],
    ['bogus=1', /unknown fault setting "bogus"/],
    ['429', /expected NAME=NUMBER/],
    ['seed=1.5', /seed must be an integer/],
    ['{"rate_500": ', /does not parse/],
  ])('refuses %s with a clear message', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(FaultError)
    expect(() => parseFaultSpec(spec)).toThrow(message)
  })

  it('refuses settings that are not an object', () => {
    expect(() => validateFaultSettings([1])).toThrow(/must be an object/)
  })
})

describe('a gateway that gives up first (late_commit)', () => {
  it('answers 504 at once and commits the write late_commit_ms later', async () => {
    const sandbox = await startSandbox({ faults: { late_commit_ms: 150 } })
    try {
      sandbox.faults.schedule({ fault: 'late_commit', route: 'POST /api/v1/outbound/campaigns' })
      const response = await fetch(`${sandbox.url}/api/v1/outbound/campaigns`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'Syllable-API-Key': 'tester@example.com' },
        body: JSON.stringify({ campaign_name: 'Late', campaign_variables: {}, caller_id: null, active_days: [] }),
      })
      expect(response.status).toBe(504)
      expect(Object.keys(sandbox.store.state.syllable.campaigns)).toHaveLength(0)
      const deadline = Date.now() + 5_000
      while (Object.keys(sandbox.store.state.syllable.campaigns).length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      expect(Object.values(sandbox.store.state.syllable.campaigns).map((c) => c.campaign_name)).toEqual(['Late'])
    } finally {
      await sandbox.close()
    }
  })
})

describe('seededRandom', () => {
  it('is uniform enough and in [0, 1)', () => {
    const random = seededRandom(3)
    const values = Array.from({ length: 10_000 }, random)
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...values)).toBeLessThan(1)
    expect(values.reduce((a, b) => a + b, 0) / values.length).toBeCloseTo(0.5, 1)
  })
})
