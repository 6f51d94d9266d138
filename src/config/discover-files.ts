import { promises as fs } from 'node:fs'
import { extname, join, resolve } from 'node:path'

import { compareText } from '../model/values.js'

export const DEFINITION_EXTENSIONS = ['.yaml', '.yml']

export interface DiscoveredFiles {
  files: string[]
  /** Paths the user named that do not exist. */
  missing: string[]
}

/**
 * Lists definition files: every *.yaml / *.yml below a folder (recursively, sorted, skipping hidden
 * entries and node_modules, never following symlinked folders), or a file named directly.
 */
export async function discoverDefinitionFiles(paths: readonly string[], cwd: string): Promise<DiscoveredFiles> {
  const files = new Set<string>()
  const missing: string[] = []
  for (const path of paths) {
    const absolute = resolve(cwd, path)
    const stat = await fs.stat(absolute).catch(() => undefined)
    if (!stat) missing.push(path)
    else if (stat.isDirectory()) for (const file of await walk(absolute)) files.add(file)
    else files.add(absolute)
  }
  return { files: [...files].sort(), missing }
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = []
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => [])
  for (const entry of entries.sort((a, b) => compareText(a.name, b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
    const full = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await walk(full)))
    else if (DEFINITION_EXTENSIONS.includes(extname(entry.name).toLowerCase())) {
      if (entry.isFile()) out.push(full)
      else if (entry.isSymbolicLink()) {
        const target = await fs.stat(full).catch(() => undefined)
        if (target?.isFile()) out.push(full)
      }
    }
  }
  return out
}
