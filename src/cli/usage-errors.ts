/**
 * Mistakes in how cac was invoked, in cac's words: oclif's parse errors (an unknown flag, a stray
 * argument, a bad value, two flags that exclude each other) become one line that names the flag
 * or argument, suggests the closest flag or value, and spells commands as they are typed
 * (`cac sandbox serve`, never the internal `sandbox:serve`).
 */
import { closestMatch } from '../config/suggest.js'
import { printable } from '../render/values.js'

/** A command id as a user types it: `sandbox:serve` → `sandbox serve`. */
export function spokenCommand(id: string): string {
  return id.replace(/:/g, ' ')
}

/** The parts of oclif's parse errors read here (the classes themselves are not exported by @oclif/core). */
interface ParseFailure {
  /** NonExistentFlagsError: the flags as typed (`--frmat`, `--frmat=json`, `-Z`). */
  flags?: unknown
  /** UnexpectedArgsError: the arguments left over. */
  args?: unknown
  parse?: { input?: { flags?: Record<string, FlagShape>; args?: Record<string, unknown> } }
}

interface FlagShape {
  hidden?: boolean
  allowNo?: boolean
  type?: string
}

/**
 * The message of a usage error, one line; `commandId` is the command that was run. What the user
 * typed is in it with control and bidirectional characters escaped: it goes to a terminal.
 */
export function describeUsageError(error: Error, commandId: string): string {
  return printable(usageMessage(error, commandId))
}

function usageMessage(error: Error, commandId: string): string {
  const failure = error as Error & ParseFailure
  const flagDefinitions = failure.parse?.input?.flags
  if (isStringList(failure.flags) && flagDefinitions) return unknownFlagsMessage(failure.flags, typedFlagNames(flagDefinitions))
  if (isStringList(failure.args) && failure.parse?.input?.args) return unexpectedArgumentsMessage(failure.args, commandId, Object.keys(failure.parse.input.args))
  const validation = /^The following errors? occurred:\n([\s\S]*)$/.exec(plain(error.message))
  if (validation) return reasonLines(validation[1]!).map(flagRuleMessage).join('; ')
  const parsing = /^Parsing (--[\w-]+)\s*\n([\s\S]*)$/.exec(plain(error.message))
  if (parsing) return flagValueMessage(parsing[1]!, oneLine(parsing[2]!))
  return withValueSuggestion(oneLine(error.message))
}

/**
 * A broken rule between flags, in a few words: oclif's reasons for `exclusive`, `dependsOn`,
 * `required`, `exactlyOne`, `atLeastOne` and `combinable`, rephrased (others are kept as they are).
 */
export function flagRuleMessage(reason: string): string {
  const rules: [RegExp, (...parts: string[]) => string][] = [
    [/^--([\w-]+)(?:=.*)? cannot also be provided when using --([\w-]+)$/s, (other, flag) => `--${other} cannot be used with --${flag}`],
    [/^Missing required flag ([\w-]+)$/, (flag) => `--${flag} is required`],
    [/^All of the following must be provided when using --([\w-]+): (.*)$/, (flag, others) => `--${flag} also needs ${others}`],
    [/^One of the following must be provided when using --([\w-]+): (.*)$/, (flag, others) => `--${flag} needs one of ${others}`],
    [/^Exactly one of the following must be provided: (.*)$/, (flags) => `exactly one of ${flags} is needed`],
    [/^At least one of the following must be provided: (.*)$/, (flags) => `at least one of ${flags} is needed`],
    [/^Only the following can be provided when using --([\w-]+): (.*)$/, (flag, others) => `--${flag} can only be used with ${others}`],
  ]
  for (const [pattern, say] of rules) {
    const match = pattern.exec(reason)
    if (match) return say(...match.slice(1))
  }
  return reason
}

/** `--port: expected an integer but received: abc`; a flag's own message that names it already is kept whole. */
function flagValueMessage(flag: string, reason: string): string {
  if (reason.startsWith(flag)) return reason
  return `${flag}: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`
}

/** The reasons oclif lists under its header, one per line, without its help hint. */
function reasonLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^See more help with/i.test(line))
}

/** `Expected --format=jsn to be one of: text, json` gains ` (did you mean "json"?)` when one is close. */
function withValueSuggestion(message: string): string {
  const invalidOption = /^Expected --[\w-]+=(.*) to be one of: (.*)$/.exec(message)
  if (!invalidOption) return message
  const match = closestMatch(invalidOption[1]!, invalidOption[2]!.split(', '))
  return match === undefined ? message : `${message} (did you mean ${JSON.stringify(match)}?)`
}

/** `unknown flag --frmat (did you mean --format?)`; several: `unknown flags --frmat (did you mean --format?), --bogus`. */
export function unknownFlagsMessage(typed: readonly string[], known: readonly string[]): string {
  const described = typed.map((flag) => {
    const written = flag.split('=')[0]!
    const bare = written.replace(/^-+/, '')
    // A single letter (`-Z`) is too short to guess from.
    const match = bare.length > 1 ? closestMatch(bare, known) : undefined
    return match === undefined ? printable(written) : `${printable(written)} (did you mean --${match}?)`
  })
  return `unknown flag${typed.length === 1 ? '' : 's'} ${described.join(', ')}`
}

