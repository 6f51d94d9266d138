import { kindOf, resourceAddress } from '../platforms.js'
import { Diagnostics, type Diagnostic, type OmittedDiagnostics } from '../model/diagnostic.js'
import type { Resource } from '../model/resource.js'
import { loadDefinitionFile, type DefinitionDocument } from './definitions.js'
import { discoverDefinitionFiles } from './discover-files.js'
import { projectBounds } from './project-bounds.js'
import { SecretValue } from '../model/secret.js'
import { valueAt } from '../model/values.js'
import { displayPath } from './display-path.js'
import { secretPathsOf } from './secret-paths.js'
import { loadEnvironment } from './env-file.js'
import type { Environment } from './interpolate.js'
import { readSourceText } from './source-file.js'
import { loadProjectConfig, type ProjectConfig, type ProviderConfig } from './project-config.js'
import { formatDataPath } from './data-path.js'
import type { DataPath, SourceDocument } from './yaml-source.js'
import { RULES, runRules } from './rules/index.js'
import { boundHeapGrowthWhenLarge, boundYoungGenerationForProject } from './heap-growth.js'

/** Definition files read between two turns of the event loop (see loadProject). */
const FILES_PER_TURN = 16

export interface ProjectLoadOptions {
  cwd: string
  /** `--config FILE`; default `cac.yaml` in `cwd`. */
  configPath?: string
  /** Files or folders to report on; default: the definitions folder of cac.yaml. */
  paths?: readonly string[]
  env: Environment
  /** `--env FILE…`: dotenv files whose variables fill in what the process environment lacks. */
  envFiles?: readonly string[]
  /**
   * Whether a secret's variable must be set, per provider: never for the offline `validate` (a
   * pull request from a fork has no secrets), always for plan/apply against a real API.
   */
  secretsRequired: boolean | ((provider: ProviderConfig) => boolean)
}

export interface ProjectLoad {
  config: ProjectConfig | undefined
  /** The desired resources declared by the files (complete only when there are no errors). */
  resources: Resource[]
  /** The diagnostics kept: at most MAX_DIAGNOSTICS_PER_FILE per file. */
  diagnostics: Diagnostic[]
  /** Per file, the problems beyond that limit: counted (in errorCount and warningCount), not kept. */
  omitted: OmittedDiagnostics[]
  /** The definition files reported on, as shown to the user. */
  files: string[]
  errorCount: number
  warningCount: number
}

/**
 * Files → desired state, in stages: the project file, then each definition file (encoding, YAML,
 * interpolation, shape, schema), then the named rules across all documents. Never throws for bad
 * input; never touches the network.
 */
export async function loadProject(options: ProjectLoadOptions): Promise<ProjectLoad> {
  const diagnostics = new Diagnostics()
  const env = await loadEnvironment(options.envFiles ?? [], options.env, options.cwd, diagnostics)
  const config = await loadProjectConfig({ ...options, env }, diagnostics)
  if (!config) return finish(diagnostics, undefined, [], [], undefined)

  // With PATHs, the whole project is still loaded (a batch may reference a campaign elsewhere),
  // but only the named files are reported on.
  const requested = options.paths && options.paths.length > 0 ? options.paths : undefined
  const scanOptions = { bounds: await projectBounds(config.file, options.cwd) }
  const named = requested ? await discoverDefinitionFiles(requested, options.cwd, scanOptions) : undefined
  for (const path of named?.missing ?? []) diagnostics.error('path', 'no such file or folder', { file: path })
  const folder = await discoverDefinitionFiles([config.definitionsDir], options.cwd, scanOptions)
  const refused = new Map([...folder.refused, ...(named?.refused ?? [])].map((entry) => [entry.path, entry.message]))
  for (const [path, message] of refused) diagnostics.error('file', message, { file: displayPath(path, options.cwd) })
  const universe = [...new Set([...folder.files, ...(named?.files ?? [])])].sort()
  const focus = named ? new Set(named.files.map((file) => displayPath(file, options.cwd))) : undefined

  const documents: DefinitionDocument[] = []
  const shownFiles: string[] = []
  const files = universe.filter((candidate) => candidate !== config.file)
  boundYoungGenerationForProject(files.length)
  for (const [index, path] of files.entries()) {
    // A turn of the event loop now and then: V8 runs part of its garbage collection as tasks there,
    // and a project read in one go (100,000 resources) would otherwise peak 100 MB higher.
    if (index > 0 && index % FILES_PER_TURN === 0) {
      await new Promise<void>((resolve) => setImmediate(resolve))
      boundHeapGrowthWhenLarge()
    }
    const shown = displayPath(path, options.cwd)
    shownFiles.push(shown)
    for (const document of loadDefinitionFile(readSourceText(path), shown, { env }, diagnostics)) documents.push(document)
  }
  runRules(RULES, { project: config, documents }, diagnostics)
  reportUnsetSecrets(config, documents, options.secretsRequired, diagnostics)

  const resources = documents.flatMap((doc): Resource[] => {
    const name = doc.spec[kindOf(doc.kind).identityField]
    if (typeof name !== 'string' || name === '' || doc.provider === undefined) return []
    const start = doc.source.start
    return [
      {
        kind: doc.kind,
        provider: doc.provider,
        name,
        address: resourceAddress(doc.provider, doc.kind, name),
        spec: withSecretValues(doc),
        source: { file: doc.source.file, documentIndex: doc.source.index, line: start.line, column: start.column },
      },
    ]
  })
  if (!focus) return finish(diagnostics, config, resources, shownFiles, undefined)
  // Problems of the project file, of named paths and of no file at all are always reported.
  const isReported = (d: Diagnostic) =>
    d.file === undefined || d.file === config.displayFile || focus.has(d.file) || !shownFiles.includes(d.file)
  return finish(
    diagnostics,
    config,
    resources.filter((resource) => focus.has(resource.source.file)),
    shownFiles.filter((file) => focus.has(file)),
    isReported,
  )
}

