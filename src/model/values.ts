/**
 * Helpers over plain JSON-like values that every layer shares: one way to test for a mapping,
 * read a value at a path, write a path for people, compare text, and compare structures.
 */

/** A mapping (any non-null object that is not a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** The value at a path of a plain value, or undefined where the path leads nowhere (own keys only: `__proto__` is a key like any other). */
export function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let current = root
  for (const segment of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return undefined
    current = (current as Record<string | number, unknown>)[segment]
  }
  return current
}

/**
 * Sets an own, enumerable key of a mapping. `record[key] = value` would set the prototype instead
 * when the key is `__proto__` (a key a file may hold, e.g. in campaign_variables), and lose it.
 */
export function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true })
  else record[key] = value
}

const SIMPLE_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/

/** A path the way files write it: `webhooks[0].url`; a key that is not a plain name is quoted: `labels["team a"]`; a
 * path pattern's `*` reads as any index: `webhooks[*]`. */
export function formatFieldPath(path: readonly (string | number)[]): string {
  let out = ''
  for (const segment of path) {
    if (typeof segment === 'number' || segment === '*') out += `[${segment}]`
    else if (SIMPLE_KEY.test(segment)) out += out === '' ? segment : `.${segment}`
    else out += `[${JSON.stringify(segment)}]`
  }
  return out
}

/**
 * `answer`, with what it said for the texts it was asked last kept, at most `limit` of them (it
 * starts over when full): for texts that come back in file after file. The answers are shared, not
 * to be changed.
 */
export function rememberingAnswers<T>(answer: (text: string) => T, limit: number): (text: string) => T {
  const known = new Map<string, T>()
  return (text) => {
    const found = known.get(text)
    if (found !== undefined || known.has(text)) return found as T
    if (known.size >= limit) known.clear()
    const result = answer(text)
    known.set(text, result)
    return result
  }
}

/** Code-point order: the same on every machine and locale, and fast on large lists. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** What a `mapTree` visitor returns to keep a value's shape and visit what it holds. */
export const DESCEND: unique symbol = Symbol('descend')

/**
 * A copy of a JSON-like tree in which `visit` may replace any value: it is shown each value, root
 * first, with its path, and returns the replacement, or DESCEND to copy a list or mapping and visit
 * its items (anything else is kept as it is).
 */
export function mapTree(value: unknown, visit: (value: unknown, path: readonly (string | number)[]) => unknown, path: (string | number)[] = []): unknown {
  const replaced = visit(value, path)
  if (replaced !== DESCEND) return replaced
  if (Array.isArray(value)) return value.map((item, i) => mapTree(item, visit, [...path, i]))
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapTree(item, visit, [...path, key])]))
  return value
}

/** A mapping's text field, or undefined when it is absent or not text. */
export function textField(record: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = record[key]
  return typeof value === 'string' ? value : undefined
}
