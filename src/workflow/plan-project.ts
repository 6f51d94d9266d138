import { loadProject, type ProjectLoad, type ProjectLoadOptions } from '../config/load-project.js'
import type { ProjectConfig } from '../config/project-config.js'
import type { Environment } from '../config/interpolate.js'
import type { RetryEvent } from '../http/client.js'
import type { LockWait } from '../lock/file-lock.js'
import type { KindName } from '../model/kinds.js'
import type { Plan } from '../model/plan.js'
import type { Resource } from '../model/resource.js'
import type { RetryPolicy } from '../model/retry-policy.js'
import { buildPlan, type DesiredEntry } from '../plan/build-plan.js'
import type { LiveResource, PlanOptions } from '../model/provider.js'
import { readFrom, RunRefusal } from '../model/platform-error.js'
import { didYouMean } from '../config/suggest.js'
import { isSandboxTarget, openProviders, type ProviderSession } from './provider-session.js'
import { standInSandboxSecrets } from './sandbox-secrets.js'
import { addressMatcher } from './target-filter.js'
import { readTelling, type LiveReadListener } from './live-read-progress.js'

export interface PlanRequest {
  cwd: string
  configPath?: string
  env: Environment
  envFiles?: readonly string[]
  /** `--target` globs over addresses. */
  targets?: readonly string[]
  options: PlanOptions
  forceSandbox: boolean
  parallelism: number
  /** `--timeout`: seconds one request may take (overrides the providers' `timeout`). */
  timeoutSeconds?: number
  /** How hard requests and creates are tried again (default: PRODUCTION_RETRY_POLICY; tests shorten it). */
  retry?: RetryPolicy
  onRetry?: (event: RetryEvent) => void
  /** Told how far reading the live state has got (a terminal shows a line meanwhile). */
  onLiveRead?: LiveReadListener
  /** Apply: called once the files are valid, before any provider is opened or live state read (takes the project lock). */
  beforeLiveRead?: (config: ProjectConfig) => Promise<void>
  /** Apply: the embedded sandbox may persist writes, under its state file's lock; plan leaves it read-only. */
  sandboxStateLock?: LockWait
}

export type PlanOutcome =
  /** The files are invalid: nothing was sent. */
  | { kind: 'invalid'; load: ProjectLoad }
  | {
      kind: 'planned'
      plan: Plan
      /** Things the user should know that are not changes (e.g. secrets stood in for the sandbox). */
      notes: string[]
    }

/** A plan made with its providers still open, for the apply that follows (which closes them). */
export type OpenPlan =
  | { kind: 'invalid'; load: ProjectLoad }
  | { kind: 'planned'; load: ProjectLoad; plan: Plan; live: Map<string, LiveResource>; session: ProviderSession; notes: string[] }

/**
 * Files → desired state; APIs → live state; both → Plan. Validates everything before any request
 * and reads live state only from list endpoints; the providers are closed before it returns.
 */
export async function planProject(request: PlanRequest): Promise<PlanOutcome> {
  const outcome = await openPlan(request)
  if (outcome.kind === 'invalid') return outcome
  await outcome.session.close()
  return { kind: 'planned', plan: outcome.plan, notes: outcome.notes }
}

/** planProject, leaving the providers open (only apply uses this, and closes them however it ends). */
export async function openPlan(request: PlanRequest): Promise<OpenPlan> {
  // The embedded sandbox can do without real secrets (it is given generated ones).
  const load = await loadRequestedProject(request, (provider) => !isSandboxTarget(provider, request.forceSandbox))
  if (load.errorCount > 0 || !load.config) return { kind: 'invalid', load }

  const config = load.config
  const isSandbox = (provider: string) => config.providers[provider] !== undefined && isSandboxTarget(config.providers[provider], request.forceSandbox)
  const selected = addressMatcher(request.targets ?? [])
  const stood = standInSandboxSecrets(load.resources.filter((resource) => selected(resource.address)), isSandbox)
  const resources = stood.resources
  const notes = stood.variables.map(
    (variable) => `${variable} is not set: the sandbox is given a generated stand-in secret (a real platform would need the real one)`,
  )
  const providerNames = [...new Set(load.resources.map((resource) => resource.provider))]
  await request.beforeLiveRead?.(config)
  const session = await openSession(request, config, providerNames)
  try {
    const managedKinds = uniqueKinds(resources)
    const liveRead = readTelling(
      [...session.providers.values()].flatMap((provider) => {
        const kinds = managedKinds.filter((m) => m.provider === provider.name).map((m) => m.kind)
        const declared = resources.filter((resource) => resource.provider === provider.name)
        return kinds.length === 0 ? [] : [{ provider: provider.name, read: () => readFrom(provider, provider.readLive(kinds, declared)) }]
      }),
      request.onLiveRead,
    )
    // The desired side is normalised while the lists are on their way.
    const [liveLists, desired] = await Promise.all([liveRead, normaliseDesired(resources, session)])
    const allLive = liveLists.flat()
    if (request.targets && request.targets.length > 0) {
      refuseUnmatchedTargets(request.targets, [...load.resources.map((resource) => resource.address), ...allLive.map((resource) => resource.address)])
    }
    const live = request.targets && request.targets.length > 0 ? allLive.filter((resource) => selected(resource.address)) : allLive
    const plan = buildPlan({
      targets: session.targets,
      desired,
      live,
      managedKinds,
      policy: (provider, kind) => session.providers.get(provider)!.policy(kind),
      options: request.options,
    })
    return { kind: 'planned', load, plan, live: new Map(live.map((resource) => [resource.address, resource])), session, notes }
  } catch (error) {
    await session.close()
    throw error
  }
}

