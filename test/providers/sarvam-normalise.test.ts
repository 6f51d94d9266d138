import { readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import type { FieldChange } from '../../src/model/plan.js'
import { diffSpecs } from '../../src/model/spec-diff.js'
import type { LiveResource } from '../../src/model/provider.js'
import {
  ACTIVE_REASON,
  CANCELLED_REASON,
  CREATE_ONLY_REASONS,
  ENDED_REASON,
  assessCampaignChange,
  normaliseCampaignSummary,
  normaliseDesiredCampaign,
  normaliseLiveCampaign,
  patchBody,
} from '../../src/providers/sarvam/index.js'
import {
  SPEC_SHAPE,
  canonicalClockTime,
  canonicalInstant,
  canonicalWeekdays,
  type FieldShape,
} from '../../src/providers/sarvam/normalise.js'
import { campaignsPath, type CampaignSummary } from '../../src/providers/sarvam/api.js'
import { oneCampaignPerName } from '../../src/providers/sarvam/live.js'
import { campaignSpec } from './sarvam-support.js'

/** A CampaignDetail as the API returns it (the docs' GET example, with our values). */
function detail(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'renewals-hi',
    campaign_id: 'camp-0000002a',
    status: 'scheduled',
    app_id: 'payment-reminder-agent',
    created_by: 'ci@example.com',
    created_at: '2026-11-23T00:00:00Z',
    updated_at: '2026-11-23T00:00:00Z',
    description: null,
    app_type: 'agent',
    app_version: 2,
    updated_by: null,
    app_config: {
      app_id: 'payment-reminder-agent',
      app_version: 2,
      app_type: 'agent',
      attempts_per_second: 2,
      connection_configs: [{ connection_id: 'conn-1', phone_numbers: ['+918047168000'], weight: 1 }],
      retry_config: { max_retries: 3, retry_interval_minutes: 30 },
    },
    start_timestamp: '2026-12-01T04:30:00Z',
    end_timestamp: '2026-12-20T12:30:00Z',
    allowed_schedule: {
      allowed_start_time: '10:00',
      allowed_end_time: '19:00',
      allowed_days: ['Monday', 'Tuesday'],
      timezone: 'Asia/Kolkata',
    },
    webhook_config: null,
    ...overrides,
  }
}

/** The file spec matching `detail()`, as a user would write it (defaults left out). */
function fileSpec(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'renewals-hi',
    app_config: {
      app_id: 'payment-reminder-agent',
      app_version: 2,
      attempts_per_second: 2,
      connection_configs: [{ connection_id: 'conn-1', phone_numbers: ['+918047168000'] }],
      retry_config: { max_retries: 3, retry_interval_minutes: 30 },
    },
    start_timestamp: '2026-12-01T10:00:00+05:30',
    end_timestamp: '2026-12-20T18:00:00+05:30',
    allowed_schedule: {
      allowed_start_time: '10:00',
      allowed_end_time: '19:00',
      allowed_days: ['Tuesday', 'Monday'],
      timezone: 'Asia/Kolkata',
    },
    ...overrides,
  }
}

const compare = (live: Record<string, unknown>, file: Record<string, unknown>): FieldChange[] =>
  diffSpecs(normaliseLiveCampaign(live), normaliseDesiredCampaign(file))

