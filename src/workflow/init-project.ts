/**
 * `cac init`: writes a starter project into a folder. Files cac owns (cac.yaml, the definitions,
 * the workflow) are written only when none of them exists: one that does stops the whole run
 * before anything is written. .gitignore and README.md are shared with the rest of a repository:
 * they are created, or get cac's lines appended, never rewritten.
 */
import { promises as fs } from 'node:fs'
import { basename, dirname, isAbsolute, join, normalize, relative, resolve } from 'node:path'

import type { InitEntry, InitOutcome } from '../model/init-report.js'
import type { Platform } from '../model/platform.js'
import { README_SECTION_HEADING, starterProject } from '../starter/project-files.js'

export interface InitRequest {
  cwd: string
  /** `cac init DIR`; default the working directory. */
  dir?: string | undefined
  platforms: readonly Platform[]
  /** The day the starter's dates are counted from. */
  now: Date
}

async function lstatOrUndefined(path: string) {
  return fs.lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
}

/** Whether a package.json in `dir` or a parent (up to the repository root) depends on cac. */
async function packageListsCac(dir: string): Promise<boolean> {
  for (let folder = dir, depth = 0; depth < 64; depth += 1) {
    const text = await fs.readFile(join(folder, 'package.json'), 'utf8').catch(() => undefined)
    if (text !== undefined) {
      try {
        const manifest = JSON.parse(text) as { dependencies?: object; devDependencies?: object }
        return [manifest.dependencies, manifest.devDependencies].some((deps) => deps !== null && typeof deps === 'object' && 'campaigns-as-code' in deps)
      } catch {
        return false
      }
    }
    const parent = dirname(folder)
    if (parent === folder || (await lstatOrUndefined(join(folder, '.git')))) break
    folder = parent
  }
  return false
}

/** Appends `addition` to a shared file (creating it when absent), unless `present(text)` says it is there already; never follows a symlink. */
async function addToSharedFile(
  path: string,
  shown: string,
  present: (text: string) => boolean,
  addition: string,
  fresh: string,
): Promise<InitEntry> {
  const stat = await lstatOrUndefined(path)
  if (!stat) {
    await fs.writeFile(path, fresh, { flag: 'wx' })
    return { path: shown, action: 'created' }
  }
  if (!stat.isFile()) return { path: shown, action: 'kept', detail: 'not a regular file; add what cac needs by hand' }
  const text = await fs.readFile(path, 'utf8')
  if (present(text)) return { path: shown, action: 'kept', detail: 'already has what cac needs' }
  await fs.appendFile(path, `${text === '' || text.endsWith('\n') ? '' : '\n'}${addition}`)
  return { path: shown, action: 'appended' }
}

/** A .gitignore line as the path it ignores at the top: `/.cac`, `.cac/` and `.cac` alike. */
function ignoreEntry(line: string): string {
  return line.trim().replace(/^\//, '').replace(/\/$/, '')
}

export async function initProject(request: InitRequest): Promise<InitOutcome> {
  const dir = resolve(request.cwd, request.dir ?? '.')
  // Named as the user wrote it: a relative DIR relative to here, an absolute one as given.
  const shownDir = request.dir === undefined ? '.' : isAbsolute(request.dir) ? normalize(request.dir) : relative(request.cwd, dir) || '.'
  const dirStat = await lstatOrUndefined(dir)
  if (dirStat && !dirStat.isDirectory()) return { kind: 'refused', dir: shownDir, reason: `${shownDir} exists and is not a folder`, existing: [] }

  const project = starterProject(request.platforms, request.now)
  const existing: string[] = []
  for (const file of project.files) if (await lstatOrUndefined(join(dir, file.path))) existing.push(file.path)
  if (existing.length > 0) return { kind: 'refused', dir: shownDir, reason: 'these files exist already', existing }

  const entries: InitEntry[] = []
  for (const file of project.files) {
    const path = join(dir, file.path)
    await fs.mkdir(dirname(path), { recursive: true })
    // 'wx' fails rather than overwrite a file (or follow a symlink) that appeared since the check.
    await fs.writeFile(path, file.text, { flag: 'wx' })
    entries.push({ path: file.path, action: 'created' })
  }
  const ignored = project.gitignoreLines
  entries.push(
    await addToSharedFile(
      join(dir, '.gitignore'),
      '.gitignore',
      (text) => ignored.every((line) => text.split(/\r?\n/).some((held) => ignoreEntry(held) === ignoreEntry(line))),
      `# cac: the embedded sandbox's state and saved plans\n${ignored.join('\n')}\n`,
      `# cac: the embedded sandbox's state and saved plans\n${ignored.join('\n')}\nnode_modules/\n`,
    ),
  )
  entries.push(
    await addToSharedFile(
      join(dir, 'README.md'),
      'README.md',
      (text) => text.includes(README_SECTION_HEADING),
      `\n${project.readmeSection}`,
      `# ${basename(dir)}\n\n${project.readmeSection}`,
    ),
  )
  return { kind: 'written', dir: shownDir, entries, packageListsCac: await packageListsCac(dir) }
}
