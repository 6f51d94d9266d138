/**
 * Normalisation of Sarvam campaigns: the live CampaignDetail and the file's spec are both brought
 * to one comparable form, the file's shape, so that `diffSpecs` finds only real differences.
 *
 * Rules (each one exists because two spellings of the same campaign must compare equal):
 * - only the fields the file format knows are kept, at every level; server-owned fields
 *   (campaign_id, status, created_*, updated_*, the summary's app_id/app_type/app_version) go;
 * - null means "not set" (the API echoes unset optionals as null, and PATCH never clears with null);
 * - server defaults are filled in: app_config.app_type "agent", connection weight 1, schedule
 *   timezone Asia/Kolkata;
 * - instants become canonical UTC (`2026-12-01T04:30:00Z`, milliseconds only when non-zero);
 * - allowed_days is a set, written in week order Monday..Sunday;
 * - clock times are HH:MM (a server answering "10:00:00" means the same as "10:00");
 * - phone numbers, connection order and retry_interval_minutes (30 and [30] stay distinct, as the
 *   API keeps whichever form it was given) are kept as given;
 * - the lifecycle knob: live `paused` is `status === 'paused'`; in a file it is managed only when written.
 */
import type { Spec } from '../../model/plan.js'
import { isRecord } from '../../model/values.js'

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const

export const DEFAULT_APP_TYPE = 'agent'
export const DEFAULT_CONNECTION_WEIGHT = 1
export const DEFAULT_TIMEZONE = 'Asia/Kolkata'

/**
 * Which fields the file format has, level by level (mirrors schemas/sarvam-campaign.schema.json;
 * a unit test keeps the two in step). `open` values are kept as they are (webhook metadata is any
 * JSON the user wants echoed back).
 */
export interface FieldShape {
  fields?: Readonly<Record<string, FieldShape>>
  items?: FieldShape
  open?: true
}

const SCALAR: FieldShape = {}
const RETRY_SWITCH: FieldShape = { fields: { enabled: SCALAR } }
const RETRY_ERROR_POLICY: FieldShape = { fields: { enabled: SCALAR, max_retries: SCALAR, retry_interval_minutes: SCALAR } }
const WEBHOOK_CONFIG: FieldShape = { fields: { url: SCALAR, metadata: { open: true } } }

export const APP_CONFIG_SHAPE: FieldShape = {
  fields: {
    app_id: SCALAR,
    app_version: SCALAR,
    app_type: SCALAR,
    experiment_id: SCALAR,
    attempts_per_second: SCALAR,
    connection_configs: {
      items: { fields: { connection_id: SCALAR, phone_numbers: SCALAR, weight: SCALAR } },
    },
    retry_config: {
      fields: {
        max_retries: SCALAR,
        retry_interval_minutes: SCALAR,
        retry_on: {
          fields: {
            busy: RETRY_SWITCH,
            no_answer: RETRY_SWITCH,
            failed: RETRY_SWITCH,
            short_duration: { fields: { enabled: SCALAR, threshold_seconds: SCALAR } },
            provider_error: RETRY_ERROR_POLICY,
            internal_error: RETRY_ERROR_POLICY,
          },
        },
      },
    },
    webhook_config: WEBHOOK_CONFIG,
  },
}

export const ALLOWED_SCHEDULE_SHAPE: FieldShape = {
  fields: { allowed_start_time: SCALAR, allowed_end_time: SCALAR, allowed_days: SCALAR, timezone: SCALAR },
}

export const SPEC_SHAPE: FieldShape = {
  fields: {
    name: SCALAR,
    description: SCALAR,
    app_config: APP_CONFIG_SHAPE,
    start_timestamp: SCALAR,
    end_timestamp: SCALAR,
    allowed_schedule: ALLOWED_SCHEDULE_SHAPE,
    webhook_config: WEBHOOK_CONFIG,
    paused: SCALAR,
  },
}

/** The status values of the API (CampaignSummary.status). */
export type CampaignStatus = 'scheduled' | 'active' | 'paused' | 'ended' | 'cancelled'

/**
 * A live CampaignDetail (GET /campaigns/{id}) in the file's shape. Unknown fields are dropped
 * here (the raw object keeps them), since no file can declare them and they would otherwise show
 * as a permanent `remove`.
 */
