import type { HttpClient, RetryEvent } from '../http/client.js'
import type { KindName, ProviderType } from './kinds.js'
import type { FieldChange, ResourceChange, Spec } from './plan.js'
import type { Resource } from './resource.js'
import type { RetryPolicy } from './retry-policy.js'

/** One `providers` entry of cac.yaml: the common fields, and the platform's own as its declaration reads them. */
export interface ProviderConfig<Settings = unknown> {
  name: string
  type: ProviderType
  url: string
  apiKey?: string
  /** The environment variable api_key names (for messages that must not show the key). */
  apiKeyVariable?: string
  /** `timeout`: seconds one request may take, connect to last byte (the client's default when absent). */
  timeoutSeconds?: number
  /** `max_response_mb`: the largest answer read, in MiB (the client's default when absent). */
  maxResponseMb?: number
  /** The platform's own settings (e.g. an organisation and workspace), read by its declaration. */
  settings: Settings
}

/** A resource as it exists on the platform. */
export interface LiveResource {
  kind: KindName
  /** The provider name (from cac.yaml). */
  provider: string
  /** The logical identity (campaign_name, batch_id, name). */
  name: string
  address: string
  /** The server id (an integer or a text id, as the platform gives it). */
  id: string | number
  /** Normalised to the file's shape: server-owned fields out, defaults in, canonical forms. */
  spec: Spec
  /** The object as the API returned it (needed to build full-replacement bodies); never saved. */
  raw: unknown
  /** Lifecycle status where the platform has one (e.g. a campaign's `active`, `paused`). */
  status?: string
  /** When it was last changed, as the platform says (ISO 8601). */
  updatedAt?: string
  /** Who last changed it, as the platform says. */
  updatedBy?: string
  /** Who created it, where the platform records that. */
  createdBy?: string
}

/**
 * How much a read fetches: `declared` (the default) fetches details only of what the files
 * declare (enough to plan); `all` fetches the full detail of every live resource (for import).
 */
export type ReadScope = 'declared' | 'all'

export interface PlanOptions {
  /** Allow updating an active campaign (where the platform refuses that) by pausing it, patching, and resuming. */
  pauseToUpdate: boolean
}

/** Why a change cannot go ahead as asked. */
export interface Verdict {
  action: 'blocked' | 'error'
  reason: string
}

/** The pure, per-kind policy the planner applies (platform quirks stay in the provider). */
export interface KindPolicy {
  /** Top-level spec fields that can only be set when the resource is created. */
  createOnly: readonly string[]
  /** Addresses of resources this one needs first (a batch needs its campaign). */
  dependsOn(resource: Resource): string[]
  /** Platform conditions on an update (e.g. a campaign that is active or has ended). */
  assess(input: { live: LiveResource; fields: FieldChange[]; options: PlanOptions }): Verdict | undefined
  /** What the plan should point out about a live resource beyond its changes (see ResourceChange.notice). */
  notice?(input: { live: LiveResource; desired: Spec }): string | undefined
  /**
   * A lifecycle the platform moved outside the files' reach (a campaign cancelled in a console):
   * drift reports it as a difference of `field`, though no file field says so.
   */
  lifecycleDrift?(live: LiveResource): LifecycleDrift | undefined
  /** Why a file could no longer manage this live resource (a campaign that ended or was cancelled), if so. */
  unmanageable?(live: LiveResource): string | undefined
}

/** See KindPolicy.lifecycleDrift. */
export interface LifecycleDrift {
  field: string
  /** What the files imply, in words (e.g. `scheduled, active or paused`). */
  expected: string
  live: string
}

/** What `apply` needs besides the change itself. */
export interface ApplyContext {
  /** The live resource as last read (absent for a create). */
  live?: LiveResource
  /** The server id of another resource, known from the live state or from a create earlier in this run. */
  resolveId(address: string): string | number | undefined
  options: PlanOptions
}

export interface ChangeOutcome {
  /** The server id of the resource after the change. */
  id: string | number
  /** True when a create found the resource already there (after an ambiguous failure) and adopted it. */
  adopted?: boolean
  /** Extra steps taken, for the report (e.g. `paused`, `patched`, `resumed`). */
  steps?: string[]
}

/** What came of work left running after a change: a note, or a warning that needs the user. */
export interface FollowUp {
  address: string
  message: string
  warning: boolean
}

/** One configured platform account (a `providers` entry of cac.yaml), ready to talk to its API. */
export interface Provider {
  readonly name: string
  readonly type: ProviderType
  /** Where requests go, for every output: `sandbox (.cac/sandbox.json)` or the API URL. */
  readonly target: string
  readonly kinds: readonly KindName[]
  policy(kind: KindName): KindPolicy
  /** File spec → the comparable form (defaults in, canonical forms, secrets as presence markers). */
  normaliseDesired(resource: Resource): Spec
  /**
   * Reads every live resource of these kinds from the list endpoints (all pages, fetched
   * concurrently once the page count is known). `declared` lets a provider fetch details only
   * where the list lacks them (a list of summaries).
   */
  readLive(kinds: readonly KindName[], declared: readonly Resource[], scope?: ReadScope): Promise<LiveResource[]>
  /** Re-reads given resources (apply of a saved plan); a missing one maps to undefined. */
  refresh(targets: readonly { kind: KindName; name: string; id?: string | number }[]): Promise<Map<string, LiveResource | undefined>>
  /** Live → the file's spec: minimal (defaults and server-owned fields left out), secrets as `${env:NAME}` placeholders. */
  toFileSpec(live: LiveResource): Spec
  /** Performs one create or update (with any lifecycle steps). */
  apply(change: ResourceChange, context: ApplyContext): Promise<ChangeOutcome>
  /**
   * Waits for work the provider's changes left running (a watch for late copies of a create left
   * in doubt) and says what came of it. Called once the changes are done; bounded.
   */
  settle?(): Promise<FollowUp[]>
  close(): Promise<void>
}

/** How a provider is built: its config, the HTTP client for its API, and how to show its target. */
export interface ProviderFactoryInput<Settings = unknown> {
  config: ProviderConfig<Settings>
  client: HttpClient
  /** The URL the client sends requests to (the embedded sandbox's, or the API's). */
  baseUrl: string
  /** How every output names where requests go (never parsed). */
  target: string
  /** How hard to try again (the CLI's is PRODUCTION_RETRY_POLICY). */
  retry: RetryPolicy
  /** Called on each HTTP retry (for verbose output); never given secrets. */
  onRetry?: (event: RetryEvent) => void
}
