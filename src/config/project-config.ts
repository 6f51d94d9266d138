import { promises as fs } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

import type { Diagnostics } from '../model/diagnostic.js'
import { PROJECT_SECRET_PATHS, isSecretPath } from '../model/kinds.js'
import type { ProviderConfig } from '../model/provider.js'
import { knownSecrets } from '../model/secret-scrubber.js'
import { textField } from '../model/values.js'
import { isProviderType, platformOf } from '../platforms.js'
import { displayPath } from './display-path.js'
import { placeOf, projectBounds } from './project-bounds.js'
import { checkDocumentSize } from './document-size.js'
import type { Environment } from './interpolate.js'
import { prepareDocument } from './prepare-document.js'
import { reportSchemaErrors } from './schema-messages.js'
import { schemaErrors, schemaValidators } from './schema-validator.js'
import { readSourceText } from './source-file.js'
import { loadPlainDocuments, type PlainDocument } from './plain-yaml.js'
import { ParsedDocument, parseYamlDocuments, type DataPath, type SourceDocument } from './yaml-source.js'

export const PROJECT_FILE_NAME = 'cac.yaml'
export const DEFAULT_DEFINITIONS_FOLDER = 'campaigns'

export type { ProviderConfig } from '../model/provider.js'

/** The embedded sandbox (providers whose url is `sandbox`). */
export interface SandboxConfig {
  /** Absolute path of its state file. */
  statePath: string
  /** Freeze its clock at this instant (ISO 8601), or use real time. */
  now?: string
}

export const DEFAULT_SANDBOX_STATE = '.cac/sandbox.json'

export interface ProjectConfig {
  /** Absolute path of cac.yaml, and how to show it. */
  file: string
  displayFile: string
  /** Absolute path of the definitions folder (inside the project: see project-bounds.ts). */
  definitionsDir: string
  providers: Record<string, ProviderConfig>
  sandbox: SandboxConfig
  /** `drift.ignore`: ADDRESS_GLOB:FIELD_PATH patterns of known noise. */
  driftIgnore: string[]
  /** The parsed document, kept so rules can point at its lines. */
  source: SourceDocument
}

export interface ProjectConfigOptions {
  cwd: string
  /** `--config`: an explicit path to the project file. */
  configPath?: string
  env: Environment
}

/**
 * Finds, parses and checks `cac.yaml`. Every problem becomes a diagnostic; the config is returned
 * only when it is sound enough for definitions to be checked against it.
 */
