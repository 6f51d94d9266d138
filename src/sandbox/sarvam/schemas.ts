/**
 * JSON Schemas of the Sarvam scheduling request bodies, following the API docs (shared/api/sarvam.md
 * §2). They check structure, types and ranges; the rules that need code (HH:MM times, IANA time
 * zones, the timestamp windows, app_id vs experiment_id) live in rules.ts. Unknown fields are
 * allowed, and dropped when stored (`keepKnownFields`), as a pydantic model ignores them. A
 * `default` here is a server default: the validator does not apply it, storing does.
 */
import { WEEKDAYS, APP_TYPES } from './state.js'

/** Documented on the update page; assumed for create too (sarvam.md §2.1). */
export const NAME_PATTERN = '^[A-Za-z0-9 _-]+$'
export const NAME_MAX_LENGTH = 50
export const DESCRIPTION_MAX_LENGTH = 150
export const E164_PATTERN = '^\\+[1-9][0-9]{1,14}$'

/** The same schema, also accepting null (an `X | None` field in pydantic). */
const nullable = (schema: Record<string, unknown>): Record<string, unknown> => ({
  ...schema,
  type: [schema.type as string, 'null'],
})

const name = { type: 'string', maxLength: NAME_MAX_LENGTH, pattern: NAME_PATTERN }
const description = { type: 'string', maxLength: DESCRIPTION_MAX_LENGTH }
const instant = { type: 'string', format: 'date-time' }

const enabledSwitch = {
  type: 'object',
  properties: { enabled: { type: 'boolean' } },
}

const errorRetryPolicy = {
  type: 'object',
  properties: {
    enabled: { type: 'boolean' },
    max_retries: { type: 'integer', minimum: 0, maximum: 20 },
    retry_interval_minutes: { type: 'integer', minimum: 0 },
  },
}

/** `retry_interval_minutes` is an int in the examples and a list in one schema rendering: accept both. */
const retryInterval = {
  type: ['integer', 'array'],
  minimum: 0,
  items: { type: 'integer', minimum: 0 },
}

const retryConfig = {
  type: 'object',
  properties: {
    max_retries: { type: 'integer', minimum: 0, maximum: 20 },
    retry_interval_minutes: retryInterval,
    retry_on: {
      type: 'object',
      properties: {
        busy: enabledSwitch,
        no_answer: enabledSwitch,
        failed: enabledSwitch,
        short_duration: {
          type: 'object',
          properties: { enabled: { type: 'boolean' }, threshold_seconds: { type: 'integer', minimum: 1 } },
        },
        provider_error: errorRetryPolicy,
        internal_error: errorRetryPolicy,
      },
    },
  },
}

export const webhookConfigSchema = {
  type: 'object',
  required: ['url'],
  properties: {
    url: { type: 'string', minLength: 1 },
    metadata: { type: ['object', 'null'] },
  },
}

const connectionConfig = {
  type: 'object',
  required: ['connection_id', 'phone_numbers'],
  properties: {
    connection_id: { type: 'string', minLength: 1 },
    phone_numbers: { type: 'array', items: { type: 'string', pattern: E164_PATTERN } },
    weight: { type: 'integer', minimum: 1, default: 1 },
  },
}

/** AgentConfig: app_id is required unless experiment_id is given, a cross-field rule checked in rules.ts. */
export const agentConfigSchema = {
  type: 'object',
  properties: {
    app_id: { type: 'string', minLength: 1 },
    app_version: { type: 'integer', minimum: 1 },
    app_type: { type: 'string', enum: [...APP_TYPES], default: 'agent' },
    experiment_id: { type: 'string', minLength: 1 },
    attempts_per_second: { type: 'number', minimum: 0.1, maximum: 500 },
    connection_configs: { type: 'array', items: connectionConfig },
    retry_config: retryConfig,
    webhook_config: nullable(webhookConfigSchema),
  },
}

/** The time format and the zone name are checked in rules.ts (field validators in the real service). */
export const allowedScheduleSchema = {
  type: 'object',
  required: ['allowed_start_time', 'allowed_end_time', 'allowed_days'],
  properties: {
    allowed_start_time: { type: 'string' },
    allowed_end_time: { type: 'string' },
    allowed_days: { type: 'array', minItems: 1, items: { type: 'string', enum: [...WEEKDAYS] } },
    // Optional: the docs render Asia/Kolkata as its default (sarvam.md §2.5, §2.6).
    timezone: { type: 'string', default: 'Asia/Kolkata' },
  },
}

export const createCampaignSchema = {
  type: 'object',
  required: ['name', 'app_config', 'start_timestamp', 'end_timestamp', 'allowed_schedule'],
  properties: {
    name,
    description: nullable(description),
    app_config: agentConfigSchema,
    start_timestamp: instant,
    end_timestamp: instant,
    allowed_schedule: allowedScheduleSchema,
    webhook_config: nullable(webhookConfigSchema),
  },
}

/** UpdateCampaign: every field optional and nullable; start_timestamp and status are not fields at all. */
export const updateCampaignSchema = {
  type: 'object',
  properties: {
    name: nullable(name),
    description: nullable(description),
    app_config: nullable(agentConfigSchema),
    webhook_config: nullable(webhookConfigSchema),
    end_timestamp: nullable(instant),
    allowed_schedule: nullable(allowedScheduleSchema),
  },
}

export const STATUS_ACTIONS = ['pause', 'resume', 'cancel'] as const
export type StatusAction = (typeof STATUS_ACTIONS)[number]

export const statusActionSchema = {
  type: 'object',
  required: ['action'],
  properties: { action: { type: 'string', enum: [...STATUS_ACTIONS] } },
}

export interface CreateCampaignBody {
  name: string
  description?: string | null
  app_config: Record<string, unknown>
  start_timestamp: string
  end_timestamp: string
  allowed_schedule: Record<string, unknown>
  webhook_config?: Record<string, unknown> | null
}

export interface UpdateCampaignBody {
  name?: string | null
  description?: string | null
  app_config?: Record<string, unknown> | null
  webhook_config?: Record<string, unknown> | null
  end_timestamp?: string | null
  allowed_schedule?: Record<string, unknown> | null
}

interface SchemaNode {
  properties?: Record<string, SchemaNode>
  items?: SchemaNode
  default?: unknown
}

/**
 * A value reduced to the fields its schema declares, with nulls left out and defaults filled in:
 * what a pydantic model holds after parsing, serialised without unset fields. This is how the
 * docs' GET example shows app_config (only the given fields, plus app_type and weight). Objects the
 * schema leaves open (webhook metadata) are kept as they are.
 */
export function keepKnownFields(schema: object, value: unknown): unknown {
  const node = schema as SchemaNode
  if (Array.isArray(value)) return node.items ? value.map((item) => keepKnownFields(node.items!, item)) : value
  if (value === null || typeof value !== 'object' || !node.properties) return value
  const source = value as Record<string, unknown>
  const kept: Record<string, unknown> = {}
  for (const [key, property] of Object.entries(node.properties)) {
    const field = source[key]
    if (field !== undefined && field !== null) kept[key] = keepKnownFields(property, field)
    else if (property.default !== undefined) kept[key] = property.default
  }
  return kept
}
