import { PROJECT_SECRET_PATHS, type PathPattern } from '../model/kinds.js'
import { kindOf } from '../platforms.js'
import type { DefinitionDocument } from './definitions.js'
import type { DataPath } from './yaml-source.js'

/** The concrete paths of a value that match a pattern (`*` stands for any key or index), in document order. */
export function expandPathPattern(root: unknown, pattern: PathPattern): DataPath[] {
  const found: DataPath[] = []
  collectMatches(root, pattern, [], found)
  return found
}

/**
 * Depth first along the pattern, on one path that grows and shrinks as it goes: a document without
 * the field (most of them) costs no allocation.
 */
function collectMatches(value: unknown, pattern: PathPattern, path: (string | number)[], found: DataPath[]): void {
  if (path.length === pattern.length) {
    found.push([...path])
    return
  }
  if (value === null || typeof value !== 'object') return
  const segment = pattern[path.length]!
  const visit = (key: string | number): void => {
    const child = (value as Record<string | number, unknown>)[key]
    if (child === undefined) return
    path.push(key)
    collectMatches(child, pattern, path, found)
    path.pop()
  }
  if (segment !== '*') visit(segment)
  else if (Array.isArray(value)) for (let index = 0; index < value.length; index += 1) visit(index)
  else for (const key of Object.keys(value)) visit(key)
}

/** Every secret value present in a definition document (found once per document: the rules and the loader all ask). */
export function secretPathsOf(doc: DefinitionDocument): readonly DataPath[] {
  let paths = secretPathsFound.get(doc)
  if (paths === undefined) {
    const found: DataPath[] = []
    for (const pattern of kindOf(doc.kind).secretPaths) collectMatches(doc.source.value, pattern, [], found)
    paths = found
    secretPathsFound.set(doc, paths)
  }
  return paths
}

/** A loaded document's values never change, so its secret paths do not either. */
const secretPathsFound = new WeakMap<DefinitionDocument, readonly DataPath[]>()

/** Every secret value present in the project file. */
export function projectSecretPaths(value: unknown): DataPath[] {
  return PROJECT_SECRET_PATHS.flatMap((pattern) => expandPathPattern(value, pattern))
}
