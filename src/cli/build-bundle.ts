/**
 * Build step: bundles the code a quick run loads (quick-run.ts and everything it imports, each
 * command's share split into a chunk of its own, loaded when that command runs) into dist/bundle/,
 * from the JavaScript tsc wrote. Node then reads a few files at start-up instead of a hundred
 * modules, each resolved, read and linked on its own. The packages cac depends on stay outside
 * (loaded from node_modules as before). The bundle is a second form of dist/'s modules, never
 * loaded with them: a quick run loads only the bundle, an oclif run only dist/ (bin/cac.ts).
 *
 * The bundle sits two folders below the package root, as every module of dist/ does, so a path a
 * module makes from its own place (../../schemas/, ../config/validators.generated.cjs) means the
 * same file from either. An import the bundle leaves to run time that is not a package's
 * (bundle-check.ts) fails the build, as does any warning.
 */
import { readFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import { build } from 'esbuild'

import { bundleProblem } from './bundle-check.js'

const dist = fileURLToPath(new URL('../', import.meta.url))
const outdir = `${dist}bundle`

try {
  rmSync(outdir, { recursive: true, force: true })
  const result = await build({
    entryPoints: [`${dist}cli/quick-run.js`],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
    metafile: true,
  })
  if (result.warnings.length > 0) throw new Error(result.warnings.map((warning) => warning.text).join('; '))
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    const problem = bundleProblem(file, output.imports, readFileSync(file, 'utf8'))
    if (problem !== undefined) throw new Error(problem)
  }
} catch (error) {
  rmSync(outdir, { recursive: true, force: true })
  process.stderr.write(`build: cannot bundle the quick run: ${(error as Error).message}\n`)
  process.exit(1)
}
