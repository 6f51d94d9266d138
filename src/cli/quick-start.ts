/**
 * The quick start: a command line whose every word is plain (known flags of the command, each
 * once unless repeatable, values that need no more than a text, choice or integer check) is parsed here and run
 * without loading oclif, which costs more at start-up than validating a small project. Anything
 * else (help, an unknown or repeated flag, a value oclif would refuse or read in its own way, a
 * command outside the table) is left to oclif, so every message about a command line stays
 * oclif's. The table is written at build time from the commands' own flags (quick-table.ts), and
 * a property test holds this parser to oclif's on every line it accepts. A line read here is run by
 * quick-run.ts (the bundled command code; see build-bundle.ts).
 */
import { readFileSync } from 'node:fs'

import type { ParsedInput, RunnableCommandId } from './command-runners.js'

/** How the quick start reads one flag's value. */
export type QuickFlagKind = 'boolean' | 'text' | 'integer' | 'other'

export interface QuickFlag {
  name: string
  char?: string
  kind: QuickFlagKind
  multiple: boolean
  /** `--no-NAME` sets a boolean to false. */
  allowNo: boolean
  /** The values a text flag accepts. */
  options?: string[]
  default?: unknown
  min?: number
  max?: number
}

export interface QuickCommand {
  flags: QuickFlag[]
  /** The command's named arguments, in order. */
  args: string[]
  /** Whether positionals beyond `args` are refused. */
  strict: boolean
}

export type QuickCommandTable = Partial<Record<RunnableCommandId, QuickCommand>>

export const QUICK_TABLE_URL = new URL('./quick-commands.json', import.meta.url)

/** A line the quick start can run: the command and its parsed input. */
export interface QuickLine {
  id: RunnableCommandId
  input: ParsedInput
}

/** Thrown inside the parser when a word is not plain: oclif takes the whole line. */
class LeaveToOclif extends Error {}

const leave = (): never => {
  throw new LeaveToOclif()
}

/** `cac ID ARGS…` parsed as oclif would, or undefined when the line is oclif's to read. */
export function parseQuickly(words: readonly string[], table: QuickCommandTable): QuickLine | undefined {
  const [id, ...argv] = words
  if (id === undefined || !Object.hasOwn(table, id)) return undefined
  const command = table[id as RunnableCommandId]!
  try {
    return { id: id as RunnableCommandId, input: parseInput(argv, command) }
  } catch (error) {
    if (error instanceof LeaveToOclif) return undefined
    throw error
  }
}

function parseInput(argv: readonly string[], command: QuickCommand): ParsedInput {
  const byName = new Map(command.flags.map((flag) => [flag.name, flag]))
  const byChar = new Map(command.flags.filter((flag) => flag.char !== undefined).map((flag) => [flag.char!, flag]))
  const given = new Map<string, unknown[]>()
  const positionals: string[] = []
  // oclif gives a bare word after a repeatable option to that option: such lines are oclif's.
  let afterRepeatable = false
  for (let at = 0; at < argv.length; at += 1) {
    const word = argv[at]!
    if (!word.startsWith('-') || word === '-') {
      if (afterRepeatable) leave()
      positionals.push(word)
      continue
    }
    const { flag, inline, negated } = flagOf(word, byName, byChar)
    const values = given.get(flag.name) ?? []
    if (values.length > 0 && !flag.multiple) leave()
    given.set(flag.name, values)
    if (flag.kind === 'boolean') {
      if (inline !== undefined) leave()
      values.push(!negated)
      continue
    }
    const raw = inline ?? argv[(at += 1)]
    if (raw === undefined || raw === '' || raw.startsWith('-')) leave()
    values.push(valueOf(flag, raw!))
    if (flag.multiple) afterRepeatable = true
  }
  if (command.strict && positionals.length > command.args.length) leave()
  // oclif orders positionals by where each word first appears, which moves a repeated one.
  if (new Set(positionals).size !== positionals.length) leave()
  const flags: Record<string, unknown> = {}
  for (const flag of command.flags) {
    const values = given.get(flag.name)
    if (values !== undefined) flags[flag.name] = flag.multiple ? values : values[0]
    else if (flag.default !== undefined) flags[flag.name] = flag.default
  }
  const args: Record<string, unknown> = {}
  command.args.forEach((name, index) => {
    if (index < positionals.length) args[name] = positionals[index]
  })
  return { flags, args, positionals }
}

/** The flag a word names (`--name`, `--name=value`, `--no-name`, `-c`); anything else is oclif's. */
function flagOf(word: string, byName: Map<string, QuickFlag>, byChar: Map<string, QuickFlag>): { flag: QuickFlag; inline?: string; negated: boolean } {
  if (!word.startsWith('--')) {
    const flag = word.length === 2 ? byChar.get(word[1]!) : undefined
    return flag ? { flag, negated: false } : leave()
  }
  if (word === '--') leave()
  const equals = word.indexOf('=')
  const name = equals === -1 ? word.slice(2) : word.slice(2, equals)
  const flag = byName.get(name)
  if (flag !== undefined) return equals === -1 ? { flag, negated: false } : { flag, inline: word.slice(equals + 1), negated: false }
  const negated = name.startsWith('no-') ? byName.get(name.slice(3)) : undefined
  if (negated?.kind === 'boolean' && negated.allowNo && equals === -1) return { flag: negated, negated: true }
  return leave()
}

function valueOf(flag: QuickFlag, raw: string): unknown {
  switch (flag.kind) {
    case 'text':
      return flag.options === undefined || flag.options.includes(raw) ? raw : leave()
    case 'integer': {
      if (!/^\d{1,15}$/.test(raw)) leave()
      const value = Number(raw)
      return (flag.min !== undefined && value < flag.min) || (flag.max !== undefined && value > flag.max) ? leave() : value
    }
    default:
      return leave()
  }
}

/** The table the build wrote, or undefined when there is none (oclif then runs every command). */
function readQuickTable(): QuickCommandTable | undefined {
  try {
    return JSON.parse(readFileSync(QUICK_TABLE_URL, 'utf8')) as QuickCommandTable
  } catch {
    return undefined
  }
}

/** The quick start's reading of `cac WORDS…`, or undefined when the line is oclif's (or the build wrote no table). */
export function quickLineOf(words: readonly string[]): QuickLine | undefined {
  const table = readQuickTable()
  return table === undefined ? undefined : parseQuickly(words, table)
}
