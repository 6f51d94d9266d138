import { promises as fs, type Dirent } from 'node:fs'
import { extname, join, resolve } from 'node:path'

import { compareText } from '../model/values.js'
import { isRealPathInside, type ProjectBounds } from './project-bounds.js'

export const DEFINITION_EXTENSIONS = ['.yaml', '.yml']

/** Folder levels below a scanned folder that are read; deeper folders are reported, not read. */
export const MAX_WALK_DEPTH = 32
/** Folder entries read in one scan (files and folders alike), so that no scan runs on for ever. */
export const MAX_WALK_ENTRIES = 200_000

export interface DiscoveredFiles {
  files: string[]
  /** Paths the user named that do not exist. */
  missing: string[]
  /** Files and folders met while scanning that are not read, and why (absolute path, sentence). */
  refused: { path: string; message: string }[]
}

export interface DiscoverOptions {
  /** Where the project's files may live: a symbolic link met while scanning must lead there. */
  bounds: ProjectBounds
  /** Defaults: MAX_WALK_DEPTH and MAX_WALK_ENTRIES (smaller in tests). */
  maxDepth?: number
  maxEntries?: number
}

/**
 * Lists definition files: every *.yaml / *.yml below a folder (recursively, sorted, skipping hidden
 * entries and node_modules, never following symlinked folders), or a file named directly. A
 * symlinked file (found or named: a shell glob names what a pull request added) is read only when
 * it leads to a file inside the project; one that leads outside, nowhere, or round in a loop is
 * refused by name (where it points is never shown). The scan is bounded in depth and in entries read.
 */
export async function discoverDefinitionFiles(paths: readonly string[], cwd: string, options: DiscoverOptions): Promise<DiscoveredFiles> {
  const files = new Set<string>()
  const missing: string[] = []
  const refused: DiscoveredFiles['refused'] = []
  const scan: Scan = {
    bounds: options.bounds,
    maxDepth: options.maxDepth ?? MAX_WALK_DEPTH,
    maxEntries: options.maxEntries ?? MAX_WALK_ENTRIES,
    entriesLeft: options.maxEntries ?? MAX_WALK_ENTRIES,
    refused,
    files,
  }
  for (const path of paths) {
    const absolute = resolve(cwd, path)
    const stat = await fs.stat(absolute).catch(() => undefined)
    if (!stat) missing.push(path)
    else if (stat.isDirectory()) await walk(absolute, 0, scan)
    else await addFile(absolute, scan)
  }
  return { files: [...files].sort(), missing, refused }
}

interface Scan {
  bounds: ProjectBounds
  maxDepth: number
  maxEntries: number
  entriesLeft: number
  refused: DiscoveredFiles['refused']
  files: Set<string>
}

async function walk(dir: string, depth: number, scan: Scan): Promise<void> {
  if (depth > scan.maxDepth) {
    scan.refused.push({ path: dir, message: `folder is nested more than ${scan.maxDepth} levels deep; cac does not read below that depth` })
    return
  }
  const entries = await readFolder(dir, scan.entriesLeft + 1)
  for (const entry of entries.sort((a, b) => compareText(a.name, b.name))) {
    if (scan.entriesLeft <= 0) {
      if (scan.entriesLeft === 0) scan.refused.push({ path: dir, message: `the scan stopped here, after ${scan.maxEntries.toLocaleString('en-US')} files and folders; point definitions at a smaller folder` })
      scan.entriesLeft = -1 // Reported once; every folder still open stops too.
      return
    }
    scan.entriesLeft -= 1
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
    const full = join(dir, entry.name)
    if (entry.isDirectory()) await walk(full, depth + 1, scan)
    else if (!DEFINITION_EXTENSIONS.includes(extname(entry.name).toLowerCase())) continue
    else if (entry.isFile()) scan.files.add(full)
    else if (entry.isSymbolicLink()) await addFile(full, scan)
  }
}

/** Adds a file, unless it is a symbolic link that is not to be read (a refused one is reported). */
async function addFile(path: string, scan: Scan): Promise<void> {
  const link = await fs.lstat(path).then((stat) => stat.isSymbolicLink(), () => false)
  const verdict = link ? await symlinkVerdict(path, scan.bounds) : 'read'
  if (verdict === 'read') scan.files.add(path)
  else if (verdict !== 'skip') scan.refused.push({ path, message: verdict.refused })
}

/** The entries of a folder, at most `limit` of them (a huge folder is not read whole); none when it cannot be read. */
async function readFolder(dir: string, limit: number): Promise<Dirent[]> {
  const entries: Dirent[] = []
  try {
    const handle = await fs.opendir(dir)
    for await (const entry of handle) {
      entries.push(entry)
      if (entries.length >= limit) break // Leaving the loop closes the folder.
    }
  } catch {
    return entries
  }
  return entries
}

/**
 * Whether a symlinked definition file is read, skipped (it leads to a folder: folders are not
 * followed) or refused, with the reason; the reason never says where the link points.
 */
async function symlinkVerdict(link: string, bounds: ProjectBounds): Promise<'read' | 'skip' | { refused: string }> {
  let target: string
  try {
    target = await fs.realpath(link)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ELOOP') return { refused: 'is a symbolic link that loops back on itself; cac does not read it' }
    return { refused: 'is a symbolic link to nothing (its target does not exist); cac does not read it' }
  }
  if (!isRealPathInside(target, bounds)) {
    return { refused: 'is a symbolic link that leads outside the project (the folder holding cac.yaml, or the working directory); cac does not read it' }
  }
  const stat = await fs.stat(target).catch(() => undefined)
  return stat?.isFile() ? 'read' : 'skip'
}
