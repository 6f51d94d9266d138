import { KINDS } from '../model/kinds.js'
import { Diagnostics, type Diagnostic } from '../model/diagnostic.js'
import { resourceAddress, type Resource } from '../model/resource.js'
import { loadDefinitionFile, type DefinitionDocument } from './definitions.js'
import { discoverDefinitionFiles } from './discover-files.js'
import { displayPath } from './display-path.js'
import { loadEnvironment } from './env-file.js'
import type { Environment } from './interpolate.js'
import { loadProjectConfig, type ProjectConfig } from './project-config.js'
import { RULES, runRules } from './rules/index.js'

export interface ProjectLoadOptions {
  cwd: string
  /** `--config FILE`; default `cac.yaml` in `cwd`. */
  configPath?: string
  /** Files or folders to report on; default: the definitions folder of cac.yaml. */
  paths?: readonly string[]
  env: Environment
  /** `--env FILE…`: dotenv files whose variables fill in what the process environment lacks. */
  envFiles?: readonly string[]
  /** False for the offline `validate` (unset secret variables are not reported); true for plan/apply. */
  secretsRequired: boolean
}

export interface ProjectLoad {
  config: ProjectConfig | undefined
  /** The desired resources declared by the files (complete only when there are no errors). */
  resources: Resource[]
  diagnostics: Diagnostic[]
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
  const named = requested ? await discoverDefinitionFiles(requested, options.cwd) : undefined
  for (const path of named?.missing ?? []) diagnostics.error('path', 'no such file or folder', { file: path })
  const folder = await discoverDefinitionFiles([config.definitionsDir], options.cwd)
  const universe = [...new Set([...folder.files, ...(named?.files ?? [])])].sort()
  const focus = named ? new Set(named.files.map((file) => displayPath(file, options.cwd))) : undefined

  const documents: DefinitionDocument[] = []
  const shownFiles: string[] = []
  for (const file of universe.filter((candidate) => candidate !== config.file)) {
    const shown = displayPath(file, options.cwd)
    shownFiles.push(shown)
    documents.push(
      ...(await loadDefinitionFile(file, shown, { env, secretsRequired: options.secretsRequired }, diagnostics)),
    )
  }
  runRules(RULES, { project: config, documents, secretsRequired: options.secretsRequired }, diagnostics)

  const resources = documents.flatMap((doc): Resource[] => {
    const name = doc.spec[KINDS[doc.kind].identityField]
    if (typeof name !== 'string' || name === '' || doc.provider === undefined) return []
    const start = doc.source.start
    return [
      {
        kind: doc.kind,
        provider: doc.provider,
        name,
        address: resourceAddress(doc.provider, doc.kind, name),
        spec: doc.spec,
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

function finish(
  diagnostics: Diagnostics,
  config: ProjectConfig | undefined,
  resources: Resource[],
  files: string[],
  keep: ((d: Diagnostic) => boolean) | undefined,
): ProjectLoad {
  const reported = keep ? diagnostics.sorted().filter(keep) : diagnostics.sorted()
  return {
    config,
    resources,
    diagnostics: reported,
    files,
    errorCount: reported.filter((d) => d.severity === 'error').length,
    warningCount: reported.filter((d) => d.severity === 'warning').length,
  }
}
