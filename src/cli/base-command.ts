import * as Errors from '@oclif/core/errors'
import * as Flags from '@oclif/core/flags'
import type { Interfaces } from '@oclif/core'
import { Command } from '@oclif/core/command'

import { processIoIn, type CommandIo } from './command-io.js'
import type { ParsedInput } from './command-runners.js'

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

export { UsageError } from './command-errors.js'

/**
 * Shared flags, parsing, and the one place where errors become exit codes:
 * 0 success, 1 invalid input or failure (2 is reserved for "changes pending" / drift).
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override baseFlags = {
    directory: Flags.string({
      char: 'C',
      description: 'run as if cac was started in this folder',
      helpGroup: 'GLOBAL',
      helpValue: 'DIR',
    }),
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

  /** The process as this command's world, in the folder -C names (checked to be one). */
  protected get io(): CommandIo {
    return processIoIn(this.flags.directory as string | undefined)
  }

  /** The parsed command line, as the command runners take it (command-runners.ts). */
  protected get input(): ParsedInput {
    return { flags: this.flags as Record<string, unknown>, args: this.args as Record<string, unknown>, positionals: this.positionals }
  }

  /** Ends the command with the exit code its runner returned. */
  protected finish(exitCode: number): void {
    if (exitCode !== 0) this.exit(exitCode)
  }

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (error instanceof Errors.ExitError) throw error
    // Loaded only on failure: it knows every kind of error, and so imports their modules.
    const { reportError } = await import('./error-report.js')
    const report = reportError(error, this.id ?? '', process.env)
    process.stderr.write(report.stderr)
    return this.exit(report.exitCode)
  }
}
