/**
 * The journal beside a sandbox state file: `FILE.journal`, one JSON object a line. Its first line
 * names the snapshot it continues (`{"generation": N}`, the `generation` field of FILE); every
 * other line records one changed value of the state:
 *
 *   {"set": ["syllable", "campaigns", "17"], "value": {...}}
 *   {"delete": ["syllable", "campaigns", "17"]}
 *
 * Loading reads the snapshot and replays its journal in order. A journal of another generation is
 * left over from before a compaction and ignored (the snapshot already holds its changes). A last
 * line without its newline is a write cut short by a crash and is ignored too.
 */

import { ownEntry, putEntry } from './syllable/state.js'

export type StatePath = readonly string[]

export type JournalEntry = { set: StatePath; value: unknown } | { delete: StatePath }

/** The path of the journal of a state file. */
export function journalPath(statePath: string): string {
  return `${statePath}.journal`
}

export function journalHeader(generation: number): string {
  return `${JSON.stringify({ generation })}\n`
}

/** The journal line of the value now at `path` in `state` (a deletion when there is none). */
export function journalLine(state: object, path: StatePath): string {
  const value = valueAt(state, path)
  return `${JSON.stringify(value === undefined ? { delete: path } : { set: path, value })}\n`
}

function valueAt(state: object, path: StatePath): unknown {
  let cursor: unknown = state
  for (const key of path) {
    if (cursor === null || typeof cursor !== 'object') return undefined
    cursor = ownEntry(cursor as Record<string, unknown>, key)
  }
  return cursor
}

/** A journal as read: the generation it continues and its complete entries. */
export interface ReadJournal {
  generation: number
  entries: JournalEntry[]
}

/** Parses a journal's text; throws a message naming the line when a complete line is not an entry. */
export function parseJournal(text: string, shownPath: string): ReadJournal | undefined {
  const lines = text.split('\n')
  // The text after the last newline is a line whose write did not finish: never replayed.
  lines.pop()
  if (lines.length === 0) return undefined
  const header = parseLine(lines[0]!, 1, shownPath) as { generation?: unknown }
  if (typeof header?.generation !== 'number') throw new Error(`${shownPath} line 1: expected {"generation": <number>}`)
  const entries = lines.slice(1).map((line, i) => journalEntry(parseLine(line, i + 2, shownPath), i + 2, shownPath))
  return { generation: header.generation, entries }
}

function parseLine(line: string, number: number, shownPath: string): unknown {
  try {
    return JSON.parse(line)
  } catch {
    throw new Error(`${shownPath} line ${number} is not valid JSON`)
  }
}

function journalEntry(value: unknown, number: number, shownPath: string): JournalEntry {
  const entry = value as Partial<Record<'set' | 'delete', unknown>> | null
  const path = entry?.set ?? entry?.delete
  if (!Array.isArray(path) || path.length === 0 || !path.every((key) => typeof key === 'string')) {
    throw new Error(`${shownPath} line ${number}: expected {"set": [path], "value": ...} or {"delete": [path]}`)
  }
  return entry as JournalEntry
}

/** Applies one entry to the state, creating the objects on its path that do not exist yet. */
export function applyEntry(state: object, entry: JournalEntry): void {
  const path = 'set' in entry ? entry.set : entry.delete
  let cursor = state as Record<string, unknown>
  for (const key of path.slice(0, -1)) {
    let next = ownEntry(cursor, key)
    if (next === null || typeof next !== 'object') {
      if (!('set' in entry)) return
      putEntry(cursor, key, (next = {}))
    }
    cursor = next as Record<string, unknown>
  }
  const last = path[path.length - 1]!
  if ('set' in entry) putEntry(cursor, last, entry.value)
  else if (Object.hasOwn(cursor, last)) delete cursor[last]
}
