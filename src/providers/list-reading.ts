/**
 * Bounds shared by every list a provider reads page by page: how many pages and items cac reads at
 * most, and the rule that an id seen twice is a server serving the same items again (after one
 * fresh read of the whole list, since a list may legitimately shift while another run writes).
 */
import type { HttpResponse } from '../http/client.js'
import { safeExcerpt } from '../http/excerpt.js'
import { unexpected } from './response-shape.js'

/** The most pages read from one list (a server claiming more is refused before any is read). */
export const MAX_LIST_PAGES = 10_000
/** The most items read from one list. */
export const MAX_LIST_ITEMS = 1_000_000

export interface ListBounds {
  maxPages: number
  maxItems: number
}

export const DEFAULT_LIST_BOUNDS: ListBounds = { maxPages: MAX_LIST_PAGES, maxItems: MAX_LIST_ITEMS }

/** One page as read: its checked items, the answer (for messages), and how to name it (`page 3`, `offset 200`). */
export interface PageRead<T> {
  items: T[]
  response: HttpResponse
  label: string
}

/**
 * The items of a whole list, each once. `readPages` reads the list from its start; when an id turns
 * up twice, the list is read once more, and a repeat in that second read too is refused.
 */
export async function readWithoutRepeats<T>(
  readPages: () => Promise<PageRead<T>[]>,
  keyOf: (item: T) => string,
  /** What the key is, for the message (e.g. `campaign id`). */
  what: string,
): Promise<T[]> {
  for (let pass = 1; ; pass += 1) {
    const pages = await readPages()
    const repeat = firstRepeat(pages, keyOf)
    if (repeat === undefined) return pages.flatMap((page) => page.items)
    if (pass >= 2) {
      const where = repeat.first === repeat.again.label ? `twice on ${repeat.first}` : `on ${repeat.first} and on ${repeat.again.label}`
      throw unexpected(
        repeat.again.response,
        `${what} ${safeExcerpt(repeat.key, 60)} appears ${where}, in two reads of the list (the server serves the same items again)`,
      )
    }
  }
}

function firstRepeat<T>(pages: readonly PageRead<T>[], keyOf: (item: T) => string): { key: string; first: string; again: PageRead<T> } | undefined {
  const seenOn = new Map<string, string>()
  for (const page of pages) {
    for (const item of page.items) {
      const key = keyOf(item)
      const first = seenOn.get(key)
      if (first !== undefined) return { key, first, again: page }
      seenOn.set(key, page.label)
    }
  }
  return undefined
}

/** Counts items as pages come in, and refuses once there are more than the bound. */
export function checkItemCount(count: number, bounds: ListBounds, response: HttpResponse): void {
  if (count > bounds.maxItems) throw unexpected(response, `the list has more than ${bounds.maxItems} items, more than cac reads from one list`)
}

/**
 * `read` for every input, at most `concurrency` at a time, results in input order. After the first
 * failure nothing new is started (a refused list must not go on sending requests), and that
 * failure is thrown once the requests in flight have ended.
 */
export async function readConcurrently<I, R>(inputs: readonly I[], concurrency: number, read: (input: I) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(inputs.length)
  let next = 0
  let failed = false
  let failure: unknown
  const worker = async (): Promise<void> => {
    while (!failed && next < inputs.length) {
      const index = next
      next += 1
      try {
        results[index] = await read(inputs[index]!)
      } catch (error) {
        if (!failed) failure = error
        failed = true
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, inputs.length)) }, worker))
  if (failed) throw failure
  return results
}
