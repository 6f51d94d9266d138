import type { Diagnostics } from '../model/diagnostic.js'
import { formatDataPath, isWithin } from './data-path.js'
import { interpolateDocument, type Environment } from './interpolate.js'
import { materialise, type DataPath, type ParsedDocument } from './yaml-source.js'

export interface PrepareOptions {
  env: Environment
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
export function prepareDocument(source: ParsedDocument, options: PrepareOptions): PreparedDocument | undefined {
  const problems = interpolateDocument(source, options.env)
  const explained: DataPath[] = []
  for (const problem of problems) {
    explained.push(problem.path)
    const where = { file: source.file, position: source.position(problem.path) }
    const code = formatDataPath(problem.path)
    if (problem.kind === 'unset' && options.isSecret(problem.path)) {
      // Whether a secret must be set depends on the run (validate needs none; a sandbox target can
      // do without): the caller decides, from this record.
      source.unsetSecrets.push({ path: problem.path, variable: problem.variable! })
      continue
    }
    options.diagnostics.error(code, problem.message, where)
  }
  if (!materialise(source, options.diagnostics)) return undefined
  return { isExplained: (path) => explained.some((prefix) => isWithin(path, prefix)) }
}