describe('normaliseLiveCampaign', () => {
  it('keeps the file fields only: server-owned fields and the summary copies go', () => {
    const spec = normaliseLiveCampaign(detail({ description: 'EMIs', updated_by: 'ops@example.com' }))
    expect(Object.keys(spec).sort()).toEqual(
      ['allowed_schedule', 'app_config', 'description', 'end_timestamp', 'name', 'paused', 'start_timestamp'].sort(),
    )
    for (const owned of ['campaign_id', 'status', 'created_by', 'created_at', 'updated_at', 'updated_by', 'app_id', 'app_type', 'app_version']) {
      expect(spec).not.toHaveProperty(owned)
    }
  })

  it('derives the paused knob from the status', () => {
    expect(normaliseLiveCampaign(detail({ status: 'paused' })).paused).toBe(true)
    for (const status of ['scheduled', 'active', 'ended', 'cancelled']) {
      expect(normaliseLiveCampaign(detail({ status })).paused).toBe(false)
    }
  })

  it('drops nulls and fields the file format does not know, at every level', () => {
    const spec = normaliseLiveCampaign(
      detail({
        phone_rotation: { agent: true },
        app_config: { app_id: 'a', app_type: 'agent', phone_rotation: { agent: true }, webhook_config: null },
        webhook_config: { url: 'https://hooks.example.com/x', metadata: null },
      }),
    )
    expect(spec.app_config).toEqual({ app_id: 'a', app_type: 'agent' })
    expect(spec.webhook_config).toEqual({ url: 'https://hooks.example.com/x' })
    expect(spec).not.toHaveProperty('phone_rotation')
  })

  it('keeps webhook metadata as given, nulls inside it included', () => {
    const metadata = { team: 'collections', nested: { a: null } }
    expect(normaliseLiveCampaign(detail({ webhook_config: { url: 'https://h.example.com', metadata } })).webhook_config).toEqual({
      url: 'https://h.example.com',
      metadata,
    })
  })

  it('fills the defaults a server may leave out (app_type, weight, timezone)', () => {
    const spec = normaliseLiveCampaign(
      detail({
        app_config: { app_id: 'a', connection_configs: [{ connection_id: 'c', phone_numbers: ['+911'] }] },
        allowed_schedule: { allowed_start_time: '10:00:00', allowed_end_time: '19:00', allowed_days: ['Friday'] },
      }),
    )
    expect(spec.app_config).toEqual({ app_id: 'a', app_type: 'agent', connection_configs: [{ connection_id: 'c', phone_numbers: ['+911'], weight: 1 }] })
    expect(spec.allowed_schedule).toEqual({ allowed_start_time: '10:00', allowed_end_time: '19:00', allowed_days: ['Friday'], timezone: 'Asia/Kolkata' })
  })
})

describe('normaliseDesiredCampaign', () => {
  it('makes a file equal to its live campaign despite offsets, day order and left-out defaults', () => {
    expect(compare(detail(), fileSpec())).toEqual([])
  })

  it('materialises app_type agent and connection weight 1', () => {
    const spec = normaliseDesiredCampaign(fileSpec())
    expect(spec.app_config).toMatchObject({ app_type: 'agent', connection_configs: [{ weight: 1 }] })
  })

  it('keeps what the file writes where it differs from a default', () => {
    const spec = normaliseDesiredCampaign(fileSpec({ app_config: { experiment_id: 'exp-1', app_type: 'workflow', connection_configs: [{ connection_id: 'c', phone_numbers: ['+911'], weight: 3 }] } }))
    expect(spec.app_config).toEqual({ experiment_id: 'exp-1', app_type: 'workflow', connection_configs: [{ connection_id: 'c', phone_numbers: ['+911'], weight: 3 }] })
  })

  it('treats description null as absent, and an unset live description as absent', () => {
    expect(normaliseDesiredCampaign(fileSpec({ description: null }))).not.toHaveProperty('description')
    expect(normaliseLiveCampaign(detail({ description: null }))).not.toHaveProperty('description')
    expect(compare(detail(), fileSpec({ description: null }))).toEqual([])
    expect(compare(detail(), fileSpec({ description: 'new' }))).toEqual([{ path: ['description'], kind: 'add', after: 'new' }])
  })

  it('manages paused only when the file writes it', () => {
    expect(normaliseDesiredCampaign(fileSpec())).not.toHaveProperty('paused')
    expect(compare(detail({ status: 'paused' }), fileSpec())).toEqual([])
    expect(compare(detail({ status: 'paused' }), fileSpec({ paused: false }))).toEqual([{ path: ['paused'], kind: 'change', before: true, after: false }])
    expect(compare(detail({ status: 'active' }), fileSpec({ paused: false }))).toEqual([])
  })

  it('keeps phone numbers and connections in the order given', () => {
    const live = detail({ app_config: { app_id: 'a', connection_configs: [{ connection_id: 'c', phone_numbers: ['+912', '+911'] }] } })
    expect(compare(live, fileSpec({ app_config: { app_id: 'a', connection_configs: [{ connection_id: 'c', phone_numbers: ['+912', '+911'] }] } }))).toEqual([])
    expect(compare(live, fileSpec({ app_config: { app_id: 'a', connection_configs: [{ connection_id: 'c', phone_numbers: ['+911', '+912'] }] } }))).toHaveLength(1)
  })

  it('keeps retry_interval_minutes 30 and [30] apart, as the API keeps whichever it was given', () => {
    const withList = fileSpec({ app_config: { ...(fileSpec().app_config as object), retry_config: { max_retries: 3, retry_interval_minutes: [30] } } })
    expect(compare(detail(), withList)).toEqual([
      { path: ['app_config', 'retry_config', 'retry_interval_minutes'], kind: 'change', before: 30, after: [30] },
    ])
  })

  it('does not hide real differences', () => {
    expect(compare(detail(), fileSpec({ start_timestamp: '2026-12-01T10:00:00+05:00' }))).toEqual([
      { path: ['start_timestamp'], kind: 'change', before: '2026-12-01T04:30:00Z', after: '2026-12-01T05:00:00Z' },
    ])
    const days = compare(detail(), fileSpec({ allowed_schedule: { ...(fileSpec().allowed_schedule as object), allowed_days: ['Monday'] } }))
    expect(days).toEqual([{ path: ['allowed_schedule', 'allowed_days'], kind: 'change', before: ['Monday', 'Tuesday'], after: ['Monday'] }])
  })

  it('does not change the spec it is given', () => {
    const spec = fileSpec()
    const copy = structuredClone(spec)
    normaliseDesiredCampaign(spec)
    expect(spec).toEqual(copy)
  })
})

