/** Per-route request counters: what a command actually sent, for tests and benchmarks. */
export interface RouteCounter {
  /** Requests received on this route (faulted ones included). */
  count: number
  /** Responses by status code; `reset` and `dropped` for connections closed without a response. */
  outcomes: Record<string, number>
}

export interface CounterSnapshot {
  total: number
  /** Keyed by "METHOD /route/template", e.g. "PUT /api/v1/outbound/campaigns/{campaign_id}". */
  routes: Record<string, RouteCounter>
}

export class RequestCounters {
  private routes = new Map<string, RouteCounter>()
  private total = 0

  record(routeKey: string, outcome: string): void {
    let counter = this.routes.get(routeKey)
    if (!counter) {
      counter = { count: 0, outcomes: {} }
      this.routes.set(routeKey, counter)
    }
    counter.count += 1
    counter.outcomes[outcome] = (counter.outcomes[outcome] ?? 0) + 1
    this.total += 1
  }

  snapshot(): CounterSnapshot {
    const routes: Record<string, RouteCounter> = {}
    for (const key of [...this.routes.keys()].sort()) {
      const counter = this.routes.get(key)!
      routes[key] = { count: counter.count, outcomes: { ...counter.outcomes } }
    }
    return { total: this.total, routes }
  }

  /** Requests that may change state (everything but GET/HEAD/OPTIONS). */
  writes(): number {
    let n = 0
    for (const [key, counter] of this.routes) if (!/^(GET|HEAD|OPTIONS) /.test(key)) n += counter.count
    return n
  }

  reset(): void {
    this.routes = new Map()
    this.total = 0
  }
}
