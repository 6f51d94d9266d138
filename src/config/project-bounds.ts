import { promises as fs } from 'node:fs'
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path'

/**
 * Where a project's files may live: the folder holding cac.yaml and, for a `--config` file kept
 * elsewhere (e.g. `--config deploy/cac.yaml` with `definitions: ../campaigns`), the working
 * directory. Nothing outside them is read: not a definitions folder, not a symlink's target.
 */
export interface ProjectBounds {
  /** The folders as given (absolute). */
  folders: readonly string[]
  /** The same with symbolic links resolved. */
  realFolders: readonly string[]
}

export async function projectBounds(configFile: string, cwd: string): Promise<ProjectBounds> {
  const folders = [...new Set([dirname(resolve(configFile)), resolve(cwd)])]
  return { folders, realFolders: await Promise.all(folders.map(realPathOrSelf)) }
}

/** True when `path` is `folder` or lies below it (both absolute). */
export function isInsideFolder(path: string, folder: string): boolean {
  const rel = relative(folder, path)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

/** True when an already resolved (real) path lies in the project. */
export function isRealPathInside(realPath: string, bounds: ProjectBounds): boolean {
  return bounds.realFolders.some((folder) => isInsideFolder(realPath, folder))
}

/** Where a path lies: in the project, outside it as written, or outside only once symbolic links are followed. */
export async function placeOf(path: string, bounds: ProjectBounds): Promise<'inside' | 'outside' | 'outside through a link'> {
  if (!bounds.folders.some((folder) => isInsideFolder(path, folder))) return 'outside'
  return isRealPathInside(await realPathOrSelf(path), bounds) ? 'inside' : 'outside through a link'
}

/** The real path (symbolic links resolved) of a path that exists, else the path as given. */
export function realPathOrSelf(path: string): Promise<string> {
  return fs.realpath(path).catch(() => path)
}
