/**
 * Fault injection: the emulator can be slow, throttle, fail, drop connections, or commit a write
 * and then drop its response — the failures a real network and a real API produce, on demand and
 * repeatably (a seeded generator decides, request by request, in arrival order).
 */
export type FaultKind = 'throttle' | 'error500' | 'error503' | 'reset' | 'drop' | 'late_commit'

export const FAULT_KINDS: readonly FaultKind[] = ['throttle', 'error500', 'error503', 'reset', 'drop', 'late_commit']

export interface FaultSettings {
  /** Added before every API request is handled, in milliseconds. */
  latency_ms: number
  /** Probability (0–1) of 429 Too Many Requests with a Retry-After header. */
  rate_429: number
  /** Probability of 500 Internal Server Error (nothing is changed). */
  rate_500: number
  /** Probability of 503 Service Unavailable (nothing is changed). */
  rate_503: number
  /** Probability of the connection being reset before the request is handled (nothing is changed). */
  rate_reset: number
  /** Probability of the request being handled (a write is committed) and the connection then dropped without a response. */
  rate_drop: number
  /**
   * Probability of a gateway timeout: a 504 is answered at once, and the platform behind the
   * gateway still handles the request (a write is committed) `late_commit_ms` later.
   */
  rate_late_commit: number
  /** How long after its 504 a `late_commit` request is handled, in milliseconds. */
  late_commit_ms: number
  /** Seconds sent in Retry-After with a 429. */
  retry_after_seconds: number
  /** Seed of the generator; the same seed and the same requests give the same faults. */
  seed: number
  /** Only requests with these methods get random faults (empty: all). */
  methods: string[]
  /** Only routes whose "METHOD /template" contains one of these strings get random faults (empty: all). */
  routes: string[]
}

/** A fault for the next request that matches, used once (deterministic tests). */
export interface ScheduledFault {
  fault: FaultKind
  /** Matched against "METHOD /route/template" as a substring; empty matches every request. */
  route?: string
  /** How many matching requests get this fault (default 1). */
  times?: number
}

export const DEFAULT_FAULTS: FaultSettings = {
  latency_ms: 0,
  rate_429: 0,
  rate_500: 0,
  rate_503: 0,
  rate_reset: 0,
  rate_drop: 0,
  rate_late_commit: 0,
  late_commit_ms: 1500,
  retry_after_seconds: 1,
  seed: 1,
  methods: [],
  routes: [],
}

export class FaultError extends Error {}

/** Holds the current settings and scheduled faults, and decides the fault of each request. */
export class FaultInjector {
  private settings: FaultSettings = { ...DEFAULT_FAULTS }
  private random: () => number = seededRandom(DEFAULT_FAULTS.seed)
  private scheduled: Required<ScheduledFault>[] = []

  constructor(settings: Partial<FaultSettings> = {}) {
    this.update(settings)
  }

  get current(): FaultSettings & { scheduled: Required<ScheduledFault>[] } {
    return { ...this.settings, scheduled: this.scheduled.map((s) => ({ ...s })) }
  }

  /** Changes some settings (validated); a new seed restarts the sequence. */
  update(changes: Partial<FaultSettings>): void {
    const next = { ...this.settings, ...validateFaultSettings(changes) }
    const reseed = changes.seed !== undefined
    this.settings = next
    if (reseed) this.random = seededRandom(next.seed)
  }

  /** Back to no faults, the default seed, and nothing scheduled. */
  clear(): void {
    this.settings = { ...DEFAULT_FAULTS }
    this.random = seededRandom(DEFAULT_FAULTS.seed)
    this.scheduled = []
  }

  schedule(fault: ScheduledFault): void {
    if (!FAULT_KINDS.includes(fault.fault)) throw new FaultError(`unknown fault ${JSON.stringify(fault.fault)}; one of ${FAULT_KINDS.join(', ')}`)
    const times = fault.times ?? 1
    if (!Number.isInteger(times) || times < 1) throw new FaultError('times must be a whole number ≥ 1')
    this.scheduled.push({ fault: fault.fault, route: fault.route ?? '', times })
  }

  get latencyMs(): number {
    return this.settings.latency_ms
  }

  get retryAfterSeconds(): number {
    return this.settings.retry_after_seconds
  }

  get lateCommitMs(): number {
    return this.settings.late_commit_ms
  }

