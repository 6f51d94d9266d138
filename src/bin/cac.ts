#!/usr/bin/env node
import { quickVersionLine } from '../cli/quick-version.js'

/** The bundle of the quick run (dist/bundle/, written by build-bundle.ts). */
const QUICK_RUN_BUNDLE = new URL('../bundle/quick-run.js', import.meta.url).href

/** A build without its bundle (tsc run alone) says so, instead of a loader's stack trace. */
function bundleMissing(error: NodeJS.ErrnoException): never {
  if (error.code !== 'ERR_MODULE_NOT_FOUND') throw error
  process.stderr.write(`cac: cannot load ${new URL(QUICK_RUN_BUNDLE).pathname} (${error.message.split('\n')[0]}): run npm run build\n`)
  process.exit(1)
}

const words = process.argv.slice(2)
const versionLine = quickVersionLine(words)
if (versionLine !== undefined) {
  process.stdout.write(`${versionLine}\n`)
} else {
  // A plain command line runs without oclif, from the bundle the build writes (one file per
  // command's share of the code instead of a hundred modules); oclif, loaded only then, takes
  // every other line, from the modules of dist/. A run loads one of the two, never both.
  const { quickLineOf } = await import('../cli/quick-start.js')
  const line = quickLineOf(words)
  if (line !== undefined) {
    const { runQuickLine } = (await import(QUICK_RUN_BUNDLE).catch(bundleMissing)) as typeof import('../cli/quick-run.js')
    await runQuickLine(line)
  } else {
    const { guardProcessOutput } = await import('../cli/output.js')
    guardProcessOutput()
    const { execute } = await import('@oclif/core/execute')
    await execute({ dir: import.meta.url })
  }
}
