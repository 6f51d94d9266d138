import { runInProcess } from './in-process-cli.js'
import type { CliResult, RunOptions } from './run-cli.js'

/** The in-process twin of `validate(cwd, args, env)` (run-cli.ts): `cac validate ARGS…` in a project directory, in this process. */
export function validateInProcess(cwd: string, args: readonly string[] = [], env?: RunOptions['env']): Promise<CliResult> {
  return runInProcess(['validate', ...args], env === undefined ? { cwd } : { cwd, env })
}
