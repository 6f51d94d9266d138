import { promises as fs } from 'node:fs'
import { resolve } from 'node:path'

import { displayPath } from '../../config/display-path.js'
import { loadEnvironment } from '../../config/env-file.js'
import { findProjectFile, loadProjectConfig } from '../../config/project-config.js'
import { Diagnostics, type Diagnostic } from '../../model/diagnostic.js'
import { formatValidationText } from '../../render/diagnostics.js'
import type { CommandIo } from '../command-io.js'
import { RunFailure, UsageError } from '../command-errors.js'

/** The `sandbox:` section of the project cac runs in: what `sandbox serve` and `reset` default to. */
export interface ProjectSandbox {
  /** cac.yaml as the user reads it (relative to the working directory). */
  projectFile: string
  /** The state file, absolute. */
  statePath: string
  /** The frozen clock, when the section pins one. */
  now?: string
}

export interface ProjectLookup {
  config?: string | undefined
  env?: string[] | undefined
}

/**
 * The project's sandbox settings, found as every command finds its project (cac.yaml in the working
 * directory or a folder above it, or --config); undefined outside any project. Only the `sandbox:`
 * section matters here: a problem elsewhere in cac.yaml (an unset variable in a provider) does not
 * stop a sandbox, one that keeps cac.yaml from being read, or one in that section, does.
 */
export async function findProjectSandbox(flags: ProjectLookup, io: CommandIo): Promise<ProjectSandbox | undefined> {
  const file = flags.config !== undefined ? resolve(io.cwd, flags.config) : await findProjectFile(io.cwd)
  if (!(await fs.stat(file).then((found) => found.isFile(), () => false))) {
    if (flags.config !== undefined) throw new UsageError(`project file not found (--config ${flags.config})`)
    return undefined
  }
  const diagnostics = new Diagnostics()
  const env = await loadEnvironment(flags.env ?? [], io.env, io.cwd, diagnostics)
  const config = await loadProjectConfig({ cwd: io.cwd, configPath: file, env }, diagnostics)
  const blocking = diagnostics.sorted().filter((d) => d.severity === 'error' && (config === undefined || d.code === 'env-file' || isAboutSandbox(d)))
  if (blocking.length > 0 || config === undefined) {
    throw new RunFailure(`the sandbox settings of ${displayPath(file, io.cwd)} cannot be used:\n${problemLines(blocking)}Fix them, or run with --memory (or --state FILE).`)
  }
  return { projectFile: config.displayFile, statePath: config.sandbox.statePath, ...(config.sandbox.now !== undefined ? { now: config.sandbox.now } : {}) }
}

function isAboutSandbox(d: Diagnostic): boolean {
  return d.code === 'sandbox' || d.code.startsWith('sandbox.') || d.code.startsWith('sandbox[')
}

function problemLines(diagnostics: readonly Diagnostic[]): string {
  const text = formatValidationText({ diagnostics, errorCount: diagnostics.length, warningCount: 0, files: [], resources: [] }, false)
  // The problems, without the summary line that counts resources.
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('✗ ')).map((line) => `  ${line}\n`).join('')
}
