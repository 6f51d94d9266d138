/**
 * What every layer may say about kinds of resource without naming any: a kind is a name (checked
 * against the platforms' declarations when files are loaded, see src/platforms.ts), and its secret
 * fields are path patterns over a parsed document.
 */

/** The name of a kind of resource, e.g. the `kind` of a definition document. */
export type KindName = string

/** The type of a platform (a provider entry's `type` in cac.yaml). */
export type ProviderType = string

/** A path pattern over a parsed document; `'*'` matches any key or index at that depth. */
export type PathPattern = readonly (string | number)[]

/** Secret paths of the project file `cac.yaml`. */
export const PROJECT_SECRET_PATHS: readonly PathPattern[] = [['providers', '*', 'api_key']]

export function matchesPathPattern(path: readonly (string | number)[], pattern: PathPattern): boolean {
  if (path.length !== pattern.length) return false
  return pattern.every((part, i) => part === '*' || part === path[i])
}

export function isSecretPath(path: readonly (string | number)[], patterns: readonly PathPattern[]): boolean {
  return patterns.some((pattern) => matchesPathPattern(path, pattern))
}
