import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

import { onTestFinished } from 'vitest'
import { TestRunner } from 'vitest'

/**
 * The repository's own cac.yaml, copied verbatim (line numbers included): providers `syllable`
 * and `sarvam`, definitions in `campaigns/`. Kept as text here so that the example project can
 * evolve without moving the lines these tests point at.
 */
export const DEFAULT_CAC_YAML = `# yaml-language-server: $schema=./schemas/cac.schema.json
definitions: campaigns            # folder scanned for *.yaml / *.yml (multi-document allowed)
providers:
  syllable:                       # provider name, referenced by definitions
    type: syllable
    url: \${env:SYLLABLE_API_URL:-sandbox}   # "sandbox" = the embedded emulator
    api_key: \${env:SYLLABLE_API_KEY:-}
    actor: ci@example.com         # used where the API wants last_updated_by
  sarvam:
    type: sarvam
    url: \${env:SARVAM_API_URL:-sandbox}
    api_key: \${env:SARVAM_API_KEY:-}
    org_id: acme
    workspace_id: outbound
`

export interface TempProjectOptions {
  /** Write only the given files: no default cac.yaml, no campaigns/ folder. */
  bare?: boolean
  /**
   * The test context's `onTestFinished`, for tests that run concurrently (`describe.concurrent`,
   * `it.concurrent`): vitest's global hook cannot tell concurrent tests apart.
   */
  onTestFinished?: (cleanup: () => Promise<void>) => void
}

/**
 * Creates a fresh project directory under the OS temp dir, removed when the current test ends.
 * By default it holds the default cac.yaml and an empty campaigns/ folder; `files` (paths relative
 * to the project, `/`-separated) are added on top and may replace cac.yaml.
 * Returns the real path of the directory (what the CLI sees as its working directory).
 */
export async function tempProject(
  files: Record<string, string | Buffer> = {},
  options: TempProjectOptions = {},
): Promise<string> {
  if (options.onTestFinished === undefined && TestRunner.getCurrentTest()?.concurrent) {
    throw new Error('tempProject in a concurrent test: pass { onTestFinished } from the test context')
  }
  const project = await writeProject(files, options)
  ;(options.onTestFinished ?? onTestFinished)(project.remove)
  return project.dir
}

/**
 * Like `tempProject`, for a project shared by several tests (created in `beforeAll`): the caller
 * removes it, typically with `afterAll(project.remove)`.
 */
export async function writeProject(
  files: Record<string, string | Buffer> = {},
  options: TempProjectOptions = {},
): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'cac-e2e-')))
  const remove = () => rm(dir, { recursive: true, force: true })
  try {
    const all: Record<string, string | Buffer> = options.bare ? { ...files } : { 'cac.yaml': DEFAULT_CAC_YAML, ...files }
    if (!options.bare) await mkdir(join(dir, 'campaigns'), { recursive: true })
    for (const [path, content] of Object.entries(all)) {
      const target = join(dir, ...path.split('/'))
      await mkdir(dirname(target), { recursive: true })
      await writeFile(target, content)
    }
  } catch (error) {
    await remove()
    throw error
  }
  return { dir, remove }
}

/**
 * Inline YAML for fixtures: drops the first line break and the common indentation, and ends the
 * text with one newline, so that line 1 of the file is the first line written in the test.
 * Write `\${env:NAME}` for a literal `${env:NAME}`; a real `${expr}` is interpolated by JavaScript.
 */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  let text = strings[0] ?? ''
  values.forEach((value, i) => {
    text += String(value) + (strings[i + 1] ?? '')
  })
  const lines = text.replace(/^\n/, '').replace(/\n[ \t]*$/, '').split('\n')
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length)
  const indent = indents.length > 0 ? Math.min(...indents) : 0
  return lines.map((line) => line.slice(indent)).join('\n') + '\n'
}
