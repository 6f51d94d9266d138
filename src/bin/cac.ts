#!/usr/bin/env node
import { guardProcessOutput } from '../cli/output.js'
import { quickVersionLine } from '../cli/quick-version.js'

guardProcessOutput()
const versionLine = quickVersionLine(process.argv.slice(2))
if (versionLine !== undefined) {
  process.stdout.write(`${versionLine}\n`)
} else {
  // Loaded only now: a version request does not need oclif.
  const { execute } = await import('@oclif/core/execute')
  await execute({ dir: import.meta.url })
}
