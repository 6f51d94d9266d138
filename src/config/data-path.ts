import { formatFieldPath } from '../model/values.js'
import type { DataPath } from './yaml-source.js'

/** Formats a data path the way users write it: `spec.webhooks[0].url`. */
export function formatDataPath(path: DataPath): string {
  return formatFieldPath(path) || '(document)'
}

/** Converts a JSON Pointer (as ajv reports it) to a data path, using the value to tell indexes from keys. */
export function pointerToDataPath(pointer: string, root: unknown): (string | number)[] {
  if (pointer === '') return []
  const path: (string | number)[] = []
  let current: unknown = root
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (Array.isArray(current) && /^\d+$/.test(key)) {
      const index = Number(key)
      path.push(index)
      current = current[index]
    } else {
      path.push(key)
      current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined
    }
  }
  return path
}

/** True when `path` is `prefix` or lies below it. */
export function isWithin(path: DataPath, prefix: DataPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => segment === path[i])
}
