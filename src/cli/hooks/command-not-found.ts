import type { Hook } from '@oclif/core'

import { didYouMean } from '../../config/suggest.js'

/** An unknown command is a usage error: one clear line, a suggestion, exit 1 (never 2). */
const commandNotFound: Hook<'command_not_found'> = async function (options) {
  const known = options.config.commandIDs.filter((id) => !id.includes(':'))
  const message = options.id.startsWith('-')
    ? `unknown flag ${options.id}: flags go after the command, e.g. cac validate --format json`
    : `unknown command ${JSON.stringify(options.id)}${didYouMean(options.id, known)}`
  process.stderr.write(`Error: ${message}\nSee: cac --help\n`)
  process.exitCode = 1
}

export default commandNotFound
