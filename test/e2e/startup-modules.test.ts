import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { afterAll, describe, expect, it } from 'vitest'

import { REPO_ROOT, cliEnv, runCli } from '../helpers/run-cli.js'
import { tempProject } from '../helpers/temp-project.js'

const TRACE_PRELOAD = fileURLToPath(new URL('../helpers/module-trace/trace.cjs', import.meta.url))
const traceDir = mkdtempSync(join(tmpdir(), 'cac-module-trace-'))
afterAll(() => rmSync(traceDir, { recursive: true, force: true }))

/** What a run of the built CLI loaded: npm packages by name, and cac's own modules as paths under dist/. */
interface LoadedModules {
  /** Every file loaded, as an absolute path. */
  files: string[]
  packages: Set<string>
  ownModules: Set<string>
  output: string
}

let runs = 0

async function modulesLoadedBy(args: string[], cwd = REPO_ROOT): Promise<LoadedModules> {
  const traceFile = join(traceDir, `trace-${(runs += 1)}.txt`)
  const result = await runCli(args, {
    cwd,
    env: { CAC_MODULE_TRACE: traceFile, NODE_OPTIONS: `--require ${TRACE_PRELOAD}` },
  })
  expect(result.stderr, args.join(' ')).toBe('')
  const files = readFileSync(traceFile, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('/') || line.startsWith('file:'))
    .map((line) => (line.startsWith('file:') ? fileURLToPath(line) : line))
  const packages = new Set<string>()
  const ownModules = new Set<string>()
  for (const path of files) {
    const inPackage = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)
    if (inPackage) packages.add(inPackage[1]!)
    else if (path.startsWith(join(REPO_ROOT, 'dist/'))) ownModules.add(path.slice(REPO_ROOT.length))
  }
  return { files, packages, ownModules, output: result.stdout }
}

/** Packages only validating, planning, applying or serving need. */
const HEAVY_PACKAGES = ['ajv', 'ajv-formats', 'yaml', 'js-yaml', 'undici', 'deep-diff']
/** cac's folders only those commands need. */
const HEAVY_FOLDERS = ['dist/config/', 'dist/sandbox/', 'dist/providers/', 'dist/http/', 'dist/plan/', 'dist/apply/', 'dist/workflow/']

/** The modules of dist/ a quick run loads outside the bundle: the entry, the line reader, the generated validators. */
const QUICK_RUN_OUTSIDE_BUNDLE = ['dist/bin/cac.js', 'dist/cli/quick-start.js', 'dist/cli/quick-version.js', 'dist/config/validators.generated.cjs']

/** A quick run loads cac's code from the bundle only; an oclif run from dist/'s modules only (never one module twice). */
function expectOneCopyOfEachModule({ ownModules }: LoadedModules, run: 'quick' | 'oclif'): void {
  const bundled = [...ownModules].filter((path) => path.startsWith('dist/bundle/'))
  if (run === 'quick') {
    expect(bundled.length).toBeGreaterThan(0)
    expect([...ownModules].filter((path) => !path.startsWith('dist/bundle/') && !QUICK_RUN_OUTSIDE_BUNDLE.includes(path))).toEqual([])
  } else {
    expect(bundled).toEqual([])
  }
}

const heavyModules = ({ packages, ownModules }: LoadedModules): string[] => [
  ...HEAVY_PACKAGES.filter((name) => packages.has(name)),
  ...[...ownModules].filter((path) => HEAVY_FOLDERS.some((folder) => path.startsWith(folder)) && path !== 'dist/config/suggest.js'),
]

