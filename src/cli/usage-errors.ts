/**
 * Mistakes in how cac was invoked, in cac's words: oclif's parse errors (an unknown flag, a stray
 * argument, a bad value, two flags that exclude each other) become one line that names the flag
 * or argument, suggests the closest flag or value, and spells commands as they are typed
 * (`cac sandbox serve`, never the internal `sandbox:serve`).
 */
import { closestMatch } from '../config/suggest.js'

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

/** The message of a usage error, one line; `commandId` is the command that was run. */
export function describeUsageError(error: Error, commandId: string): string {
  const failure = error as Error & ParseFailure
  const flagDefinitions = failure.parse?.input?.flags
  if (isStringList(failure.flags) && flagDefinitions) return unknownFlagsMessage(failure.flags, typedFlagNames(flagDefinitions))
  const message = oneLine(error.message)
  return withValueSuggestion(message)
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
    return match === undefined ? written : `${written} (did you mean --${match}?)`
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

/** oclif puts the reason of a flag error on the lines after the first: keep them, on one line, without its own help hint. */
function oneLine(message: string): string {
  return message
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^See more help with/i.test(line))
    .join(': ')
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')
}
