import type { Hook } from '@oclif/core'

import { didYouMean } from '../../config/suggest.js'

/** An unknown command is a usage error: one clear line, a suggestion, exit 1 (never 2). */
const commandNotFound: Hook<'command_not_found'> = async function (options) {
  const known = options.config.commandIDs.filter((id) => !id.includes(':'))
  process.stderr.write(`Error: unknown command ${JSON.stringify(options.id)}${didYouMean(options.id, known)}\nSee: cac --help\n`)
  process.exitCode = 1
}

export default commandNotFound