describe('what the CLI loads at start-up', () => {
  it.each([['--version'], ['-v'], ['version']])('answers %s without oclif or any command', async (...args) => {
    const loaded = await modulesLoadedBy(args)
    expect(loaded.output).toMatch(/^campaigns-as-code\/\S+ \S+ node-v\S+\n$/)
    expect([...loaded.packages]).toEqual([])
    expect([...loaded.ownModules].sort()).toEqual(['dist/bin/cac.js', 'dist/cli/quick-version.js'])
  })

  it.each([['--help'], ['help', 'plan'], ['validate', '--help'], ['sandbox', 'serve', '--help'], ['apply', '-h']])(
    'shows %s from the manifest, loading no command and nothing heavy',
    async (...args) => {
      const loaded = await modulesLoadedBy(args)
      expect(loaded.output).toContain('USAGE')
      expect(loaded.packages.has('@oclif/core')).toBe(true) // the trace sees packages
      expect([...loaded.ownModules].filter((path) => path.startsWith('dist/commands/'))).toEqual([])
      expect(heavyModules(loaded)).toEqual([])
      expectOneCopyOfEachModule(loaded, 'oclif')
    },
  )

  it('validates with the precompiled validators (ajv\'s compiler is never loaded) and the fast path (no YAML library)', async () => {
    const loaded = await modulesLoadedBy(['validate'])
    expect(loaded.output).toContain('valid')
    expect(loaded.ownModules).toContain('dist/config/validators.generated.cjs')
    // The examples, cac.yaml and its ${env:…} values included, are all read by the fast path.
    expect(loaded.packages.has('yaml')).toBe(false)
    expect(loaded.packages.has('js-yaml')).toBe(false)
    const ajvFiles = loaded.files.filter((path) => /\/node_modules\/ajv\//.test(path))
    expect(ajvFiles.length).toBeGreaterThan(0)
    expect(ajvFiles.filter((line) => !/\/ajv\/dist\/runtime\//.test(line))).toEqual([])
    expect(loaded.packages.has('undici')).toBe(false)
    // A plain command line is run by the quick start: neither oclif nor the command's class is loaded.
    expect(loaded.packages.has('@oclif/core')).toBe(false)
    expect([...loaded.ownModules].filter((path) => path.startsWith('dist/commands/'))).toEqual([])
    expectOneCopyOfEachModule(loaded, 'quick')
  })

  it('plans a plain command line without oclif, and leaves any other line to it', async () => {
    const project = await tempProject()
    const plain = await modulesLoadedBy(['plan', '--sandbox', '--format', 'json', '--parallelism', '4'], project)
    expect(JSON.parse(plain.output)).toMatchObject({ summary: { create: 0, update: 0 } })
    expect(plain.packages.has('undici')).toBe(true) // the trace sees packages
    expect(plain.packages.has('@oclif/core')).toBe(false)
    expectOneCopyOfEachModule(plain, 'quick')
    // --timeout is read by its own parser, which only oclif runs: the same plan, by way of oclif's Plan command.
    const viaOclif = await modulesLoadedBy(['plan', '--sandbox', '--format', 'json', '--timeout', '30'], project)
    expect(JSON.parse(viaOclif.output)).toEqual(JSON.parse(plain.output))
    expect(viaOclif.packages.has('@oclif/core')).toBe(true)
    expect([...viaOclif.ownModules].filter((path) => path.startsWith('dist/commands/'))).toEqual(['dist/commands/plan.js'])
    expectOneCopyOfEachModule(viaOclif, 'oclif')
  })

  it('says to build when the bundle is missing (a tsc-only build), without a stack trace', () => {
    // The entry and the line reader alone, as tsc leaves them without the bundle step.
    const root = mkdtempSync(join(traceDir, 'no-bundle-'))
    for (const file of ['dist/bin/cac.js', 'dist/cli/quick-start.js', 'dist/cli/quick-version.js', 'dist/cli/quick-commands.json', 'package.json']) {
      cpSync(join(REPO_ROOT, file), join(root, file))
    }
    const result = spawnSync(process.execPath, [join(root, 'dist/bin/cac.js'), 'validate'], { cwd: REPO_ROOT, env: cliEnv(), encoding: 'utf8' })
    expect(result.status).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^cac: cannot load \S+\/dist\/bundle\/quick-run\.js \(.*\): run npm run build\n$/)
  })
})
