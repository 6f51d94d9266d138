import { PLATFORMS } from '../../platforms.js'
import { renderInit } from '../../render/init-report.js'
import { initProject } from '../../workflow/init-project.js'
import type { CommandIo } from '../command-io.js'

/** `cac init [DIR]`: writes a starter project; returns the exit code. */
export async function runInit(dir: string | undefined, io: CommandIo, now = new Date()): Promise<number> {
  const outcome = await initProject({ cwd: io.cwd, dir, platforms: PLATFORMS, now })
  const ending = renderInit(outcome)
  io.stdout.write(ending.stdout)
  io.stderr.write(ending.stderr)
  return ending.exitCode
}