describe('canonical forms', () => {
  it('writes instants in UTC, milliseconds only when non-zero', () => {
    expect(canonicalInstant('2026-12-01T10:00:00+05:30')).toBe('2026-12-01T04:30:00Z')
    expect(canonicalInstant('2026-12-01T04:30:00.000Z')).toBe('2026-12-01T04:30:00Z')
    expect(canonicalInstant('2026-12-01T04:30:00.250+00:00')).toBe('2026-12-01T04:30:00.250Z')
    expect(canonicalInstant('2026-11-30T23:30:00-05:00')).toBe('2026-12-01T04:30:00Z')
    expect(canonicalInstant('2026-12-01t04:30:00z')).toBe('2026-12-01T04:30:00Z')
  })

  it('leaves values that are not instants with an offset as written', () => {
    expect(canonicalInstant('2026-12-01T04:30:00')).toBe('2026-12-01T04:30:00')
    expect(canonicalInstant('tomorrow')).toBe('tomorrow')
    expect(canonicalInstant(42)).toBe(42)
  })

  it('orders weekdays Monday first and removes repeats', () => {
    expect(canonicalWeekdays(['Tuesday', 'Monday'])).toEqual(['Monday', 'Tuesday'])
    expect(canonicalWeekdays(['Sunday', 'Monday', 'Sunday'])).toEqual(['Monday', 'Sunday'])
    expect(canonicalWeekdays(['Monday', 'Funday'])).toEqual(['Monday', 'Funday'])
  })

  it('writes clock times as HH:MM', () => {
    expect(canonicalClockTime('10:00:00')).toBe('10:00')
    expect(canonicalClockTime('9:30')).toBe('09:30')
    expect(canonicalClockTime('10:00:30')).toBe('10:00:30')
  })
})

describe('normaliseCampaignSummary', () => {
  it('keeps the name, the description and the paused knob', () => {
    expect(normaliseCampaignSummary(detail({ status: 'paused', description: 'x' }))).toEqual({ name: 'renewals-hi', description: 'x', paused: true })
    expect(normaliseCampaignSummary(detail())).toEqual({ name: 'renewals-hi', paused: false })
  })
})

