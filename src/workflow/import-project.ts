import { mkdir, stat, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'

import { displayPath } from '../config/display-path.js'
import type { ProjectLoad } from '../config/load-project.js'
import { SCHEMA_DIR } from '../config/schema-validator.js'
import { readFrom } from '../model/platform-error.js'
import type { LiveResource, Provider } from '../model/provider.js'
import { compareText, DESCEND, isRecord, mapTree } from '../model/values.js'
import { SecretValue } from '../model/secret.js'
import type { Resource } from '../model/resource.js'
import type { ProjectConfig } from '../config/project-config.js'
import { checkSpecs, type SpecToCheck } from '../config/spec-validation.js'
import { kindOf } from '../platforms.js'
import type { ImportReport } from '../model/import-report.js'
import { definitionYaml, fileStem, uniquePaths } from './import-files.js'
import { loadRequestedProject, openSession, type PlanRequest } from './plan-project.js'
import { addressMatcher } from './target-filter.js'

export interface ImportRequest extends PlanRequest {
  /** `--provider NAME…`: only these providers of cac.yaml (default: all). */
  providers: readonly string[]
  /** `--kind KIND…`: only these kinds (default: every kind of each provider). */
  kinds: readonly string[]
  /** `--out DIR`: where files go (default: the definitions folder). */
  outDir?: string
  dryRun: boolean
  /** Overwrite files that exist. */
  force: boolean
  /** `per-resource` (default): a file each; `per-campaign`: a resource and what depends on it (its batches) in one file. */
  layout?: ImportLayout
}

export type ImportLayout = 'per-resource' | 'per-campaign'
export const IMPORT_LAYOUTS: readonly ImportLayout[] = ['per-resource', 'per-campaign']

export type { ImportReport }

export type ImportOutcome = { kind: 'invalid'; load: ProjectLoad } | { kind: 'imported'; report: ImportReport }

const VARIABLE = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g

/**
 * Live resources → definition files, one per resource. Reads every live resource of the chosen
 * providers and kinds (full details: scope "all") through read-only providers; a resource a file
 * already declares is skipped, never duplicated; an existing file is left alone unless `force`.
 */
export async function importProject(request: ImportRequest): Promise<ImportOutcome> {
  const load = await loadRequestedProject(request, false)
  if (load.errorCount > 0 || !load.config) return { kind: 'invalid', load }
  const config = load.config
  const names = Object.keys(config.providers).filter((name) => request.providers.length === 0 || request.providers.includes(name))
  const { sandboxStateLock: _readOnly, ...readOnly } = request
  const session = await openSession(readOnly, config, names)
  const selected = addressMatcher(request.targets ?? [])
  let live: LiveResource[]
  try {
    const lists = await Promise.all(
      [...session.providers.values()].map((provider) => {
        const kinds = provider.kinds.filter((kind) => request.kinds.length === 0 || request.kinds.includes(kind))
        return kinds.length === 0 ? Promise.resolve([]) : readFrom(provider, provider.readLive(kinds, [], 'all'))
      }),
    )
    live = lists.flat().filter((resource) => selected(resource.address)).sort((a, b) => compareText(a.address, b.address) || compareText(String(a.id), String(b.id)))
    const report: ImportReport = { files: [], skipped: [], variables: [] }
    const declared = new Map(load.resources.map((resource) => [resource.address, resource]))
    const count = new Map<string, number>()
    for (const resource of live) count.set(resource.address, (count.get(resource.address) ?? 0) + 1)
    const chosen: Chosen[] = []
    for (const resource of live) {
      const file = declared.get(resource.address)
      if (file) {
        report.skipped.push({ address: resource.address, reason: `declared already in ${file.source.file}:${file.source.line}`, failed: false })
      } else if ((count.get(resource.address) ?? 0) > 1) {
        report.skipped.push({ address: resource.address, reason: `${count.get(resource.address)} live resources share this name (id ${String(resource.id)}); rename all but one on the platform first`, failed: true })
      } else {
        const provider = session.providers.get(resource.provider)!
        const unmanageable = provider.policy(resource.kind).unmanageable?.(resource)
        if (unmanageable) report.skipped.push({ address: resource.address, reason: unmanageable, failed: true })
        else chosen.push({ live: resource, spec: provider.toFileSpec(resource) })
      }
    }
    // Dependencies first (a batch whose campaign is left out says so), then the files' checks, then
    // the dependencies of what the checks left out.
    dropOrphans(chosen, declared, session.providers, report)
    dropUnrepresentable(chosen, config, load.resources, report)
    dropOrphans(chosen, declared, session.providers, report)
    await writeFiles(chosen, request, config.definitionsDir, session.providers, report)
    report.variables = [...new Set(chosen.flatMap(({ spec }) => [...JSON.stringify(spec).matchAll(VARIABLE)].map((match) => match[1]!)))].sort()
    return { kind: 'imported', report }
  } finally {
    await session.close()
  }
}

type Chosen = { live: LiveResource; spec: Record<string, unknown> }

/** What an imported resource needs first (a batch its campaign), by address, from its kind's policy. */
function dependenciesOf(entry: Chosen, providers: ReadonlyMap<string, Provider>): string[] {
  const { live, spec } = entry
  const resource = { kind: live.kind, provider: live.provider, name: live.name, address: live.address, spec, source: { file: '', documentIndex: 0, line: 0, column: 0 } }
  return providers.get(live.provider)!.policy(live.kind).dependsOn(resource)
}

/** The files to write: one per resource, or (per-campaign) one per resource nothing else here depends on first, with its dependents. */
function groupFiles(chosen: readonly Chosen[], layout: ImportLayout, providers: ReadonlyMap<string, Provider>): Chosen[][] {
  if (layout === 'per-resource') return chosen.map((entry) => [entry])
  const byAddress = new Map(chosen.map((entry) => [entry.live.address, entry]))
  const rootOf = (entry: Chosen, seen = new Set<string>()): Chosen => {
    seen.add(entry.live.address)
    const parent = dependenciesOf(entry, providers).map((address) => byAddress.get(address)).find((found) => found && !seen.has(found.live.address))
    return parent ? rootOf(parent, seen) : entry
  }
  const groups = new Map<string, Chosen[]>()
  for (const entry of chosen) {
    const root = rootOf(entry)
    groups.set(root.live.address, [...(groups.get(root.live.address) ?? []), entry])
  }
  return [...groups.entries()].map(([root, entries]) => [...entries.filter((e) => e.live.address === root), ...entries.filter((e) => e.live.address !== root)])
}

async function writeFiles(chosen: Chosen[], request: ImportRequest, definitionsDir: string, providers: ReadonlyMap<string, Provider>, report: ImportReport): Promise<void> {
  const root = request.outDir !== undefined ? resolve(request.cwd, request.outDir) : definitionsDir
  const groups = groupFiles(chosen, request.layout ?? 'per-resource', providers)
  const stems = groups.map(([first]) => join(first!.live.provider, `${kindOf(first!.live.kind).noun}-${fileStem(first!.live.name)}`))
  const paths = uniquePaths(stems).map((path) => join(root, path))
  for (const [i, group] of groups.entries()) {
    const path = paths[i]!
    const shown = displayPath(path, request.cwd)
    const addresses = group.map(({ live }) => live.address)
    if (!request.force && (await stat(path).catch(() => undefined))) {
      for (const address of addresses) report.skipped.push({ address, reason: `${shown} exists (pass --force to overwrite it)`, failed: false })
      continue
    }
    const documents = group.map(({ live, spec }) => {
      const kind = kindOf(live.kind)
      return { kind: live.kind, provider: live.provider, identityField: kind.identityField, spec: withIdentity(spec, kind.identityField, live.name) }
    })
    const text = definitionYaml(documents, path, join(SCHEMA_DIR, 'definition.schema.json'))
    if (!request.dryRun) {
      await mkdir(dirname(path), { recursive: true })
      await writeFile(path, text, { flag: request.force ? 'w' : 'wx' })
    }
    report.files.push({ file: shown, addresses, written: !request.dryRun })
  }
}

/**
 * What the platform holds but a file may not say (a window that starts where it ends, say) would
 * make the files invalid: each imported spec is checked as validate checks files, and skipped with
 * the first problem found. Secrets count as the variables they name, unset.
 */
function dropUnrepresentable(chosen: Chosen[], config: ProjectConfig, resources: readonly Resource[], report: ImportReport): void {
  const specs: SpecToCheck[] = chosen.map(({ live, spec }) => ({ label: live.address, kind: live.kind, provider: live.provider, spec: withSecretReferences(spec) }))
  const alongside: SpecToCheck[] = resources.map((resource) => ({ label: `file ${resource.address}`, kind: resource.kind, provider: resource.provider, spec: resource.spec }))
  const problems = new Map<string, string>()
  for (const problem of checkSpecs(config, specs, [...specs, ...alongside])) if (!problems.has(problem.label)) problems.set(problem.label, problem.message)
  for (let i = chosen.length - 1; i >= 0; i -= 1) {
    const problem = problems.get(chosen[i]!.live.address)
    if (problem === undefined) continue
    report.skipped.push({ address: chosen[i]!.live.address, reason: `a file cannot say what the platform holds: ${problem}`, failed: true })
    chosen.splice(i, 1)
  }
}

function withSecretReferences(spec: Record<string, unknown>): Record<string, unknown> {
  return mapTree(spec, (value) => {
    const variable = typeof value === 'string' ? /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value)?.[1] : undefined
    return variable !== undefined ? new SecretValue(variable, undefined) : DESCEND
  }) as Record<string, unknown>
}

/**
 * A resource whose dependency (a batch's campaign) is neither declared nor imported would make the
 * files invalid: it is skipped too, saying why (repeated until nothing more drops out).
 */
function dropOrphans(chosen: Chosen[], declared: ReadonlyMap<string, unknown>, providers: ReadonlyMap<string, Provider>, report: ImportReport): void {
  for (let changed = true; changed; ) {
    changed = false
    const present = new Set(chosen.map(({ live }) => live.address))
    for (let i = chosen.length - 1; i >= 0; i -= 1) {
      const { live } = chosen[i]!
      const missing = dependenciesOf(chosen[i]!, providers).find((address) => !present.has(address) && !declared.has(address))
      if (missing === undefined) continue
      report.skipped.push({ address: live.address, reason: `it needs ${missing}, which is not imported`, failed: true })
      chosen.splice(i, 1)
      changed = true
    }
  }
}

function withIdentity(spec: Record<string, unknown>, field: string, name: string): Record<string, unknown> {
  return isRecord(spec) && spec[field] !== undefined ? spec : { [field]: name, ...spec }
}
