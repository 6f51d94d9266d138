import { isAbsolute, relative, sep } from 'node:path'

/** A path as the user should read it: relative to the working directory when inside it, with `/`. */
export function displayPath(absolute: string, cwd: string): string {
  const rel = relative(cwd, absolute)
  if (rel === '') return '.'
  if (rel.startsWith('..') || isAbsolute(rel)) return absolute.split(sep).join('/')
  return rel.split(sep).join('/')
}
