/**
 * The project lock: one `cac apply` at a time per project (the folder of cac.yaml), held from
 * before live state is read until the apply ends. Two applies that both planned "create" before
 * either created would both create: the second must plan after the first is done. Across
 * machines this does not help (see safe creates in the providers); it covers two CI jobs on one
 * runner, or a re-run while one is still going.
 */
import { dirname, join } from 'node:path'

import { displayPath } from '../config/display-path.js'
import type { ProjectConfig } from '../config/project-config.js'
import { acquireFileLock, type HeldLock, type LockWait } from '../lock/file-lock.js'

/** Where the lock lives, relative to the folder of cac.yaml. */
export const PROJECT_LOCK_FILE = '.cac/apply.lock'

/** The lock file of the project whose cac.yaml is `projectFile`. */
export function projectLockPath(projectFile: string): string {
  return join(dirname(projectFile), ...PROJECT_LOCK_FILE.split('/'))
}

/** Takes the project's lock for `cac apply` (LockError when another apply keeps it past the wait). */
export function lockProject(config: ProjectConfig, cwd: string, wait: LockWait): Promise<HeldLock> {
  const path = projectLockPath(config.file)
  const folder = displayPath(dirname(config.file), cwd)
  return acquireFileLock({
    ...wait,
    path,
    shownPath: displayPath(path, cwd),
    subject: folder === '.' ? 'this project' : `the project ${folder}`,
    command: 'cac apply',
  })
}
