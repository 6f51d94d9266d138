#!/usr/bin/env node
import { guardProcessOutput } from '../cli/output.js'
import { quickVersionLine } from '../cli/quick-version.js'

guardProcessOutput()
const words = process.argv.slice(2)
const versionLine = quickVersionLine(words)
if (versionLine !== undefined) {
  process.stdout.write(`${versionLine}\n`)
} else {
  // A plain command line runs without oclif; oclif (loaded only then) takes every other.
  const { startQuickly } = await import('../cli/quick-start.js')
  if (!(await startQuickly(words))) {
    const { execute } = await import('@oclif/core/execute')
    await execute({ dir: import.meta.url })
  }
}
