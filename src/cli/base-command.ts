import { Command, Errors, Flags, type Interfaces } from '@oclif/core'

import { ApiError } from '../http/errors.js'
import { LockError } from '../lock/file-lock.js'
import { PlatformError, ProviderSetupError } from '../model/platform-error.js'
import { shouldColor } from '../render/style.js'
import { StateFileError } from '../sandbox/store.js'

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/** A mistake in how cac was invoked (unknown flag, bad value): exit 1 with a hint, no stack trace. */
export class UsageError extends Error {}

/**
 * Shared flags, parsing, and the one place where errors become exit codes:
 * 0 success, 1 invalid input or failure (2 is reserved for "changes pending" / drift).
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override baseFlags = {
    config: Flags.string({
      description: 'path to the project file (default: ./cac.yaml)',
      helpGroup: 'GLOBAL',
    }),
    env: Flags.string({
      description: 'read environment variables from a dotenv file (repeatable; the process environment wins)',
      helpGroup: 'GLOBAL',
      multiple: true,
    }),
    color: Flags.boolean({
      description: 'colour the output (default: on a terminal, unless NO_COLOR is set)',
      helpGroup: 'GLOBAL',
      allowNo: true,
    }),
  }

  protected flags!: CommandFlags<T>
  protected args!: CommandArgs<T>
  /** Positional arguments after parsing (all of them, for commands that take a variable number). */
  protected positionals: string[] = []

  public override async init(): Promise<void> {
    await super.init()
    const ctor = this.ctor as unknown as typeof BaseCommand
    const { args, flags, argv } = await this.parse({
      flags: ctor.flags,
      baseFlags: ctor.baseFlags,
      args: ctor.args,
      strict: ctor.strict,
    })
    this.flags = flags as CommandFlags<T>
    this.args = args as CommandArgs<T>
    this.positionals = argv as string[]
  }

  /** Whether output to stdout should be coloured. */
  protected get color(): boolean {
    return shouldColor({ flag: this.flags.color as boolean | undefined, isTTY: process.stdout.isTTY, env: process.env })
  }

  protected write(text: string): void {
    process.stdout.write(text)
  }

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (error instanceof Errors.ExitError) throw error
    if (isOperationalError(error)) {
      // A failure of the run, not of cac: the platform, the network, a provider's setup.
      process.stderr.write(`Error: ${error.message}\n`)
      this.exit(1)
    }
    if (error instanceof UsageError || isParseError(error)) {
      process.stderr.write(`Error: ${usageMessage(error.message)}\nSee: cac ${this.id ?? ''} --help\n`)
      this.exit(1)
    }
    // Anything else is a defect in cac, not in the user's files: no stack unless asked for.
    process.stderr.write(
      `Internal error: ${firstLine(error.message)}\n` +
        'This is a bug in cac. Please report it with the command you ran ' +
        '(set CAC_DEBUG=1 to print the stack trace).\n',
    )
    if (process.env.CAC_DEBUG) process.stderr.write(`${error.stack ?? ''}\n`)
    this.exit(1)
  }
}

function isOperationalError(error: Error): boolean {
  return error instanceof ApiError || error instanceof ProviderSetupError || error instanceof PlatformError || error instanceof StateFileError || error instanceof LockError
}

function isParseError(error: Error & { oclif?: { exit?: number } }): boolean {
  return error instanceof Errors.CLIError && !(error instanceof Errors.ExitError)
}

/** oclif puts the reason of a flag error on the lines after the first: keep them, on one line. */
function usageMessage(message: string): string {
  const lines = message
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^See more help with/i.test(line))
  return lines.join(': ')
}

function firstLine(message: string): string {
  // oclif messages may carry ANSI codes and extra lines of context.
  return (message.split('\n').find((line) => line.trim() !== '') ?? message).trim()
}
