import type { ProjectLoad } from '../config/load-project.js'
import { fieldLines } from '../config/field-lines.js'
import type { ProjectConfig } from '../config/project-config.js'
import type { DriftReport } from '../model/drift.js'
import type { Resource } from '../model/resource.js'
import { buildDrift, type IgnoreRule } from '../plan/drift.js'
import { platformOf } from '../platforms.js'
import { openPlan, type PlanRequest } from './plan-project.js'
import { addressMatcher } from './target-filter.js'

export interface DriftRequest extends PlanRequest {
  /** `--ignore ADDRESS_GLOB:FIELD_PATH` patterns, on top of cac.yaml's `drift.ignore`. */
  ignore: readonly string[]
}

export type DriftOutcome =
  | { kind: 'invalid'; load: ProjectLoad }
  | { kind: 'reported'; report: DriftReport; notes: string[] }

/**
 * Files and live state, read as drift. It plans with providers that can only read (the plan
 * session's HTTP clients refuse anything but GET and HEAD before a byte is sent), and closes them.
 */
export async function driftProject(request: DriftRequest): Promise<DriftOutcome> {
  const { sandboxStateLock: _never, beforeLiveRead: _none, ...readOnly } = request
  const outcome = await openPlan(readOnly)
  if (outcome.kind === 'invalid') return outcome
  try {
    const config = outcome.load.config!
    const report = buildDrift({
      plan: outcome.plan,
      live: outcome.live,
      actors: actorsOf(config),
      ignore: [...config.driftIgnore, ...request.ignore].map(ignoreRule),
      lifecycle: (provider, kind, live) => outcome.session.providers.get(provider)?.policy(kind).lifecycleDrift?.(live),
    })
    await locateFields(report, outcome.load.resources, request.cwd)
    return { kind: 'reported', report, notes: outcome.notes }
  } finally {
    await outcome.session.close()
  }
}

/** Gives each difference the line its field is declared on (annotations point at it). */
async function locateFields(report: DriftReport, resources: readonly Resource[], cwd: string): Promise<void> {
  const declared = new Map(resources.map((resource) => [resource.address, resource]))
  const located = report.entries.flatMap((entry) => {
    const resource = declared.get(entry.address)
    return resource ? entry.fields.map((field) => ({ field, source: resource.source, path: field.path })) : []
  })
  const lines = fieldLines(cwd, located)
  located.forEach(({ field }, i) => {
    const line = lines[i]
    if (line !== undefined) field.line = line
  })
}

/** The identity each provider's platform records for cac, where cac.yaml names it. */
function actorsOf(config: ProjectConfig): Map<string, string> {
  const actors = new Map<string, string>()
  for (const provider of Object.values(config.providers)) {
    const actor = platformOf(provider.type).actorOf?.(provider.settings as never)
    if (actor !== undefined && actor !== '') actors.set(provider.name, actor)
  }
  return actors
}

/** `ADDRESS_GLOB:FIELD_PATH` (split at the last colon: names may hold one): the field, or anything below it. */
export function ignoreRule(text: string): IgnoreRule {
  const at = text.lastIndexOf(':')
  const address = addressMatcher([at > 0 ? text.slice(0, at) : text])
  const field = at > 0 ? text.slice(at + 1) : ''
  return {
    text,
    matches: (candidate, path) =>
      address(candidate) && (path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`)),
  }
}
