import { PROJECT_SECRET_PATHS, type PathPattern } from '../model/kinds.js'
import { kindOf } from '../platforms.js'
import type { DefinitionDocument } from './definitions.js'
import type { DataPath } from './yaml-source.js'

/** The concrete paths of a value that match a pattern (`*` stands for any key or index). */
export function expandPathPattern(root: unknown, pattern: PathPattern): DataPath[] {
  let paths: (string | number)[][] = [[]]
  let values: unknown[] = [root]
  for (const segment of pattern) {
    const nextPaths: (string | number)[][] = []
    const nextValues: unknown[] = []
    values.forEach((value, i) => {
      if (value === null || typeof value !== 'object') return
      const keys: (string | number)[] =
        segment === '*' ? (Array.isArray(value) ? value.map((_v, index) => index) : Object.keys(value)) : [segment]
      for (const key of keys) {
        const child = (value as Record<string | number, unknown>)[key]
        if (child === undefined) continue
        nextPaths.push([...paths[i]!, key])
        nextValues.push(child)
      }
    })
    paths = nextPaths
    values = nextValues
  }
  return paths
}

/** Every secret value present in a definition document (found once per document: the rules and the loader all ask). */
export function secretPathsOf(doc: DefinitionDocument): readonly DataPath[] {
  let paths = secretPathsFound.get(doc)
  if (paths === undefined) {
    paths = kindOf(doc.kind).secretPaths.flatMap((pattern) => expandPathPattern(doc.source.value, pattern))
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
