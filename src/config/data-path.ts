import type { DataPath } from './yaml-source.js'

const SIMPLE_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/

/** Formats a data path the way users write it: `spec.webhooks[0].url`. */
export function formatDataPath(path: DataPath): string {
  let out = ''
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`
    else if (SIMPLE_KEY.test(segment)) out += out === '' ? segment : `.${segment}`
    else out += `[${JSON.stringify(segment)}]`
  }
  return out === '' ? '(document)' : out
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

/** The value at a path of a plain value, or undefined. */
export function valueAt(root: unknown, path: DataPath): unknown {
  let current = root
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<string | number, unknown>)[segment]
  }
  return current
}