/** Unset secret variables are errors where the run needs them (see `secretsRequired`). */
function reportUnsetSecrets(
  config: ProjectConfig,
  documents: readonly DefinitionDocument[],
  required: ProjectLoadOptions['secretsRequired'],
  diagnostics: Diagnostics,
): void {
  if (required === false) return
  const needs = (providerName: string | undefined): boolean => {
    if (required === true) return true
    const provider = providerName === undefined ? undefined : config.providers[providerName]
    return provider === undefined || required(provider)
  }
  const report = (source: SourceDocument, path: DataPath, variable: string) =>
    diagnostics.error(formatDataPath(path), `environment variable ${variable} is not set (or empty) and has no default; this secret is needed to reach the platform`, {
      file: source.file,
      position: source.position(path),
    })
  for (const unset of config.source.unsetSecrets) if (needs(String(unset.path[1]))) report(config.source, unset.path, unset.variable)
  for (const doc of documents) {
    for (const unset of doc.source.unsetSecrets) if (needs(doc.provider)) report(doc.source, unset.path, unset.variable)
  }
}

/**
 * The spec with every secret replaced by a SecretValue (named after its variable), so that no
 * later stage can print it by accident: only request-body builders reveal it.
 */
function withSecretValues(doc: DefinitionDocument): Record<string, unknown> {
  const paths = secretPathsOf(doc)
  if (paths.length === 0) return doc.spec
  const spec = structuredClone(doc.spec)
  for (const path of paths) {
    const record = doc.source.interpolationAt(path)
    const reference = record?.references.length === 1 ? record.references[0] : undefined
    if (!reference) continue // A literal: secret-literal has already reported it.
    const value = valueAt(doc.source.value, path)
    const secret = new SecretValue(reference.name, reference.resolution === 'variable' && typeof value === 'string' ? value : undefined)
    const parent = valueAt({ spec }, path.slice(0, -1)) as Record<string, unknown> | undefined
    if (parent) parent[String(path[path.length - 1])] = secret
  }
  return spec
}

function finish(
  diagnostics: Diagnostics,
  config: ProjectConfig | undefined,
  resources: Resource[],
  files: string[],
  keep: ((d: Diagnostic) => boolean) | undefined,
): ProjectLoad {
  const reported = keep ? diagnostics.sorted().filter(keep) : diagnostics.sorted()
  const omitted = keep ? diagnostics.omitted().filter((entry) => keep({ severity: 'error', file: entry.file, code: '', message: '' })) : diagnostics.omitted()
  const sum = (key: 'errors' | 'warnings') => omitted.reduce((total, entry) => total + entry[key], 0)
  return {
    config,
    resources,
    diagnostics: reported,
    omitted,
    files,
    errorCount: reported.filter((d) => d.severity === 'error').length + sum('errors'),
    warningCount: reported.filter((d) => d.severity === 'warning').length + sum('warnings'),
  }
}