  /** The fault for a request to `routeKey` ("METHOD /template"), or undefined. */
  decide(method: string, routeKey: string): FaultKind | undefined {
    const scheduledIndex = this.scheduled.findIndex((s) => routeKey.includes(s.route))
    if (scheduledIndex !== -1) {
      const entry = this.scheduled[scheduledIndex]!
      entry.times -= 1
      if (entry.times === 0) this.scheduled.splice(scheduledIndex, 1)
      return entry.fault
    }
    const s = this.settings
    if (s.methods.length > 0 && !s.methods.includes(method)) return undefined
    if (s.routes.length > 0 && !s.routes.some((route) => routeKey.includes(route))) return undefined
    const total = s.rate_429 + s.rate_500 + s.rate_503 + s.rate_reset + s.rate_drop + s.rate_late_commit
    if (total === 0) return undefined
    let roll = this.random()
    for (const [kind, rate] of [
      ['throttle', s.rate_429],
      ['error500', s.rate_500],
      ['error503', s.rate_503],
      ['reset', s.rate_reset],
      ['drop', s.rate_drop],
      ['late_commit', s.rate_late_commit],
    ] as const) {
      if (roll < rate) return kind
      roll -= rate
    }
    return undefined
  }
}

const RATE_KEYS = ['rate_429', 'rate_500', 'rate_503', 'rate_reset', 'rate_drop', 'rate_late_commit'] as const

/** Checks a partial settings object (from flags or the control API); throws FaultError with a clear message. */
export function validateFaultSettings(input: unknown): Partial<FaultSettings> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new FaultError('fault settings must be an object')
  const out: Partial<FaultSettings> = {}
  for (const [key, value] of Object.entries(input)) {
    if ((RATE_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new FaultError(`${key} must be a probability between 0 and 1`)
      out[key as (typeof RATE_KEYS)[number]] = value
    } else if (key === 'latency_ms' || key === 'retry_after_seconds' || key === 'late_commit_ms') {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new FaultError(`${key} must be a number ≥ 0`)
      out[key] = value
    } else if (key === 'seed') {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw new FaultError('seed must be an integer')
      out.seed = value
    } else if (key === 'methods' || key === 'routes') {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new FaultError(`${key} must be a list of strings`)
      out[key] = key === 'methods' ? value.map((v: string) => v.toUpperCase()) : [...(value as string[])]
    } else {
      throw new FaultError(`unknown fault setting ${JSON.stringify(key)}`)
    }
  }
  const sum = RATE_KEYS.reduce((total, key) => total + (out[key] ?? 0), 0)
  if (sum > 1 + 1e-9) throw new FaultError('the fault probabilities add up to more than 1')
  return out
}

const SPEC_ALIASES: Record<string, keyof FaultSettings> = {
  '429': 'rate_429',
  '500': 'rate_500',
  '503': 'rate_503',
  reset: 'rate_reset',
  drop: 'rate_drop',
  late: 'rate_late_commit',
  'late-ms': 'late_commit_ms',
  latency: 'latency_ms',
  'retry-after': 'retry_after_seconds',
  seed: 'seed',
}

/**
 * Parses the `--faults` flag: `429=0.1,500=0.05,503=0.05,reset=0.02,drop=0.05,late=0.05,late-ms=1500,seed=7,retry-after=1`
 * (or the same settings as a JSON object).
 */
export function parseFaultSpec(spec: string): Partial<FaultSettings> {
  const trimmed = spec.trim()
  if (trimmed.startsWith('{')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(trimmed)
    } catch {
      throw new FaultError('--faults looks like JSON but does not parse')
    }
    return validateFaultSettings(parsed)
  }
  const settings: Record<string, number> = {}
  for (const part of trimmed.split(',').filter((p) => p.trim() !== '')) {
    const [rawKey, rawValue] = part.split('=').map((s) => s.trim())
    const key = SPEC_ALIASES[rawKey ?? ''] ?? (rawKey as keyof FaultSettings)
    const value = Number(rawValue)
    if (rawValue === undefined || rawValue === '' || Number.isNaN(value)) {
      throw new FaultError(`--faults: expected NAME=NUMBER, got ${JSON.stringify(part)} (names: ${Object.keys(SPEC_ALIASES).join(', ')})`)
    }
    settings[key] = value
  }
  return validateFaultSettings(settings)
}

/** A small, fast, seedable generator (mulberry32); uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