export function normaliseLiveCampaign(detail: Record<string, unknown>): Spec {
  const { paused: _ignored, ...fields } = detail
  const spec = canonicalSpec(prune(fields, SPEC_SHAPE) as Spec)
  spec.paused = detail.status === 'paused'
  return spec
}

/**
 * A file's spec in the comparable form. `paused` is kept only when the file writes it: a file
 * that leaves it out does not manage the lifecycle (so a pause made in the console is not undone).
 */
export function normaliseDesiredCampaign(spec: Record<string, unknown>): Spec {
  const normalised = canonicalSpec(prune(spec, SPEC_SHAPE) as Spec)
  if (typeof normalised.paused !== 'boolean') delete normalised.paused
  return normalised
}

/**
 * What the list endpoint (CampaignSummary) says about a campaign, in the file's shape: enough to
 * name an unmanaged campaign, not to compare one (the summary lacks app_config and the schedule).
 */
export function normaliseCampaignSummary(summary: Record<string, unknown>): Spec {
  const spec: Spec = { name: summary.name }
  if (summary.description !== null && summary.description !== undefined) spec.description = summary.description
  spec.paused = summary.status === 'paused'
  return spec
}

/**
 * The value reduced to the fields its shape declares, nulls left out. Lists of scalars and open
 * values are copied as they are.
 */
export function prune(value: unknown, shape: FieldShape): unknown {
  if (shape.open) return structuredClone(value)
  if (Array.isArray(value)) return shape.items ? value.map((item) => prune(item, shape.items!)) : [...value]
  if (!shape.fields || !isRecord(value)) return value
  const kept: Record<string, unknown> = {}
  for (const [key, fieldShape] of Object.entries(shape.fields)) {
    const field = value[key]
    if (field !== null && field !== undefined) kept[key] = prune(field, fieldShape)
  }
  return kept
}

function canonicalSpec(spec: Spec): Spec {
  for (const key of ['start_timestamp', 'end_timestamp']) {
    if (key in spec) spec[key] = canonicalInstant(spec[key])
  }
  if (isRecord(spec.app_config)) spec.app_config = withAppDefaults(spec.app_config)
  if (isRecord(spec.allowed_schedule)) spec.allowed_schedule = canonicalSchedule(spec.allowed_schedule)
  return spec
}

/** app_type defaults to agent, and each connection's weight to 1, as the platform stores them. */
function withAppDefaults(app: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...app, app_type: app.app_type ?? DEFAULT_APP_TYPE }
  if (Array.isArray(app.connection_configs)) {
    out.connection_configs = app.connection_configs.map((connection: unknown) =>
      isRecord(connection) ? { ...connection, weight: connection.weight ?? DEFAULT_CONNECTION_WEIGHT } : connection,
    )
  }
  return out
}

function canonicalSchedule(schedule: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...schedule, timezone: schedule.timezone ?? DEFAULT_TIMEZONE }
  if ('allowed_days' in schedule) out.allowed_days = canonicalWeekdays(schedule.allowed_days)
  for (const key of ['allowed_start_time', 'allowed_end_time']) {
    if (key in schedule) out[key] = canonicalClockTime(schedule[key])
  }
  return out
}

/** RFC 3339 with an offset; anything else is left alone so that a diff shows it as written. */
const INSTANT = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/

/** An instant as UTC ISO 8601: `2026-12-01T04:30:00Z`, with milliseconds only when there are some. */
export function canonicalInstant(value: unknown): unknown {
  const text = value instanceof Date ? value.toISOString() : value
  if (typeof text !== 'string' || !INSTANT.test(text)) return value
  const ms = Date.parse(text.replace(' ', 'T'))
  if (Number.isNaN(ms)) return value
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}

/** A list of weekday names as a set in week order (Monday first); a list with unknown names stays as written. */
export function canonicalWeekdays(value: unknown): unknown {
  if (!Array.isArray(value)) return value
  const order = WEEKDAYS as readonly unknown[]
  if (!value.every((day) => order.includes(day))) return [...value]
  return WEEKDAYS.filter((day) => value.includes(day))
}

/** `H:MM`, `HH:MM` or `HH:MM:00` → `HH:MM`; anything else (seconds set, not a time) stays as written. */
export function canonicalClockTime(value: unknown): unknown {
  if (typeof value !== 'string') return value
  const match = /^(\d{1,2}):(\d{2})(?::00)?$/.exec(value)
  return match ? `${match[1]!.padStart(2, '0')}:${match[2]}` : value
}

