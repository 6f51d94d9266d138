import { Flags, Parser } from '@oclif/core'
import { describe, expect, it } from 'vitest'

import { reportError } from '../../src/cli/error-report.js'
import { unknownCommandError, type CommandCatalog } from '../../src/cli/usage-errors.js'
import Apply from '../../src/commands/apply.js'
import Drift from '../../src/commands/drift.js'
import Plan from '../../src/commands/plan.js'
import SandboxReset from '../../src/commands/sandbox/reset.js'
import SandboxServe from '../../src/commands/sandbox/serve.js'
import Validate from '../../src/commands/validate.js'

/** What the parser needs of a command: its flags, arguments and strictness. */
interface ParsedCommand {
  baseFlags?: Record<string, unknown>
  flags?: Record<string, unknown>
  args?: Record<string, unknown>
  strict?: boolean
}

/** What cac prints when the command line `argv` of `command` does not parse (oclif's real parser, cac's error mapper). */
async function usageError(command: ParsedCommand, id: string, argv: string[]): Promise<{ stderr: string; exitCode: number }> {
  try {
    await Parser.parse(argv, { flags: { ...command.baseFlags, ...command.flags }, args: command.args ?? {}, strict: command.strict ?? true } as Parameters<typeof Parser.parse>[1])
  } catch (error) {
    return reportError(error as Error, id, {})
  }
  throw new Error(`${id} ${argv.join(' ')} parsed without an error`)
}

describe('an unknown flag names the closest one the command has', () => {
  it.each([
    [Plan, 'plan', ['--frmat', 'json'], 'unknown flag --frmat (did you mean --format?)'],
    [Plan, 'plan', ['--frmat=json'], 'unknown flag --frmat (did you mean --format?)'],
    [Plan, 'plan', ['--no-colr'], 'unknown flag --no-colr (did you mean --no-color?)'],
    [Plan, 'plan', ['--detailed-exit-code'], 'unknown flag --detailed-exit-code (did you mean --detailed-exitcode?)'],
    [Apply, 'apply', ['--auto-aprove'], 'unknown flag --auto-aprove (did you mean --auto-approve?)'],
    [Drift, 'drift', ['--ignor', 'x', '--bogus'], 'unknown flags --ignor (did you mean --ignore?), --bogus'],
    [Drift, 'drift', ['--directroy', 'x'], 'unknown flag --directroy (did you mean --directory?)'],
    [Validate, 'validate', ['--hlep'], 'unknown flag --hlep (did you mean --help?)'],
  ])('%#: %s %s', async (command, id, argv, message) => {
    const { stderr, exitCode } = await usageError(command, id, argv)

    expect(exitCode).toBe(1)
    expect(stderr).toBe(`Error: ${message}\nSee: cac ${id} --help\n`)
  })

  it('suggests nothing for a flag far from every one, or a single letter', async () => {
    expect((await usageError(Plan, 'plan', ['--completely-unrelated'])).stderr.split('\n')[0]).toBe('Error: unknown flag --completely-unrelated')
    expect((await usageError(Plan, 'plan', ['-Z'])).stderr.split('\n')[0]).toBe('Error: unknown flag -Z')
  })

  it('suggests only flags of the command that was run (apply-only flags are not offered to drift)', async () => {
    const { stderr } = await usageError(Drift, 'drift', ['--pause-to-updat'])

    expect(stderr.split('\n')[0]).toBe('Error: unknown flag --pause-to-updat')
  })

  it('a value that is not one of the options names the closest option', async () => {
    expect((await usageError(Plan, 'plan', ['--format', 'jsn'])).stderr.split('\n')[0]).toBe(
      'Error: Expected --format=jsn to be one of: text, json, markdown, github (did you mean "json"?)',
    )
    expect((await usageError(Plan, 'plan', ['--format', 'xml'])).stderr.split('\n')[0]).toBe('Error: Expected --format=xml to be one of: text, json, markdown, github')
  })
})

describe('commands are named as typed, never by their internal ids', () => {
  it.each([
    [Plan, 'plan', ['--format', 'json', 'extra'], 'unexpected argument "extra": cac plan takes no arguments', 'cac plan --help'],
    [Apply, 'apply', ['plan.json', 'other.json'], 'unexpected argument "other.json": cac apply takes 1 argument (PLANFILE)', 'cac apply --help'],
  ])('%#: a stray argument says what the command takes', async (command, id, argv, message, help) => {
    const { stderr, exitCode } = await usageError(command, id, argv)

    expect(exitCode).toBe(1)
    expect(stderr).toBe(`Error: ${message}\nSee: ${help}\n`)
  })

  it('the help hint of a command in a topic is spelt with a space', async () => {
    const { stderr } = await usageError(Plan, 'sandbox:serve', ['--nope'])

    expect(stderr).toBe('Error: unknown flag --nope\nSee: cac sandbox serve --help\n')
  })
})

