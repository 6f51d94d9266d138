/**
 * The Sarvam platform as cac knows it: its kind, its cac.yaml fields (the organisation and
 * workspace every request path names), its API key header, its part of the emulator, and its
 * provider (loaded on first use).
 */
import { textField } from '../../model/values.js'
import { definePlatform } from '../define-platform.js'
import { CAMPAIGN_KIND } from './kinds.js'
import { sarvamStarter } from './starter.js'

/** The Sarvam-only settings of a provider entry. */
export interface SarvamSettings {
  /** cac.yaml `org_id`. */
  orgId?: string
  /** cac.yaml `workspace_id`. */
  workspaceId?: string
  /** cac.yaml `actor`: the user id Sarvam records (updated_by) for cac's API key. */
  actor?: string
}

export const sarvamPlatform = definePlatform<SarvamSettings>({
  type: 'sarvam',
  displayName: 'Sarvam',
  kinds: [CAMPAIGN_KIND],
  providerFields: {
    description: 'Settings of a Sarvam workspace.',
    typeDescription: 'Marks this provider as a Sarvam workspace.',
    urlDescription:
      'Sarvam scheduling API base URL (e.g. https://apps.sarvam.ai/api/scheduling), or sandbox for the built-in emulator. Its type and presence are checked by the common provider schema.',
    required: ['org_id', 'workspace_id'],
    properties: {
      org_id: {
        type: 'string',
        minLength: 1,
        description: 'Sarvam organisation id; part of every request path.',
        examples: ['acme'],
      },
      workspace_id: {
        type: 'string',
        minLength: 1,
        description: 'Workspace inside the organisation. Campaign names only need to be unique within one workspace.',
        examples: ['outbound'],
      },
      actor: {
        type: 'string',
        minLength: 1,
        description:
          "The user id Sarvam records in updated_by for this provider's API key: cac drift then tells cac's own changes (pending) from changes made elsewhere (drifted).",
        examples: ['cac-ci@example.com'],
      },
    },
    read: (entry) => {
      const settings: SarvamSettings = {}
      const orgId = textField(entry, 'org_id')
      if (orgId !== undefined) settings.orgId = orgId
      const workspaceId = textField(entry, 'workspace_id')
      if (workspaceId !== undefined) settings.workspaceId = workspaceId
      const actor = textField(entry, 'actor')
      if (actor !== undefined) settings.actor = actor
      return settings
    },
  },
  authHeader: 'X-API-Key',
  actorOf: (settings) => settings.actor,
  // A plan is bound to the organisation and workspace it was made for.
  targetScope: (settings) => ({
    ...(settings.orgId !== undefined ? { orgId: settings.orgId } : {}),
    ...(settings.workspaceId !== undefined ? { workspaceId: settings.workspaceId } : {}),
  }),
  sandbox: {
    path: '/api/scheduling/v1/orgs/{org_id}/workspaces/{workspace_id}',
    load: async () => (await import('../../sandbox/sarvam/routes.js')).sarvamEmulator,
  },
  starter: sarvamStarter,
  createProvider: async (input) => (await import('./index.js')).createSarvamProvider(input),
})
