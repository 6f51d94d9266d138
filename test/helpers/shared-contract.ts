import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import { describe, it } from 'vitest'

/** The published Syllable outbound spec, kept in ../shared beside the clone (CI always has it). */
export const SYLLABLE_OPENAPI_PATH = fileURLToPath(new URL('../../../shared/api/syllable-openapi-outbound.json', import.meta.url))

/**
 * A suite that needs a file from ../shared. Without it the suite does not run, and says so loudly:
 * a warning on the console and a skipped test that names the missing file; under CI=true the
 * missing file fails the run instead, because CI is where the contract must be checked.
 */
export function describeWithSharedFile(name: string, path: string, suite: () => void): void {
  if (existsSync(path)) {
    describe(name, suite)
    return
  }
  const message = `${name}: NOT RUN, ${path} is missing (clone the project with ../shared beside it)`
  console.warn(`\n*** ${message} ***\n`)
  describe(name, () => {
    if (process.env.CI === 'true') it('needs its contract file from ../shared', () => { throw new Error(message) })
    else it.skip(message, () => undefined)
  })
}
