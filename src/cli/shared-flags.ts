import * as Errors from '@oclif/core/errors'
import * as Flags from '@oclif/core/flags'


/** Flags of the commands that talk to the platforms (plan, apply); what they become is in flag-values.ts. */
export const platformFlags = {
  sandbox: Flags.boolean({
    description: 'send every provider to the embedded sandbox, whatever its url',
    default: false,
    helpGroup: 'GLOBAL',
  }),
  parallelism: Flags.integer({
    description: 'requests and changes in flight at once per API',
    default: 8,
    min: 1,
    max: 256,
    helpGroup: 'GLOBAL',
  }),
  target: Flags.string({
    description: 'only resources whose address (PROVIDER/NOUN/NAME) matches this glob (repeatable), e.g. "PROVIDER/campaign/*"',
    multiple: true,
  }),
  timeout: Flags.custom<number>({
    description: "seconds one request may take, connect to last byte (default: each provider's timeout, else 60)",
    helpValue: 'SECONDS',
    helpGroup: 'GLOBAL',
    parse: async (input) => parseTimeoutSeconds(input),
  })(),
  'pause-to-update': Flags.boolean({
    description: 'update a campaign that is running by pausing it, updating it and resuming it (where its platform allows that)',
    default: false,
  }),
}

/** The flags of commands that only read the platforms (drift, import): no apply option. */
const { 'pause-to-update': _applyOnly, ...readOnlyFlags } = platformFlags
export const readPlatformFlags = readOnlyFlags

/** `--lock-timeout SECONDS`: how long to wait for another cac process's lock (0 = refuse at once). */
export function lockTimeoutFlag(defaultSeconds: number, what: string) {
  return Flags.integer({
    description: `seconds to wait for ${what} while another cac process holds it (0 = refuse at once)`,
    default: defaultSeconds,
    min: 0,
    max: 86_400,
  })
}

/** The longest --timeout accepted: one hour for a single request is already a hang. */
const MAX_TIMEOUT_SECONDS = 3600

/** `--timeout SECONDS`: a positive number of seconds (fractions allowed), at most an hour. A CLIError, so it reads as a usage error. */
export function parseTimeoutSeconds(input: string): number {
  const seconds = Number(input.trim())
  if (input.trim() === '' || !Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_TIMEOUT_SECONDS) {
    throw new Errors.CLIError(`--timeout must be a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS}, got ${JSON.stringify(input.slice(0, 40))}`)
  }
  return seconds
}
