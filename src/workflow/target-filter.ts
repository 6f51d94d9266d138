/**
 * `--target GLOB` over resource addresses (`PROVIDER/KIND-NOUN/NAME`, e.g. `crm/campaign/Spring Renewals`): `*` matches any
 * run of characters (slashes included), `?` one character; matching is case-sensitive and whole.
 */
export function addressMatcher(globs: readonly string[]): (address: string) => boolean {
  if (globs.length === 0) return () => true
  const patterns = globs.map(globToRegExp)
  return (address) => patterns.some((pattern) => pattern.test(address))
}

function globToRegExp(glob: string): RegExp {
  let source = ''
  for (const char of glob) {
    if (char === '*') source += '.*'
    else if (char === '?') source += '.'
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${source}$`)
}
