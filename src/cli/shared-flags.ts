import { Flags } from '@oclif/core'

/** Flags of the commands that talk to the platforms (plan, apply). */
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
    description: 'only resources whose address matches this glob (repeatable), e.g. "syllable/campaign/*"',
    multiple: true,
  }),
  'pause-to-update': Flags.boolean({
    description: 'update an active Sarvam campaign by pausing it, updating it and resuming it',
    default: false,
  }),
}
