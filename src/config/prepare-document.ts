import type { Diagnostics } from '../model/diagnostic.js'
import { formatDataPath, isWithin } from './data-path.js'
import { interpolateDocument, type Environment } from './interpolate.js'
import { materialise, type DataPath, type SourceDocument } from './yaml-source.js'

export interface PrepareOptions {
  env: Environment
  /** When false, an unset variable behind a secret is not a problem (validate runs without secrets). */
  secretsRequired: boolean
  isSecret: (path: DataPath) => boolean
  diagnostics: Diagnostics
}

export interface PreparedDocument {
  /** True for paths whose problems were already reported by interpolation (skip schema noise there). */
  isExplained: (path: DataPath) => boolean
}

/**
 * The steps every parsed document goes through before schema validation: interpolate
 * `${env:…}` (reporting bad references and unset variables at their line), then materialise plain
 * values with the alias cap. Returns undefined when the document cannot be used.
 */
export function prepareDocument(source: SourceDocument, options: PrepareOptions): PreparedDocument | undefined {
  const problems = interpolateDocument(source, options.env)
  const explained: DataPath[] = []
  for (const problem of problems) {
    explained.push(problem.path)
    const where = { file: source.file, position: source.position(problem.path) }
    const code = formatDataPath(problem.path)
    if (problem.kind === 'unset' && options.isSecret(problem.path) && !options.secretsRequired) {
      // validate runs without secrets (a pull request from a fork has none): the secret's value is
      // checked when its variable is set, and plan/apply refuse to run without it.
      continue
    }
    options.diagnostics.error(code, problem.message, where)
  }
  if (!materialise(source, options.diagnostics)) return undefined
  return { isExplained: (path) => explained.some((prefix) => isWithin(path, prefix)) }
}