/** The long flags a user may type for these definitions: visible ones, their `--no-` forms, and `--help`. */
export function typedFlagNames(definitions: Record<string, FlagShape>): string[] {
  const names = Object.entries(definitions)
    .filter(([, flag]) => flag.hidden !== true)
    .flatMap(([name, flag]) => (flag.type === 'boolean' && flag.allowNo === true ? [name, `no-${name}`] : [name]))
  return [...names, 'help']
}

/** `unexpected argument "extra": cac plan takes no arguments` / `… cac apply takes 1 argument (PLANFILE)`. */
export function unexpectedArgumentsMessage(extras: readonly string[], commandId: string, argumentNames: readonly string[]): string {
  const listed = extras.map(quoted).join(', ')
  const command = `cac ${spokenCommand(commandId)}`
  const takes =
    argumentNames.length === 0
      ? 'takes no arguments'
      : `takes ${argumentNames.length} argument${argumentNames.length === 1 ? '' : 's'} (${argumentNames.map((name) => name.toUpperCase()).join(', ')})`
  return `unexpected argument${extras.length === 1 ? '' : 's'} ${listed}: ${command} ${takes}`
}

/** The commands and topics a CLI has, as oclif's Config holds them. */
export interface CommandCatalog {
  readonly commands: readonly { id: string; hidden?: boolean; args?: Record<string, unknown> }[]
  readonly topics: readonly { name: string; hidden?: boolean }[]
}

/** A usage error about the words before the flags, and where to look for help. */
export interface CommandWordsError {
  message: string
  help: string
}

/**
 * What to say when the words typed (joined by oclif into `id`, e.g. `sandbox:nope`, `plan:extra`)
 * name no command: a command followed by words it does not take (`plan extra` → unexpected
 * argument), an unknown command of a topic (`sandbox nope`, with that topic's commands), or an
 * unknown first word, with the closest command or topic. `words` after a command count as
 * arguments unless `argumentsAfterCommand` is false (help names one command, it takes no arguments).
 */
export function unknownCommandError(id: string, catalog: CommandCatalog, options: { argumentsAfterCommand: boolean }): CommandWordsError {
  const words = id.split(':')
  const visible = catalog.commands.filter((command) => command.hidden !== true)
  for (let length = words.length - 1; length >= 1; length -= 1) {
    const prefix = words.slice(0, length).join(':')
    const command = visible.find((candidate) => candidate.id === prefix)
    if (command && options.argumentsAfterCommand) {
      return { message: unexpectedArgumentsMessage(words.slice(length), prefix, Object.keys(command.args ?? {})), help: helpCommand(prefix) }
    }
    if (command) return { message: `unknown command ${quoted(spokenCommand(id))}`, help: helpCommand(prefix) }
    const topicCommands = visible.filter((candidate) => candidate.id.startsWith(`${prefix}:`)).map((candidate) => spokenCommand(candidate.id))
    if (topicCommands.length > 0) {
      const typed = spokenCommand(words.slice(0, length + 1).join(':'))
      // The last word against the topic's own words: `serv` → `serve`, while `nope` is close to none.
      const lastWords = topicCommands.map((command) => command.slice(spokenCommand(prefix).length + 1))
      const match = closestMatch(words[length]!, lastWords)
      const hint =
        match === undefined ? ` (cac ${spokenCommand(prefix)} has: ${lastWords.sort().join(', ')})` : ` (did you mean ${JSON.stringify(`${spokenCommand(prefix)} ${match}`)}?)`
      return { message: `unknown command ${quoted(typed)}${hint}`, help: helpCommand(prefix) }
    }
  }
  const first = words[0]!
  const known = [...visible.map((command) => command.id), ...catalog.topics.filter((topic) => topic.hidden !== true).map((topic) => topic.name)].filter(
    (name) => !name.includes(':'),
  )
  const match = closestMatch(first, [...new Set(known)])
  return { message: `unknown command ${quoted(first)}${match === undefined ? '' : ` (did you mean ${JSON.stringify(match)}?)`}`, help: helpCommand('') }
}

/** Where help for a command is: `cac sandbox serve --help` (`cac --help` for none). */
export function helpCommand(commandId: string): string {
  return commandId === '' ? 'cac --help' : `cac ${spokenCommand(commandId)} --help`
}

/** oclif puts the reason of a flag error on the lines after the first: keep them, on one line, without its own help hint. */
function oneLine(message: string): string {
  return reasonLines(plain(message)).join(': ')
}

/** Without the colour codes oclif adds on a terminal. */
function plain(message: string): string {
  return message.replace(/\u001b\[[0-9;]*m/g, '')
}

/** What the user typed, in quotes, with control and bidirectional characters escaped (it reaches a terminal). */
function quoted(text: string): string {
  return `"${printable(text)}"`
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')
}