/** How many resources are normalised between two turns of the event loop (answers to the live read are handled in between). */
const NORMALISED_PER_TURN = 500

async function normaliseDesired(resources: readonly Resource[], session: ProviderSession): Promise<DesiredEntry[]> {
  const desired: DesiredEntry[] = []
  for (let start = 0; start < resources.length; start += NORMALISED_PER_TURN) {
    await new Promise<void>((resolve) => setImmediate(resolve))
    for (const resource of resources.slice(start, start + NORMALISED_PER_TURN)) {
      desired.push({ resource, normalised: session.providers.get(resource.provider)!.normaliseDesired(resource) })
    }
  }
  return desired
}

/** A `--target` glob that matches no address is a typo, not "no changes": refused, with the closest address. */
function refuseUnmatchedTargets(globs: readonly string[], addresses: readonly string[]): void {
  const unmatched = globs.filter((glob) => !addresses.some(addressMatcher([glob])))
  if (unmatched.length === 0) return
  const known = [...new Set(addresses)]
  const lines = unmatched.map((glob) => `--target ${quotedGlob(glob)} matches no resource the files declare or the platforms hold${didYouMean(glob, known)}`)
  throw new RunRefusal(lines.join('; '))
}

/** A glob as a message quotes it: cut after 100 characters, so a runaway pattern stays one readable line. */
function quotedGlob(glob: string): string {
  const limit = 100
  return glob.length <= limit ? JSON.stringify(glob) : `${JSON.stringify(glob.slice(0, limit))}… (${glob.length.toLocaleString('en-US')} characters)`
}

/** The project a run's request names (its cac.yaml, environment and --env files), checked. */
export function loadRequestedProject(request: PlanRequest, secretsRequired: ProjectLoadOptions['secretsRequired']): Promise<ProjectLoad> {
  return loadProject({
    cwd: request.cwd,
    ...(request.configPath !== undefined ? { configPath: request.configPath } : {}),
    env: request.env,
    envFiles: request.envFiles ?? [],
    secretsRequired,
  })
}

/** Opens the providers a run uses (the one place a workflow opens them; the caller closes them). */
export function openSession(request: PlanRequest, config: ProjectConfig, providerNames: readonly string[]): Promise<ProviderSession> {
  return openProviders({
    config,
    names: [...new Set(providerNames)],
    cwd: request.cwd,
    forceSandbox: request.forceSandbox,
    parallelism: request.parallelism,
    ...(request.timeoutSeconds !== undefined ? { timeoutSeconds: request.timeoutSeconds } : {}),
    ...(request.retry ? { retry: request.retry } : {}),
    ...(request.onRetry ? { onRetry: request.onRetry } : {}),
    ...(request.sandboxStateLock ? { sandboxStateLock: request.sandboxStateLock } : {}),
  })
}

/** Each provider and kind the resources use, once, in the order first met (a project holds a few of them, over thousands of resources). */
function uniqueKinds(resources: readonly { provider: string; kind: KindName }[]): { provider: string; kind: KindName }[] {
  const kinds: { provider: string; kind: KindName }[] = []
  for (const { provider, kind } of resources) {
    if (!kinds.some((known) => known.provider === provider && known.kind === kind)) kinds.push({ provider, kind })
  }
  return kinds
}
