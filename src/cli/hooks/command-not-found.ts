import type { Hook } from '@oclif/core'

import { unknownCommandError } from '../usage-errors.js'

/**
 * Words that name no command are a usage error: one clear line, a suggestion, exit 1 (never 2).
 * oclif joins the words it could not match into one id (`plan extra` → `plan:extra`): said as typed.
 */
const commandNotFound: Hook<'command_not_found'> = async function (options) {
  const { message, help } = options.id.startsWith('-')
    ? { message: `unknown flag ${options.id}: flags go after the command, e.g. cac validate --format json`, help: 'cac --help' }
    : unknownCommandError(options.id, options.config, { argumentsAfterCommand: true })
  process.stderr.write(`Error: ${message}\nSee: ${help}\n`)
  process.exitCode = 1
}

export default commandNotFound
