import { Diagnostics } from '../model/diagnostic.js'
import { displayPath } from './display-path.js'
import type { Environment } from './interpolate.js'
import { readSourceText } from './source-file.js'
import { resolve } from 'node:path'

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/

/**
 * Reads `--env FILE` files (dotenv syntax: `NAME=value`, `#` comments, optional quotes and
 * `export`). Variables already in the process environment win, so a one-off override on the
 * command line beats the file. Values are never echoed in diagnostics.
 */
export async function loadEnvironment(
  files: readonly string[],
  base: Environment,
  cwd: string,
  diagnostics: Diagnostics,
): Promise<Environment> {
  // No prototype: every variable name, `__proto__` included, is an own key.
  const fromFiles: Record<string, string> = Object.create(null) as Record<string, string>
  for (const file of files) {
    const absolute = resolve(cwd, file)
    const shown = displayPath(absolute, cwd)
    const read = readSourceText(absolute)
    if (!read.ok) {
      diagnostics.error('env-file', read.message, { file: shown, ...(read.position ? { position: read.position } : {}) })
      continue
    }
    read.text.split(/\r?\n/).forEach((line, i) => {
      if (/^\s*(#|$)/.test(line)) return
      const match = LINE.exec(line)
      if (!match) {
        diagnostics.error('env-file', 'expected NAME=value (names are letters, digits and underscores)', {
          file: shown,
          position: { line: i + 1, column: 1 },
        })
        return
      }
      fromFiles[match[1]!] = unquote(match[2]!)
    })
  }
  const merged: Record<string, string | undefined> = Object.assign(Object.create(null) as Record<string, string | undefined>, fromFiles)
  for (const [name, value] of Object.entries(base)) if (value !== undefined) merged[name] = value
  return merged
}

/**
 * The value of a dotenv line. A double-quoted value (with backslash escapes, `\n` for a newline)
 * or a single-quoted one (taken literally) ends at its closing quote, and a `# comment` may follow;
 * an unquoted value ends before ` #`.
 */
function unquote(value: string): string {
  const quote = value[0]
  if (quote === '"' || quote === "'") {
    let out = ''
    for (let i = 1; i < value.length; i += 1) {
      const c = value[i]!
      if (c === quote) return out
      if (quote === '"' && c === '\\' && i + 1 < value.length) {
        const next = value[i + 1]!
        out += next === 'n' ? '\n' : next
        i += 1
      } else {
        out += c
      }
    }
    return value // No closing quote: keep the text as written.
  }
  return value.replace(/\s+#.*$/, '')
}