describe('the file shape known to the normaliser', () => {
  it('has exactly the fields of schemas/sarvam-campaign.schema.json', () => {
    const schema = JSON.parse(readFileSync(new URL('../../schemas/sarvam-campaign.schema.json', import.meta.url), 'utf8')) as SchemaNode
    expect(shapeOf(schema.$defs!.spec!, schema)).toEqual(simplify(SPEC_SHAPE))
  })
})

interface SchemaNode {
  $ref?: string
  $defs?: Record<string, SchemaNode>
  type?: string | string[]
  properties?: Record<string, SchemaNode>
  items?: SchemaNode
  additionalProperties?: boolean
}

type Simple = { fields?: Record<string, Simple>; items?: Simple; open?: true } | 'scalar'

/** A schema node as a FieldShape (objects without declared properties are open). */
function shapeOf(node: SchemaNode, root: SchemaNode): Simple {
  const resolved = node.$ref ? root.$defs![node.$ref.replace('#/$defs/', '')]! : node
  if (resolved.properties) {
    return { fields: Object.fromEntries(Object.entries(resolved.properties).map(([key, child]) => [key, shapeOf(child, root)])) }
  }
  const types = [resolved.type].flat()
  if (types.includes('object')) return { open: true }
  if (types.includes('array') && resolved.items && shapeOf(resolved.items, root) !== 'scalar') return { items: shapeOf(resolved.items, root) }
  return 'scalar'
}

function simplify(shape: FieldShape): Simple {
  if (shape.open) return { open: true }
  if (shape.fields) return { fields: Object.fromEntries(Object.entries(shape.fields).map(([key, child]) => [key, simplify(child)])) }
  if (shape.items) return { items: simplify(shape.items) }
  return 'scalar'
}

function live(status: string, overrides: Partial<LiveResource> = {}): LiveResource {
  return {
    kind: 'SarvamCampaign',
    provider: 'sarvam',
    name: 'renewals-hi',
    address: 'sarvam/campaign/renewals-hi',
    id: 'camp-0000002a',
    spec: normaliseLiveCampaign(detail({ status })),
    raw: detail({ status }),
    status,
    ...overrides,
  }
}

const change = (path: (string | number)[], after: unknown, before?: unknown): FieldChange => ({ path, kind: 'change', before, after })
const NO = { pauseToUpdate: false }
const YES = { pauseToUpdate: true }

describe('assessCampaignChange', () => {
  const description = change(['description'], 'new', 'old')
  const pause = change(['paused'], true, false)
  const resume = change(['paused'], false, true)

  it('lets scheduled and paused campaigns be updated', () => {
    expect(assessCampaignChange({ live: live('scheduled'), fields: [description], options: NO })).toBeUndefined()
    expect(assessCampaignChange({ live: live('paused'), fields: [description, resume], options: NO })).toBeUndefined()
  })

  it('allows the paused knob alone in every status that can still change', () => {
    for (const status of ['scheduled', 'active', 'paused']) {
      expect(assessCampaignChange({ live: live(status), fields: [status === 'paused' ? resume : pause], options: NO })).toBeUndefined()
    }
  })

  it('blocks an active campaign unless --pause-to-update, or unless the file pauses it anyway', () => {
    expect(assessCampaignChange({ live: live('active'), fields: [description], options: NO })).toEqual({ action: 'blocked', reason: ACTIVE_REASON })
    expect(assessCampaignChange({ live: live('active'), fields: [description], options: YES })).toBeUndefined()
    expect(assessCampaignChange({ live: live('active'), fields: [description, pause], options: NO })).toBeUndefined()
    expect(assessCampaignChange({ live: live('active'), fields: [change(['app_config', 'attempts_per_second'], 3, 2)], options: NO })?.action).toBe('blocked')
  })

  it('blocks every change of an ended or cancelled campaign, the knob included', () => {
    for (const fields of [[description], [pause]]) {
      expect(assessCampaignChange({ live: live('ended'), fields, options: YES })).toEqual({ action: 'blocked', reason: ENDED_REASON })
      expect(assessCampaignChange({ live: live('cancelled'), fields, options: YES })).toEqual({ action: 'blocked', reason: CANCELLED_REASON })
    }
  })

  it('calls a changed start_timestamp an error, whatever the status', () => {
    const start = change(['start_timestamp'], '2026-12-02T04:30:00Z', '2026-12-01T04:30:00Z')
    for (const status of ['scheduled', 'active', 'paused']) {
      expect(assessCampaignChange({ live: live(status), fields: [start], options: YES })).toEqual({
        action: 'error',
        reason: CREATE_ONLY_REASONS.start_timestamp,
      })
    }
  })

  it('has nothing to say about an empty diff', () => {
    expect(assessCampaignChange({ live: live('ended'), fields: [], options: NO })).toBeUndefined()
  })
})