export async function loadProjectConfig(
  options: ProjectConfigOptions,
  diagnostics: Diagnostics,
): Promise<ProjectConfig | undefined> {
  const file = options.configPath !== undefined ? resolve(options.cwd, options.configPath) : await findProjectFile(options.cwd)
  const shown = displayPath(file, options.cwd)
  const read = readSourceText(file)
  if (!read.ok) {
    if (read.message === 'file does not exist') {
      diagnostics.error(
        'config',
        options.configPath
          ? `project file not found (--config ${options.configPath})`
          : `no ${PROJECT_FILE_NAME} in ${displayPath(options.cwd, options.cwd) === '.' ? 'the working directory' : options.cwd} or the folders above it (up to the repository root); ` +
              'create one (see the README) or pass --config FILE',
        { file: shown },
      )
    } else {
      diagnostics.error('config', read.message, { file: shown, ...(read.position ? { position: read.position } : {}) })
    }
    return undefined
  }
  const isSecret = (path: DataPath) => isSecretPath(path, PROJECT_SECRET_PATHS)
  const documents: (PlainDocument | ParsedDocument)[] =
    loadPlainDocuments(shown, read.text, { env: options.env, secretPathsOf: () => isSecret }) ??
    parseYamlDocuments(shown, read.text, diagnostics).filter((doc) => !doc.isEmpty)
  if (diagnostics.hasErrorsIn(shown)) return undefined
  if (documents.length === 0) {
    diagnostics.error('config', `${PROJECT_FILE_NAME} is empty; it must declare at least "providers"`, {
      file: shown,
      position: { line: 1, column: 1 },
    })
    return undefined
  }
  if (documents.length > 1) {
    diagnostics.error('config', `${PROJECT_FILE_NAME} must hold a single YAML document; found ${documents.length}`, {
      file: shown,
      position: documents[1]!.start,
    })
    return undefined
  }
  const source = documents[0]!
  const prepared = source instanceof ParsedDocument ? prepareDocument(source, { env: options.env, isSecret, diagnostics }) : source
  if (!prepared || !checkDocumentSize(source, diagnostics)) return undefined
  const value = source.value
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    diagnostics.error('config', `${PROJECT_FILE_NAME} must be a mapping with "definitions" and "providers"`, {
      file: shown,
      position: source.start,
    })
    return undefined
  }
  const errors = schemaErrors(schemaValidators().project, value)
  reportSchemaErrors(errors, value, source, diagnostics, {
    isSensitive: (path) => isSecretPath(path, PROJECT_SECRET_PATHS),
    isExplained: (path) => prepared.isExplained(path),
  })

  // Carry on with what is usable even when the schema failed, so definitions are still checked.
  const raw = value as { definitions?: unknown; providers?: unknown }
  const definitions = typeof raw.definitions === 'string' && raw.definitions !== '' ? raw.definitions : DEFAULT_DEFINITIONS_FOLDER
  const definitionsDir = resolve(dirname(file), definitions)
  const place = await placeOf(definitionsDir, await projectBounds(file, options.cwd))
  if (place !== 'inside') {
    diagnostics.error(
      'definitions',
      `definitions folder ${JSON.stringify(definitions)} is outside the project${place === 'outside' ? '' : ' (through a symbolic link)'}; ` +
        `name a folder inside the one holding ${PROJECT_FILE_NAME} (or inside the working directory)`,
      { file: shown, position: source.position(['definitions']) },
    )
    return undefined // Nothing outside the project is scanned.
  }
  const folder = await fs.stat(definitionsDir).catch(() => undefined)
  if (!folder?.isDirectory()) {
    diagnostics.error(
      'definitions',
      `definitions folder ${JSON.stringify(definitions)} ${folder ? 'is not a folder' : 'does not exist'} ` +
        `(looked for ${definitionsDir})`,
      { file: shown, position: source.position(['definitions']) },
    )
  }
  // No prototype: a provider named `__proto__` or `toString` is a name like any other, never an inherited member.
  const providers: Record<string, ProviderConfig> = Object.create(null) as Record<string, ProviderConfig>
  const entries = raw.providers !== null && typeof raw.providers === 'object' ? Object.entries(raw.providers) : []
  for (const [name, entry] of entries) {
    if (entry === null || typeof entry !== 'object') continue
    const fields = entry as Record<string, unknown>
    if (!isProviderType(fields.type)) continue
    const text = (key: string): string | undefined => textField(fields, key)
    const provider: ProviderConfig = { name, type: fields.type, url: text('url') ?? '', settings: platformOf(fields.type).providerFields.read(fields) }
    const apiKey = text('api_key')
    if (apiKey !== undefined) provider.apiKey = apiKey
    const apiKeyVariable = source.interpolationAt(['providers', name, 'api_key'])?.references[0]?.name
    if (apiKeyVariable !== undefined) provider.apiKeyVariable = apiKeyVariable
    registerCredentials(provider)
    const positive = (key: string): number | undefined =>
      typeof fields[key] === 'number' && Number.isFinite(fields[key]) && (fields[key] as number) > 0 ? (fields[key] as number) : undefined
    const timeoutSeconds = positive('timeout')
    if (timeoutSeconds !== undefined) provider.timeoutSeconds = timeoutSeconds
    const maxResponseMb = positive('max_response_mb')
    if (maxResponseMb !== undefined) provider.maxResponseMb = maxResponseMb
    providers[name] = provider
  }
  const sandboxRaw = (raw as { sandbox?: { state?: unknown; now?: unknown } }).sandbox
  const sandbox: SandboxConfig = {
    statePath: resolve(dirname(file), typeof sandboxRaw?.state === 'string' ? sandboxRaw.state : DEFAULT_SANDBOX_STATE),
  }
  if (typeof sandboxRaw?.now === 'string') sandbox.now = sandboxRaw.now
  const driftRaw = (raw as { drift?: { ignore?: unknown } }).drift
  const driftIgnore = Array.isArray(driftRaw?.ignore) ? driftRaw.ignore.filter((item): item is string => typeof item === 'string') : []
  return { file, displayFile: shown, definitionsDir, providers, sandbox, driftIgnore, source }
}

/**
 * `cac.yaml` in the working directory, else in the nearest folder above it, stopping at the root of
 * the git repository (a folder holding `.git`) or of the file system; the working directory's own
 * path when there is none (so the message names it).
 */
export async function findProjectFile(cwd: string): Promise<string> {
  for (let folder = resolve(cwd); ; ) {
    const candidate = join(folder, PROJECT_FILE_NAME)
    if (await fs.stat(candidate).then((found) => found.isFile(), () => false)) return candidate
    const parent = dirname(folder)
    if (parent === folder || (await fs.stat(join(folder, '.git')).then(() => true, () => false))) break
    folder = parent
  }
  return resolve(cwd, PROJECT_FILE_NAME)
}

/**
 * The provider's secrets, known to the output scrubber from the moment they are read: the API key,
 * and any credentials or query a url carries (neither is ever shown; see the provider targets).
 */
function registerCredentials(provider: ProviderConfig): void {
  knownSecrets.register(provider.apiKey)
  let url: URL
  try {
    url = new URL(provider.url)
  } catch {
    return
  }
  for (const part of [url.password, safeDecode(url.password)]) knownSecrets.register(part)
  // A user name or a query value may be a token, or a plain word ("admin", "json") that must not be
  // masked everywhere: only the ones long enough to be a credential are registered.
  for (const part of [safeDecode(url.username), ...url.searchParams.values()]) {
    if (part.length >= CREDENTIAL_LIKE_LENGTH) knownSecrets.register(part)
  }
}

const CREDENTIAL_LIKE_LENGTH = 12

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