describe('words that name no command', () => {
  /** The shape of cac's own commands and topic (with a hidden command, as plugins have). */
  const catalog: CommandCatalog = {
    commands: [
      { id: 'plan', args: {} },
      { id: 'apply', args: { planfile: {} } },
      { id: 'validate', args: { paths: {} } },
      { id: 'sandbox:serve', args: {} },
      { id: 'sandbox:reset', args: {} },
      { id: 'autocomplete', args: { shell: {} } },
      { id: 'autocomplete:create', hidden: true },
    ],
    topics: [{ name: 'sandbox' }],
  }

  it.each([
    ['plan:extra-arg', 'unexpected argument "extra-arg": cac plan takes no arguments', 'cac plan --help'],
    ['plan:one:two', 'unexpected arguments "one", "two": cac plan takes no arguments', 'cac plan --help'],
    ['sandbox:serve:extra', 'unexpected argument "extra": cac sandbox serve takes no arguments', 'cac sandbox serve --help'],
    ['sandbox:serv', 'unknown command "sandbox serv" (did you mean "sandbox serve"?)', 'cac sandbox --help'],
    ['sandbox:nope', 'unknown command "sandbox nope" (cac sandbox has: reset, serve)', 'cac sandbox --help'],
    ['sandbx', 'unknown command "sandbx" (did you mean "sandbox"?)', 'cac --help'],
    ['valdate', 'unknown command "valdate" (did you mean "validate"?)', 'cac --help'],
    ['nope:extra', 'unknown command "nope"', 'cac --help'],
    ['autocomplete:creat:x', 'unexpected arguments "creat", "x": cac autocomplete takes 1 argument (SHELL)', 'cac autocomplete --help'],
  ])('%s → %s', (id, message, help) => {
    expect(unknownCommandError(id, catalog, { argumentsAfterCommand: true })).toEqual({ message, help })
  })

  it('help names one command: words after it are no arguments but an unknown command', () => {
    expect(unknownCommandError('plan:extra', catalog, { argumentsAfterCommand: false })).toEqual({ message: 'unknown command "plan extra"', help: 'cac plan --help' })
  })
})

describe('broken rules between flags, and bad flag values, in a few words', () => {
  it('two flags that exclude each other (sandbox reset --state/--url), in either order', async () => {
    for (const argv of [['--state', 'x.json', '--url', 'http://127.0.0.1:4010'], ['--url', 'http://127.0.0.1:4010', '--state', 'x.json']]) {
      const { stderr, exitCode } = await usageError(SandboxReset, 'sandbox:reset', argv)

      expect(exitCode).toBe(1)
      expect(stderr).toBe('Error: --url cannot be used with --state\nSee: cac sandbox reset --help\n')
    }
  })

  it('the default of an excluded flag is no conflict', async () => {
    const parsed = await Parser.parse(['--url', 'http://127.0.0.1:4010'], { flags: { ...SandboxReset.baseFlags, ...SandboxReset.flags }, args: {}, strict: true })

    expect(parsed.flags.url).toBe('http://127.0.0.1:4010')
  })

  /** A command shape with each kind of rule oclif checks (cac's commands declare only `exclusive` today). */
  const ruled: ParsedCommand = {
    baseFlags: {},
    flags: {
      name: Flags.string({ required: true }),
      out: Flags.string({ dependsOn: ['format'] }),
      format: Flags.string({}),
    },
    args: {},
    strict: true,
  }

  it.each([
    [['--out', 'x'], '--out also needs --format; --name is required'],
    [['--name', 'n', '--out', 'x'], '--out also needs --format'],
  ])('%s → %s', async (argv, message) => {
    const { stderr } = await usageError(ruled, 'plan', argv)

    expect(stderr.split('\n')[0]).toBe(`Error: ${message}`)
    expect(stderr).not.toContain('The following error')
  })

  it.each([
    [SandboxServe, 'sandbox:serve', ['--port', 'abc'], '--port: expected an integer but received: abc'],
    [SandboxServe, 'sandbox:serve', ['--port', '70000'], '--port: expected an integer less than or equal to 65535 but received: 70000'],
    [Plan, 'plan', ['--parallelism', '0'], '--parallelism: expected an integer greater than or equal to 1 but received: 0'],
    [Plan, 'plan', ['--timeout', 'soon'], '--timeout must be a number of seconds above 0 and at most 3600, got "soon"'],
  ])('%#: a bad value names its flag once', async (command, id, argv, message) => {
    const { stderr } = await usageError(command, id, argv)

    expect(stderr.split('\n')[0]).toBe(`Error: ${message}`)
  })
})

describe('what the user typed reaches the terminal escaped', () => {
  it.each([
    [Plan, 'plan', ['--x\u202eevil'], 'unknown flag --x\\u{202e}evil'],
    [Plan, 'plan', ['--format', 'json', 'a\u001b[2Jb'], 'unexpected argument "a\\u{001b}[2Jb": cac plan takes no arguments'],
    [SandboxServe, 'sandbox:serve', ['--port', '1\u001b[2J'], '--port: expected an integer but received: 1\\u{001b}[2J'],
  ])('%#: %s', async (command, id, argv, message) => {
    const { stderr } = await usageError(command, id, argv)

    expect(stderr.split('\n')[0]).toBe(`Error: ${message}`)
  })

  it('in words that name no command too', () => {
    const catalog: CommandCatalog = { commands: [{ id: 'plan', args: {} }], topics: [] }

    expect(unknownCommandError('pl\u001bn', catalog, { argumentsAfterCommand: true }).message).toBe('unknown command "pl\\u{001b}n" (did you mean "plan"?)')
  })
})
