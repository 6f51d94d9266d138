import { Parser } from '@oclif/core'
import { describe, expect, it } from 'vitest'

import { reportError } from '../../src/cli/error-report.js'
import Apply from '../../src/commands/apply.js'
import Drift from '../../src/commands/drift.js'
import Plan from '../../src/commands/plan.js'
import Validate from '../../src/commands/validate.js'

type ParsedCommand = typeof Plan | typeof Apply | typeof Drift | typeof Validate

/** What cac prints when the command line `argv` of `command` does not parse (oclif's real parser, cac's error mapper). */
async function usageError(command: ParsedCommand, id: string, argv: string[]): Promise<{ stderr: string; exitCode: number }> {
  try {
    await Parser.parse(argv, { flags: { ...command.baseFlags, ...command.flags }, args: command.args ?? {}, strict: command.strict ?? true })
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
      'Error: Expected --format=jsn to be one of: text, json, markdown (did you mean "json"?)',
    )
    expect((await usageError(Plan, 'plan', ['--format', 'xml'])).stderr.split('\n')[0]).toBe('Error: Expected --format=xml to be one of: text, json, markdown')
  })
})
