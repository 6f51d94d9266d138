import type { Diagnostics } from '../model/diagnostic.js'
import { formatDataPath } from './data-path.js'
import type { DataPath, SourceDocument } from './yaml-source.js'

/**
 * Values (scalars, lists and mappings, counted one each) one document may hold. Far above any real
 * definition, low enough that schema validation of a document stays small: a schema error per
 * value of a million-item list would otherwise take gigabytes.
 */
export const MAX_DOCUMENT_VALUES = 100_000

export interface DocumentSize {
  values: number
  /** The collection with the most entries, and how many. */
  largest: { path: DataPath; entries: number } | undefined
}

/** A collection met while measuring; its path is rebuilt from the parents only when it is needed. */
interface Visited {
  value: object
  parent: Visited | undefined
  key: string | number | undefined
}

/** Counts the values of a plain tree without recursion (linear in its size, whatever its depth), and finds its largest list or mapping. */
export function measureDocument(root: unknown): DocumentSize {
  if (root === null || typeof root !== 'object') return { values: 1, largest: undefined }
  let values = 1
  let largest: { at: Visited; entries: number } | undefined
  const pending: Visited[] = [{ value: root, parent: undefined, key: undefined }]
  while (pending.length > 0) {
    const visited = pending.pop()!
    const entries: [string | number, unknown][] = Array.isArray(visited.value)
      ? visited.value.map((item, i): [number, unknown] => [i, item])
      : Object.entries(visited.value)
    if (!largest || entries.length > largest.entries) largest = { at: visited, entries: entries.length }
    values += entries.length
    for (const [key, child] of entries) {
      if (child !== null && typeof child === 'object') pending.push({ value: child, parent: visited, key })
    }
  }
  return { values, largest: { path: pathOf(largest!.at), entries: largest!.entries } }
}

/**
 * The number of values measureDocument counts, without building anything (the check every
 * document passes). With `stopAbove`, counting stops once the count is past it (the answer is then
 * only known to be larger).
 */
export function countValues(root: unknown, stopAbove = Number.POSITIVE_INFINITY): number {
  let values = 1
  const pending: unknown[] = [root]
  while (pending.length > 0 && values <= stopAbove) {
    const value = pending.pop()
    if (value === null || typeof value !== 'object') continue
    if (Array.isArray(value)) {
      values += value.length
      for (const child of value) if (child !== null && typeof child === 'object') pending.push(child)
      continue
    }
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue
      values += 1
      const child = (value as Record<string, unknown>)[key]
      if (child !== null && typeof child === 'object') pending.push(child)
    }
  }
  return values
}

function pathOf(visited: Visited): DataPath {
  const path: (string | number)[] = []
  for (let at: Visited | undefined = visited; at?.key !== undefined; at = at.parent) path.push(at.key)
  return path.reverse()
}

/**
 * Reports a document over MAX_DOCUMENT_VALUES (at its largest collection, which is named) and
 * returns false; such a document is not checked further.
 */
export function checkDocumentSize(source: SourceDocument, diagnostics: Diagnostics, limit = MAX_DOCUMENT_VALUES): boolean {
  if (countValues(source.value, limit) <= limit) return true
  const size = measureDocument(source.value)
  const largest = size.largest
  const where = largest && largest.path.length > 0
    ? ` (the largest is ${formatDataPath(largest.path)}, with ${largest.entries.toLocaleString('en-US')} entries)`
    : ''
  diagnostics.error(
    'document',
    `document holds ${size.values.toLocaleString('en-US')} values, over the limit of ${limit.toLocaleString('en-US')} ` +
      `for one document${where}; a definition this large is not checked: remove what it does not need or split it`,
    { file: source.file, position: source.position(largest?.path ?? []) },
  )
  return false
}
