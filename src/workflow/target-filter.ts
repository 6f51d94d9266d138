/**
 * `--target GLOB` over resource addresses (`PROVIDER/KIND-NOUN/NAME`, e.g. `crm/campaign/Spring Renewals`): `*` matches any
 * run of characters (slashes included), `?` one character; matching is case-sensitive and whole.
 */
export function addressMatcher(globs: readonly string[]): (address: string) => boolean {
  if (globs.length === 0) return () => true
  const compiled = globs.map(compileGlob)
  return (address) => {
    const text = Array.from(address)
    return compiled.some((glob) => globMatches(glob, text))
  }
}

/** A glob as code points, runs of `*` collapsed to one (they match the same), with its count of non-`*` characters. */
interface CompiledGlob {
  parts: readonly string[]
  /** Characters an address needs at least: one per literal or `?`. */
  minLength: number
}

function compileGlob(glob: string): CompiledGlob {
  const parts: string[] = []
  for (const char of glob) if (char !== '*' || parts[parts.length - 1] !== '*') parts.push(char)
  return { parts, minLength: parts.filter((part) => part !== '*').length }
}

/**
 * Whole-text glob matching without a regular expression (a pattern of many `*` made the regex
 * engine backtrack for minutes): one pass over the text that, on a mismatch, resumes just after the
 * last `*` with that star covering one more character. Each star restarts at most once per text
 * position, so the work is at most |glob| × |text| steps, and a glob longer than the text (in
 * non-`*` characters) is refused at once.
 */
function globMatches(glob: CompiledGlob, text: readonly string[]): boolean {
  const { parts } = glob
  if (glob.minLength > text.length) return false
  let g = 0
  let t = 0
  let star = -1 // Index in parts of the last `*` met, or -1.
  let starText = 0 // Text position that star currently stops before.
  while (t < text.length) {
    const part = parts[g]
    if (part === '*') {
      star = g
      starText = t
      g += 1
    } else if (part !== undefined && (part === '?' || part === text[t])) {
      g += 1
      t += 1
    } else if (star !== -1) {
      g = star + 1
      starText += 1
      t = starText
    } else {
      return false
    }
  }
  while (parts[g] === '*') g += 1
  return g === parts.length
}