describe('patchBody', () => {
  const desired = normaliseDesiredCampaign(campaignSpec('renewals-hi', { description: 'new', paused: true }))

  it('sends the whole desired value of each changed top-level field, and nothing else', () => {
    const fields = [change(['app_config', 'retry_config', 'max_retries'], 3, 1), change(['description'], 'new', 'old'), change(['paused'], true, false)]
    expect(patchBody(desired, fields)).toEqual({ app_config: desired.app_config, description: 'new' })
  })

  it('never sends start_timestamp', () => {
    expect(() => patchBody(desired, [change(['start_timestamp'], 'x', 'y')])).toThrow(CREATE_ONLY_REASONS.start_timestamp)
  })

  it('carries over app_config fields the file format does not know, so a replacement keeps them', () => {
    const raw = detail({ app_config: { app_id: 'a', phone_rotation: { agent: true }, app_version: 1 } })
    const body = patchBody(desired, [change(['app_config', 'app_version'], 2, 1)], raw)
    expect(body.app_config).toEqual({ ...(desired.app_config as object), phone_rotation: { agent: true } })
  })
})

describe('campaignsPath', () => {
  const settings = { orgId: 'acme', workspaceId: 'out bound' }

  it('carries the /api/scheduling prefix when the client talks to the API root', () => {
    expect(campaignsPath('sarvam', settings, 'http://127.0.0.1:4010')).toBe('/api/scheduling/v1/orgs/acme/workspaces/out%20bound/campaigns')
    expect(campaignsPath('sarvam', settings, 'https://apps.sarvam.ai')).toBe('/api/scheduling/v1/orgs/acme/workspaces/out%20bound/campaigns')
  })

  it('leaves the prefix out when the configured base URL already ends with it (the documented base URL)', () => {
    expect(campaignsPath('sarvam', settings, 'https://apps.sarvam.ai/api/scheduling')).toBe('/v1/orgs/acme/workspaces/out%20bound/campaigns')
    expect(campaignsPath('sarvam', settings, 'https://apps.sarvam.ai/api/scheduling/')).toBe('/v1/orgs/acme/workspaces/out%20bound/campaigns')
  })

  it('needs org_id and workspace_id', () => {
    expect(() => campaignsPath('sarvam', { workspaceId: 'out bound' }, 'http://127.0.0.1:4010')).toThrow('org_id and workspace_id')
    expect(() => campaignsPath('sarvam', { ...settings, workspaceId: ' ' }, 'http://127.0.0.1:4010')).toThrow('org_id and workspace_id')
  })
})

describe('oneCampaignPerName', () => {
  const summary = (id: string, status: string, created_at: string) => ({ ...detail({ campaign_id: id, status, created_at }) }) as unknown as CampaignSummary

  it('keeps one campaign per name: one that can still change, else the newest', () => {
    const old = summary('camp-1', 'scheduled', '2026-11-01T00:00:00Z')
    const ended = summary('camp-2', 'ended', '2026-11-20T00:00:00Z')
    const newer = summary('camp-3', 'paused', '2026-11-10T00:00:00Z')
    expect(oneCampaignPerName([old, ended]).map((c) => c.campaign_id)).toEqual(['camp-1'])
    expect(oneCampaignPerName([ended, old, newer]).map((c) => c.campaign_id)).toEqual(['camp-3'])
    expect(oneCampaignPerName([ended, summary('camp-4', 'cancelled', '2026-11-21T00:00:00Z')]).map((c) => c.campaign_id)).toEqual(['camp-4'])
  })
})
