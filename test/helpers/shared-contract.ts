import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import { describe, it } from 'vitest'

/** The published Syllable outbound spec, kept in ../shared beside the clone (CI always has it). */
export const SYLLABLE_OPENAPI_PATH = fileURLToPath(new URL('../../../shared/api/syllable-openapi-outbound.json', import.meta.url))

/**
 * A suite that needs a file from ../shared. Without it the suite cannot run, and says so loudly:
 * a warning on the console and a failing test that names the missing file (a contract check that
 * quietly did not happen would read as a pass).
 */
export function describeWithSharedFile(name: string, path: string, suite: () => void): void {
  if (existsSync(path)) {
    describe(name, suite)
    return
  }
  const message = `${name}: NOT RUN, ${path} is missing (clone the project with ../shared beside it)`
  console.warn(`\n*** ${message} ***\n`)
  describe(name, () => {
    it('needs its contract file from ../shared', () => {
      throw new Error(message)
    })
  })
}
