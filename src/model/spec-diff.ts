import { createRequire } from 'node:module'

import type * as DeepDiff from 'deep-diff'
import type { Diff } from 'deep-diff'

import type { FieldChange, FieldPath, Spec } from './plan.js'
import { SENSITIVE } from './secret.js'
import { compareText, setOwn, valueAt } from './values.js'

let deepDiffLibrary: typeof DeepDiff | undefined

/** deep-diff, loaded for the first spec that differs: a plan with nothing to change never needs it. */
function deepDiff(): typeof DeepDiff {
  deepDiffLibrary ??= createRequire(import.meta.url)('deep-diff') as typeof DeepDiff
  return deepDiffLibrary
}

/**
 * Field-level differences between a normalised live spec and a normalised desired spec.
 *
 * Only the top-level fields the file declares are managed: a field the file leaves out is never
 * reported (nor reset). Inside a declared field the whole value is managed: mappings are compared
 * key by key (a key only the live side has is a `remove`), lists of scalars as one value (a set of
 * weekdays reads better whole), lists of mappings item by item. Both sides must already be
 * normalised (defaults in, canonical forms); deep-diff finds the differences.
 */
export function diffSpecs(live: Spec, desired: Spec): FieldChange[] {
  // Most resources match: a plain structural comparison settles those without deep-diff's records.
  if (managedFieldsEqual(live, desired)) return []
  const managed: Spec = {}
  for (const key of Object.keys(desired)) if (Object.hasOwn(live, key)) setOwn(managed, key, live[key])
  const differences = deepDiff().diff(managed, desired) ?? []
  const byPath = new Map<string, FieldChange>()
  for (const difference of differences) {
    const entry = toFieldChange(difference, live, desired)
    byPath.set(JSON.stringify(entry.path), entry)
  }
  return [...byPath.values()].sort((a, b) => comparePaths(a.path, b.path))
}

/** One deep-diff record as a FieldChange; a change inside a list of scalars becomes a change of the list. */
function toFieldChange(difference: Diff<Spec, Spec>, live: Spec, desired: Spec): FieldChange {
  let path: FieldPath = [...(difference.path ?? [])] as FieldPath
  let kind = difference.kind
  let before: unknown
  let after: unknown
  if (difference.kind === 'A') {
    path = [...path, difference.index]
    kind = difference.item.kind
    before = 'lhs' in difference.item ? difference.item.lhs : undefined
    after = 'rhs' in difference.item ? difference.item.rhs : undefined
  } else {
    before = 'lhs' in difference ? difference.lhs : undefined
    after = 'rhs' in difference ? difference.rhs : undefined
  }
  const scalarList = firstScalarListPrefix(path, live, desired)
  if (scalarList) return change(scalarList, 'change', valueAt(live, scalarList), valueAt(desired, scalarList))
  return change(path, kind === 'N' ? 'add' : kind === 'D' ? 'remove' : 'change', before, after)
}

/** The shortest prefix of `path` that is a list of scalars on either side, if any. */
function firstScalarListPrefix(path: FieldPath, live: Spec, desired: Spec): FieldPath | undefined {
  for (let length = 1; length < path.length; length += 1) {
    const prefix = path.slice(0, length)
    const a = valueAt(live, prefix)
    const b = valueAt(desired, prefix)
    const isScalarList = (v: unknown) => Array.isArray(v) && !v.some(isPlainObject)
    if ((isScalarList(a) || a === undefined || a === null) && (isScalarList(b) || b === undefined || b === null) && (Array.isArray(a) || Array.isArray(b))) {
      return prefix
    }
  }
  return undefined
}

function comparePaths(a: FieldPath, b: FieldPath): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const x = a[i]!
    const y = b[i]!
    if (x === y) continue
    if (typeof x === 'number' && typeof y === 'number') return x - y
    return compareText(String(x), String(y))
  }
  return a.length - b.length
}

function change(path: FieldPath, kind: FieldChange['kind'], before: unknown, after: unknown): FieldChange {
  const entry: FieldChange = { path, kind }
  if (before !== undefined) entry.before = before
  if (after !== undefined) entry.after = after
  if (containsSensitive(before) || containsSensitive(after)) entry.sensitive = true
  return entry
}

/** Every field of a desired spec as `add` changes (how a create is shown). */
export function specAsAdditions(desired: Spec): FieldChange[] {
  const out: FieldChange[] = []
  for (const key of Object.keys(desired).sort()) flatten([key], desired[key], out)
  return out
}

function flatten(path: FieldPath, value: unknown, out: FieldChange[]): void {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const key of Object.keys(value).sort()) flatten([...path, key], value[key], out)
  } else if (Array.isArray(value) && value.some(isPlainObject)) {
    value.forEach((item, i) => flatten([...path, i], item, out))
  } else {
    out.push(change(path, 'add', undefined, value))
  }
}

function containsSensitive(value: unknown): boolean {
  if (value === SENSITIVE) return true
  if (Array.isArray(value)) return value.some(containsSensitive)
  if (isPlainObject(value)) return Object.values(value).some(containsSensitive)
  return false
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype
}

/** True when live holds every field desired declares, each equal to the desired value. */
function managedFieldsEqual(live: Spec, desired: Spec): boolean {
  const keys = Object.keys(desired)
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i]!
    if (!Object.hasOwn(live, key) || !deepEqual(live[key], desired[key])) return false
  }
  return true
}

/** Structural equality of JSON-like values (key order does not matter; list order does). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b)
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i += 1) if (!deepEqual(a[i], b[i])) return false
    return true
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a)
    if (keys.length !== Object.keys(b).length) return false
    for (const key of keys) if (!Object.hasOwn(b, key) || !deepEqual(a[key], b[key])) return false
    return true
  }
  return false
}
