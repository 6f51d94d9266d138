import { promises as fs } from 'node:fs'
import { resolve } from 'node:path'

import { executePlan, type ApplyEvent, type ApplyResult } from '../apply/executor.js'
import { loadEnvironment } from '../config/env-file.js'
import { loadProject } from '../config/load-project.js'
import { Diagnostics } from '../model/diagnostic.js'
import type { Plan, ResourceChange } from '../model/plan.js'
import { isSecretValue } from '../model/secret.js'
import type { KindName } from '../model/kinds.js'
import { checkPlanFileSize, findStaleChanges, parsePlanFile, PlanFileError, type StaleChange } from '../plan/plan-file.js'
import { PlatformError } from '../providers/errors.js'
import type { LiveResource } from '../providers/provider.js'
import { openProviders, providerTargets, type ProviderSession } from '../providers/registry.js'
import { planProject, type PlanOutcome, type PlanRequest } from './plan-project.js'
import { checkSavedPlan, targetDifferences } from './saved-plan-check.js'
import { dependenciesToLookUp, rederivePlan, withRecomputedDependencies } from './saved-plan-rederive.js'

export interface ApplyRequest extends PlanRequest {
  /** A saved plan to apply exactly (refused if it fails this project's checks, or the platform moved since). */
  planFile?: string
  /** Asked before changing anything (not called for a saved plan, or with --auto-approve). */
  confirm: (plan: Plan) => Promise<boolean>
  onEvent?: (event: ApplyEvent) => void
  /** Called with the plan about to be applied (to show it before confirming). */
  onPlan?: (plan: Plan) => void
  /** Called with notes that are not changes (e.g. secrets stood in for the sandbox). */
  onNotes?: (notes: string[]) => void
}

export type ApplyOutcome =
  | { kind: 'invalid'; outcome: Extract<PlanOutcome, { kind: 'invalid' }> }
  /** An `--env` file is unusable (saved-plan path). */
  | { kind: 'config-invalid'; diagnostics: Diagnostics }
  | { kind: 'plan-file-invalid'; file: string; message: string }
  /** A saved plan that does not pass this project's checks (each problem names its change): nothing was sent. */
  | { kind: 'plan-rejected'; file: string; plan: Plan; problems: string[] }
  /** The plan has changes in error: nothing is applied. */
  | { kind: 'refused'; plan: Plan; reason: string }
  /** A saved plan no longer matches the platform. */
  | { kind: 'stale'; plan: Plan; stale: StaleChange[] }
  | { kind: 'declined'; plan: Plan }
  | { kind: 'applied'; plan: Plan; result: ApplyResult }

/**
 * Re-plan (or load a saved plan and check the platform has not moved since), confirm, execute.
 */
export async function applyProject(request: ApplyRequest): Promise<ApplyOutcome> {
  if (request.planFile !== undefined) return applySavedPlan(request, request.planFile)
  const outcome = await planProject(request)
  if (outcome.kind === 'invalid') return { kind: 'invalid', outcome }
  const { plan, live, session } = outcome
  try {
    request.onNotes?.(outcome.notes)
    request.onPlan?.(plan)
    const refusal = refusalReason(plan)
    if (refusal) return { kind: 'refused', plan, reason: refusal }
    if (plan.summary.create + plan.summary.update > 0 && !(await request.confirm(plan))) {
      return { kind: 'declined', plan }
    }
    return { kind: 'applied', plan, result: await execute(plan, live, session, request) }
  } finally {
    await session.close()
  }
}

/**
 * A saved plan is reviewed input: read field by field, bound to its targets, checked against the
 * project's files (resources, secret references, schemas and rules) before any request; then the
 * touched resources are re-read, and what runs is re-derived from the plan's specs and that
 * fresh state. Any failure refuses the whole plan with nothing written.
 */
