import { Parser } from '@oclif/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { parseQuickly, type QuickCommandTable } from '../../src/cli/quick-start.js'
import { quickTableOf } from '../../src/cli/quick-table.js'
import Apply from '../../src/commands/apply.js'
import Drift from '../../src/commands/drift.js'
import Import from '../../src/commands/import.js'
import Init from '../../src/commands/init.js'
import Plan from '../../src/commands/plan.js'
import SandboxReset from '../../src/commands/sandbox/reset.js'
import SandboxServe from '../../src/commands/sandbox/serve.js'
import Validate from '../../src/commands/validate.js'

/**
 * The quick start reads a command line without oclif. On every line it accepts it must give what
 * oclif's own parser gives with the command's flags; every other line it must leave to oclif.
 */
const COMMANDS = { validate: Validate, plan: Plan, apply: Apply, drift: Drift, import: Import, init: Init, 'sandbox:serve': SandboxServe, 'sandbox:reset': SandboxReset }
type CommandClass = (typeof COMMANDS)[keyof typeof COMMANDS]

const table: QuickCommandTable = await quickTableOf(COMMANDS)

const withoutUndefined = (record: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined))

async function oclifReads(command: CommandClass, argv: string[]): Promise<{ flags: Record<string, unknown>; args: Record<string, unknown>; positionals: unknown[] } | { refused: string }> {
  try {
    const parsed = await Parser.parse(argv, { flags: { ...command.baseFlags, ...command.flags }, args: command.args, strict: command.strict ?? true })
    return { flags: withoutUndefined(parsed.flags), args: withoutUndefined(parsed.args), positionals: parsed.argv }
  } catch (error) {
    return { refused: (error as Error).message }
  }
}

/** Words a command line of `command` may hold: its flags in every spelling, values oclif takes and refuses, and strays. */
function wordsOf(command: CommandClass): string[] {
  const flags = Object.entries({ ...command.baseFlags, ...command.flags }) as [string, { char?: string; allowNo?: boolean; options?: readonly string[] }][]
  const words = ['--', '-', '-h', '--help', '--bogus', '-x', '--no-bogus', 'campaigns', 'a.yaml', 'x', '12', '0', '1', '8', '300', '-1', '1.5', ' 7', '', '007', '99999', 'json', 'text', 'github', 'markdown', 'per-campaign']
  for (const [name, flag] of flags) {
    words.push(`--${name}`, `--${name}=x`, `--${name}=json`, `--${name}=12`, `--${name}=`, `--no-${name}`)
    if (flag.char !== undefined) words.push(`-${flag.char}`, `-${flag.char}x`, `-${flag.char}=x`)
    for (const option of flag.options ?? []) words.push(option, `--${name}=${option}`)
  }
  return words
}

describe('the quick start reads a command line as oclif does', () => {
  it('has every command whose flags it can read, and leaves the others to oclif', () => {
    expect(Object.keys(table).sort()).toEqual(['apply', 'drift', 'import', 'init', 'plan', 'validate'])
    // --timeout has a parser of its own: a line that uses it goes to oclif, which says what is wrong with it.
    expect(table.plan!.flags.find((flag) => flag.name === 'timeout')!.kind).toBe('other')
    expect(table.plan!.flags.find((flag) => flag.name === 'parallelism')).toMatchObject({ kind: 'integer', min: 1, max: 256, default: 8 })
    expect(table.plan!.flags.find((flag) => flag.name === 'format')).toMatchObject({ kind: 'text', options: ['text', 'json', 'markdown', 'github'] })
  })

  it.each(Object.keys(COMMANDS).filter((id) => id in table))('%s: every line it accepts, oclif reads the same; the usual lines are accepted', async (id) => {
    const command = COMMANDS[id as keyof typeof COMMANDS]
    let accepted = 0
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...wordsOf(command)), { maxLength: 7 }), async (argv) => {
        const quick = parseQuickly([id, ...argv], table)
        if (quick === undefined) return
        accepted += 1
        const oclif = await oclifReads(command, argv)
        expect(oclif, argv.join(' ')).not.toHaveProperty('refused')
        expect({ flags: quick.input.flags, args: quick.input.args, positionals: quick.input.positionals }, JSON.stringify(argv)).toEqual(oclif)
      }),
      { numRuns: 300 },
    )
    expect(accepted).toBeGreaterThan(30)
  })

  it.each([
    ['validate'],
    ['validate', 'campaigns', 'more/a.yaml', '--format', 'json'],
    ['validate', '--format=github', '-C', 'project', '--no-color'],
    ['plan', '--format', 'json', '--detailed-exitcode', '--out', 'plan.json'],
    ['plan', '--target', 'syllable/campaign/*', '--target', 'sarvam/*', '--parallelism', '16', '--sandbox'],
    ['apply', 'plan.json', '--auto-approve', '--format', 'github', '--lock-timeout', '0'],
    ['apply', '--auto-approve', '--env', '.env', '--config', 'other.yaml'],
    ['drift', '--ignore', 'syllable/*:hourly_rate', '--fail-on', 'pending', '--format', 'markdown'],
    ['import', '--dry-run', '--layout', 'per-campaign', '--provider', 'syllable'],
    ['init', 'new-project'],
  ])('runs %j without oclif, as oclif reads it', async (id, ...argv) => {
    const quick = parseQuickly([id, ...argv], table)
    expect(quick).toBeDefined()
    expect({ flags: quick!.input.flags, args: quick!.input.args, positionals: quick!.input.positionals }).toEqual(await oclifReads(COMMANDS[id as keyof typeof COMMANDS], argv))
  })

  it.each([
    ['plan', '--help'],
    ['plan', '-h'],
    ['plan', '--timeout', '5'],
    ['plan', '--parallelism', '0'],
    ['plan', '--parallelism', 'many'],
    ['plan', '--format', 'yaml'],
    ['plan', '--format', 'json', '--format', 'text'],
    ['plan', '--target', 'a', 'stray'],
    ['plan', 'stray'],
    ['plan', '--sandbox=true'],
    ['plan', '--no-sandbox'],
    ['plan', '--out'],
    ['plan', '--out', '--sandbox'],
    ['plan', '--', 'x'],
    ['validate', '--bogus'],
    ['apply', 'one.json', 'two.json'],
    ['sandbox', 'serve'],
    ['sandbox:serve'],
    ['help'],
    ['version'],
    ['--config', 'x', 'plan'],
    [],
  ])('leaves %j to oclif', (...words) => {
    expect(parseQuickly(words, table)).toBeUndefined()
  })
})
