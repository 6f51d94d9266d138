/**
 * Stored shapes of the Sarvam scheduling emulator (plain JSON, persisted in the state file).
 * A stored campaign is the CampaignDetail the API returns, plus the bookkeeping the handlers need.
 */

export const CAMPAIGN_STATUSES = ['ended', 'active', 'paused', 'scheduled', 'cancelled'] as const
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number]

export const APP_TYPES = ['agent', 'workflow'] as const
export type AppType = (typeof APP_TYPES)[number]

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const
export type Weekday = (typeof WEEKDAYS)[number]

/** `app_config` as stored: only the known fields, with the server defaults (app_type, weight) filled in. */
export type AgentConfig = Record<string, unknown> & {
  app_id?: string
  app_version?: number
  app_type: AppType
  experiment_id?: string
}

export interface AllowedSchedule {
  allowed_start_time: string
  allowed_end_time: string
  allowed_days: Weekday[]
  timezone: string
}

export interface WebhookConfig {
  url: string
  metadata?: Record<string, unknown> | null
}

export interface StoredCampaign {
  campaign_id: string
  /** Order of creation; breaks ties when sorting (a frozen test clock gives equal created_at values). */
  sequence: number
  name: string
  description: string | null
  /**
   * The status as last persisted. Clock-driven transitions (scheduled → active → ended) are
   * derived from it on every read and written back on the next write: see status.ts.
   */
  status: CampaignStatus
  app_config: AgentConfig
  /** Instants as UTC ISO 8601 strings. */
  start_timestamp: string
  end_timestamp: string
  allowed_schedule: AllowedSchedule
  webhook_config: WebhookConfig | null
  created_by: string
  created_at: string
  updated_at: string
  updated_by: string | null
}

export interface SarvamState {
  next_campaign_number: number
  /** By scope (see `scopeKey`), then by campaign_id. */
  workspaces: Record<string, Record<string, StoredCampaign>>
}

export function emptySarvamState(): SarvamState {
  return { next_campaign_number: 1, workspaces: {} }
}

/**
 * The key of one (org_id, workspace_id) scope. Both parts are URI-encoded so that ids containing
 * a slash (possible through %2F in the path) cannot make two scopes collide.
 */
export function scopeKey(orgId: string, workspaceId: string): string {
  return `${encodeURIComponent(orgId)}/${encodeURIComponent(workspaceId)}`
}
