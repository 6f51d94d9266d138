/**
 * "Did you mean" suggestions for near misses: a mistyped field, enum value, kind, provider or
 * timezone. Returns the closest candidate, or undefined when nothing is close enough to help.
 */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  if (input === '' || candidates.length === 0) return undefined
  const lower = input.toLowerCase()
  const sameIgnoringCase = candidates.find((c) => c.toLowerCase() === lower)
  if (sameIgnoringCase) return sameIgnoringCase
  const normalised = normaliseForComparison(input)
  const sameIgnoringSeparators = candidates.find((c) => normaliseForComparison(c) === normalised)
  if (sameIgnoringSeparators) return sameIgnoringSeparators
  let best: string | undefined
  let bestDistance = Infinity
  const allowed = input.length <= 4 ? 1 : Math.max(2, Math.floor(input.length / 3))
  for (const candidate of candidates) {
    // The distance is at least the difference in length: a candidate that cannot be close enough is
    // not measured (so a 10,000-character input against many candidates stays cheap).
    const other = candidate.toLowerCase()
    if (Math.abs(other.length - lower.length) > Math.min(allowed, bestDistance - 1)) continue
    const distance = editDistance(lower, other)
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  if (best !== undefined && bestDistance <= allowed) return best
  // Abbreviations and their long forms: "monday" → "mon", "mon" → "Monday".
  const prefixed = candidates.filter(
    (c) => c.length >= 3 && lower.length >= 3 && (lower.startsWith(c.toLowerCase()) || c.toLowerCase().startsWith(lower)),
  )
  return prefixed.length === 1 ? prefixed[0] : undefined
}

function normaliseForComparison(value: string): string {
  return value.toLowerCase().replace(/[\s_-]+/g, '')
}

/** Levenshtein distance with adjacent transpositions counted as one edit. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0
  if (a.length === 0) return b.length
  if (b.length === 0) return a.length
  let previousPrevious: number[] = []
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i]
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, previousPrevious[j - 2]! + 1)
      }
      current.push(value)
    }
    previousPrevious = previous
    previous = current
  }
  return previous[b.length]!
}

/** Formats a suggestion suffix: ` (did you mean "x"?)`, or an empty string. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const match = closestMatch(input, candidates)
  return match === undefined ? '' : ` (did you mean ${JSON.stringify(match)}?)`
}