async function applySavedPlan(request: ApplyRequest, planFile: string): Promise<ApplyOutcome> {
  const read = await readPlanFile(resolve(request.cwd, planFile))
  if (!read.ok) return { kind: 'plan-file-invalid', file: planFile, message: read.message }
  const envDiagnostics = new Diagnostics()
  const env = await loadEnvironment(request.envFiles ?? [], request.env, request.cwd, envDiagnostics)
  if (envDiagnostics.hasErrors) return { kind: 'config-invalid', diagnostics: envDiagnostics }
  let saved
  try {
    saved = parsePlanFile(read.text, env)
  } catch (error) {
    if (error instanceof PlanFileError) return { kind: 'plan-file-invalid', file: planFile, message: error.message }
    throw error
  }
  const { plan } = saved
  request.onPlan?.(plan)
  const refusal = refusalReason(plan)
  if (refusal) return { kind: 'refused', plan, reason: refusal }

  // The project the plan is applied in: its files are what the plan is checked against.
  const load = await loadProject({
    cwd: request.cwd,
    ...(request.configPath !== undefined ? { configPath: request.configPath } : {}),
    env,
    // The plan names the secrets it sends (checked below); the files only say which variables are theirs.
    secretsRequired: false,
  })
  if (load.errorCount > 0 || !load.config) return { kind: 'invalid', outcome: { kind: 'invalid', load } }
  const config = load.config
  const current = providerTargets({
    config,
    names: plan.targets.map((target) => target.provider).filter((name) => config.providers[name] !== undefined),
    cwd: request.cwd,
    forceSandbox: request.forceSandbox,
  })
  const differences = targetDifferences(plan.targets, current, config.displayFile)
  if (differences.length > 0) return { kind: 'refused', plan, reason: differences.join('; ') }
  const problems = checkSavedPlan({ plan, config, resources: load.resources })
  if (problems.length > 0) return { kind: 'plan-rejected', file: planFile, plan, problems }
  const missing = missingSecret(plan)
  if (missing) return { kind: 'refused', plan, reason: missing }

  const session = await openProviders({
    config,
    names: [...new Set(plan.changes.map((change) => change.provider))],
    cwd: request.cwd,
    forceSandbox: request.forceSandbox,
    parallelism: request.parallelism,
    ...(request.timeoutSeconds !== undefined ? { timeoutSeconds: request.timeoutSeconds } : {}),
    ...(request.onRetry ? { onRetry: request.onRetry } : {}),
  })
  try {
    const withDependencies = withRecomputedDependencies(plan, session.providers)
    const identities = new Map<string, RefreshTarget>()
    for (const resource of load.resources) identities.set(resource.address, { kind: resource.kind, name: resource.name })
    for (const change of plan.changes) identities.set(change.address, { kind: change.kind, name: change.name })
    const fresh = await refreshTouched(withDependencies, identities, session)
    const stale = findStaleChanges(withDependencies, fresh)
    if (stale.length > 0) return { kind: 'stale', plan, stale }
    const live = new Map([...fresh].filter((entry): entry is [string, LiveResource] => entry[1] !== undefined))
    // The plan is applied as it was reviewed, with the options it was made with.
    const rederived = rederivePlan({ plan: withDependencies, live, providers: session.providers, options: saved.options })
    if (rederived.problems.length > 0) return { kind: 'plan-rejected', file: planFile, plan, problems: rederived.problems }
    return { kind: 'applied', plan: rederived.plan, result: await execute(rederived.plan, live, session, { ...request, options: saved.options }) }
  } finally {
    await session.close()
  }
}

type RefreshTarget = { kind: KindName; name: string; id?: string | number }

/** The plan file's text, refused by its size before it is read into memory. */
async function readPlanFile(path: string): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
  try {
    const stat = await fs.stat(path)
    if (!stat.isFile()) return { ok: false, message: 'is not a regular file' }
    checkPlanFileSize(stat.size)
    return { ok: true, text: await fs.readFile(path, 'utf8') }
  } catch (error) {
    if (error instanceof PlanFileError) return { ok: false, message: error.message }
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
    return { ok: false, message: missing ? 'does not exist' : 'cannot be read' }
  }
}

/**
 * Re-reads only the resources the plan would change (one provider call each, concurrently), and
 * the resources those changes depend on that the plan does not write (looked up by identity).
 */
async function refreshTouched(
  plan: Plan,
  identities: ReadonlyMap<string, RefreshTarget>,
  session: ProviderSession,
): Promise<Map<string, LiveResource | undefined>> {
  const byProvider = new Map<string, RefreshTarget[]>()
  const add = (provider: string, target: RefreshTarget) => byProvider.set(provider, [...(byProvider.get(provider) ?? []), target])
  for (const change of plan.changes) {
    if (change.action !== 'create' && change.action !== 'update') continue
    add(change.provider, { kind: change.kind, name: change.name, ...(change.liveId !== undefined ? { id: change.liveId } : {}) })
  }
  const providerOf = new Map(plan.changes.map((change) => [change.address, change.provider]))
  for (const address of dependenciesToLookUp(plan)) {
    const identity = identities.get(address)
    const provider = providerOf.get(address) ?? address.slice(0, address.indexOf('/'))
    if (identity && session.providers.has(provider)) add(provider, { kind: identity.kind, name: identity.name })
  }
  const maps = await Promise.all(
    [...byProvider].map(([name, list]) => {
      const provider = session.providers.get(name)!
      return provider.refresh(list).catch((error: unknown) => {
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
