import * as Errors from '@oclif/core/errors'

import { ApiError } from '../http/errors.js'
import { LockError } from '../lock/file-lock.js'
import { classifyFailure } from '../model/failure-cause.js'
import { PlatformError, ProviderSetupError, RunRefusal } from '../model/platform-error.js'
import { refusedKeyAdvice } from '../render/apply-advice.js'
import { StateFileError } from '../sandbox/store.js'
import { RunFailure, UsageError } from './command-errors.js'
import { describeUsageError, helpCommand } from './usage-errors.js'

export { RunFailure, UsageError } from './command-errors.js'

export interface ErrorReport {
  stderr: string
  exitCode: number
}

/**
 * The one place an error that ends a command becomes text and an exit code: 1 for a failure of
 * the run (the platform, the network, a provider's setup, a lock) and for a usage mistake; 1 with
 * "this is a bug" for anything else, without a stack trace unless CAC_DEBUG is set.
 */
export function reportError(error: Error, commandId: string, env: NodeJS.ProcessEnv): ErrorReport {
  if (isOperationalError(error)) return { stderr: `Error: ${error.message}\n${adviceFor(error)}`, exitCode: 1 }
  if (error instanceof UsageError || (error instanceof Errors.CLIError && !(error instanceof Errors.ExitError))) {
    return { stderr: `Error: ${describeUsageError(error, commandId)}\nSee: ${helpCommand(commandId)}\n`, exitCode: 1 }
  }
  const stack = env.CAC_DEBUG ? `${error.stack ?? ''}\n` : ''
  return {
    stderr:
      `Internal error: ${firstLine(error.message)}\n` +
      'This is a bug in cac. Please report it with the command you ran ' +
      `(set CAC_DEBUG=1 to print the stack trace).\n${stack}`,
    exitCode: 1,
  }
}

/** A line on what to do, where the failure says it (a key the platform refused); '' otherwise. */
function adviceFor(error: Error): string {
  if (error instanceof PlatformError && classifyFailure(error).cause === 'credentials') {
    return `${refusedKeyAdvice([error.provider])}\n`
  }
  return ''
}

function isOperationalError(error: Error): boolean {
  return error instanceof RunFailure || error instanceof RunRefusal || error instanceof ApiError || error instanceof ProviderSetupError || error instanceof PlatformError || error instanceof StateFileError || error instanceof LockError
}

function firstLine(message: string): string {
  // oclif messages may carry ANSI codes and extra lines of context.
  return (message.split('\n').find((line) => line.trim() !== '') ?? message).trim()
}

/** The code a JSON or Markdown failure document gives an error that ended a command. */
export function failureCode(error: Error): string {
  if (error instanceof UsageError || (error instanceof Errors.CLIError && !(error instanceof Errors.ExitError))) return 'usage'
  if (error instanceof ApiError || error instanceof PlatformError || error instanceof ProviderSetupError) return 'platform'
  if (error instanceof LockError) return 'lock'
  if (error instanceof RunRefusal || error instanceof RunFailure) return 'refused'
  if (error instanceof StateFileError) return 'sandbox-state'
  return 'internal'
}
