/**
 * What each command runs once its command line is parsed: one table for the oclif commands, the
 * quick start (quick-start.ts) and the in-process test tier, so all three run the same thing. Each
 * entry loads its run module only when called.
 */
import type { CommandIo } from './command-io.js'

/** A parsed command line: flags (defaults filled in), named arguments, and every positional in order. */
export interface ParsedInput {
  flags: Record<string, unknown>
  args: Record<string, unknown>
  positionals: readonly string[]
}

/** Runs a command's body; returns its exit code. */
export type CommandRunner = (input: ParsedInput, io: CommandIo) => Promise<number>

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

export const COMMAND_RUNNERS = {
  validate: async ({ flags, positionals }, io) => (await import('./run/validate.js')).runValidate(flags as never, positionals, io),
  plan: async ({ flags }, io) => (await import('./run/plan.js')).runPlan(flags as never, io),
  apply: async ({ flags, args }, io) => (await import('./run/apply.js')).runApply(flags as never, text(args.planfile), io),
  drift: async ({ flags }, io) => (await import('./run/drift.js')).runDrift(flags as never, io),
  import: async ({ flags }, io) => (await import('./run/import.js')).runImport(flags as never, io),
  init: async ({ args }, io) => (await import('./run/init.js')).runInit(text(args.dir), io),
  'sandbox:serve': async ({ flags }, io) => (await import('./run/sandbox-serve.js')).runSandboxServe(flags as never, io),
  'sandbox:reset': async ({ flags }, io) => (await import('./run/sandbox-reset.js')).runSandboxReset(flags as never, io),
} satisfies Record<string, CommandRunner>

export type RunnableCommandId = keyof typeof COMMAND_RUNNERS
