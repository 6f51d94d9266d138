/**
 * Build step helper: the quick start's table (quick-start.ts), derived from the commands' own oclif
 * flags. A command is in it only when every flag and argument is one the quick parser reads exactly
 * as oclif does; how a value is read is found by asking the flag's own parser.
 */
import type { QuickCommand, QuickCommandTable, QuickFlag, QuickFlagKind } from './quick-start.js'
import type { RunnableCommandId } from './command-runners.js'

/** The parts of an oclif flag definition the table looks at. */
interface FlagDefinition {
  type: 'boolean' | 'option'
  char?: string
  multiple?: boolean
  allowNo?: boolean
  options?: readonly string[]
  default?: unknown
  min?: number
  max?: number
  required?: boolean
  parse?: (input: string, context: never, options: never) => Promise<unknown>
  [other: string]: unknown
}

interface CommandDefinition {
  baseFlags?: Record<string, unknown>
  flags?: Record<string, unknown>
  args?: Record<string, unknown>
  strict?: boolean
}

/** Settings that make oclif read a line in ways the quick parser does not: a command using any is left to oclif. */
const OCLIF_ONLY_SETTINGS = ['env', 'aliases', 'charAliases', 'exclusive', 'dependsOn', 'exactlyOne', 'relationships', 'combinable', 'delimiter', 'allowStdin', 'deprecated', 'multipleNonGreedy']

async function answers(flag: FlagDefinition, input: string): Promise<{ value: unknown } | undefined> {
  try {
    return { value: await flag.parse!(input, {} as never, flag as never) }
  } catch {
    return undefined
  }
}

/** How a value of `flag` is read: as given, as an integer, or in some other way. */
async function kindOf(flag: FlagDefinition): Promise<QuickFlagKind> {
  if (flag.type === 'boolean') return 'boolean'
  if (typeof flag.parse !== 'function') return 'other'
  const probes = ['x', '12', ' 0.5 ']
  const asText = await Promise.all(probes.map((probe) => answers(flag, probe)))
  if (asText.every((answer, index) => answer?.value === probes[index])) return 'text'
  const twelve = asText[1]
  const refused = await Promise.all(['x', '1.5', '12x'].map((probe) => answers(flag, probe)))
  if (twelve?.value === 12 && refused.every((answer) => answer === undefined)) return 'integer'
  return 'other'
}

async function quickFlag(name: string, flag: FlagDefinition): Promise<QuickFlag | undefined> {
  if (OCLIF_ONLY_SETTINGS.some((setting) => flag[setting] !== undefined) || flag.required === true) return undefined
  if (typeof flag.default === 'function') return undefined
  const kind = await kindOf(flag)
  // A value oclif would pass through the flag's own parser cannot be a default the table copies.
  if (kind === 'other' && flag.default !== undefined) return undefined
  return {
    name,
    ...(flag.char !== undefined ? { char: flag.char } : {}),
    kind,
    multiple: flag.multiple === true,
    allowNo: flag.allowNo === true,
    ...(flag.options !== undefined ? { options: [...flag.options] } : {}),
    ...(flag.default !== undefined ? { default: flag.default } : {}),
    ...(kind === 'integer' && typeof flag.min === 'number' ? { min: flag.min } : {}),
    ...(kind === 'integer' && typeof flag.max === 'number' ? { max: flag.max } : {}),
  }
}

/** A command's entry, or undefined when some flag or argument is one only oclif reads. */
export async function quickCommandOf(command: CommandDefinition): Promise<QuickCommand | undefined> {
  const definitions = { ...command.baseFlags, ...command.flags } as Record<string, FlagDefinition>
  const flags: QuickFlag[] = []
  for (const [name, definition] of Object.entries(definitions)) {
    const flag = await quickFlag(name, definition)
    if (flag === undefined) return undefined
    flags.push(flag)
  }
  const args = Object.entries((command.args ?? {}) as Record<string, Record<string, unknown>>)
  if (args.some(([, arg]) => arg.required === true || arg.options !== undefined || arg.default !== undefined || arg.multiple === true)) return undefined
  for (const [, arg] of args) {
    if (typeof arg.parse === 'function' && (await answers(arg as FlagDefinition, 'x'))?.value !== 'x') return undefined
  }
  return { flags, args: args.map(([name]) => name), strict: command.strict ?? true }
}

/** The table for every command the quick start can run. */
export async function quickTableOf(commands: Partial<Record<RunnableCommandId, CommandDefinition>>): Promise<QuickCommandTable> {
  const table: QuickCommandTable = {}
  for (const [id, command] of Object.entries(commands) as [RunnableCommandId, CommandDefinition][]) {
    const entry = await quickCommandOf(command)
    if (entry !== undefined) table[id] = entry
  }
  return table
}
