/**
 * The Syllable platform as cac knows it: its kinds, its cac.yaml fields, its API key header, its
 * part of the emulator, and its provider (loaded on first use).
 */
import { textField } from '../../model/values.js'
import { definePlatform } from '../define-platform.js'
import { BATCH_KIND, CAMPAIGN_KIND } from './kinds.js'
import { syllableStarter } from './starter.js'

/** The Syllable-only settings of a provider entry. */
export interface SyllableSettings {
  /** Who cac names in last_updated_by (cac.yaml `actor`). */
  actor?: string
}

export const syllablePlatform = definePlatform<SyllableSettings>({
  type: 'syllable',
  displayName: 'Syllable',
  kinds: [CAMPAIGN_KIND, BATCH_KIND],
  providerFields: {
    description: 'Settings of a Syllable account.',
    typeDescription: 'Marks this provider as a Syllable account.',
    urlDescription:
      'Syllable API base URL (e.g. https://api.syllable.cloud), or sandbox for the built-in emulator. Its type and presence are checked by the common provider schema.',
    properties: {
      actor: {
        type: 'string',
        minLength: 1,
        description: 'Who cac reports as the author of its changes; sent where the API asks for last_updated_by, usually an email address.',
        examples: ['ci@example.com'],
      },
    },
    read: (entry) => {
      const actor = textField(entry, 'actor')
      return actor !== undefined ? { actor } : {}
    },
  },
  authHeader: 'Syllable-API-Key',
  actorOf: (settings) => settings.actor,
  sandbox: {
    path: '/api/v1/outbound',
    load: async () => (await import('../../sandbox/syllable/routes.js')).syllableEmulator,
  },
  starter: syllableStarter,
  createProvider: async (input) => (await import('./index.js')).createSyllableProvider(input),
})
