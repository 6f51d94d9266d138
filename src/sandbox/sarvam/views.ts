/**
 * The response shapes of sarvam.md §2.3: CampaignSummary (create, update, status, list items) and
 * CampaignDetail (get). Built field by field, so that stored bookkeeping never leaks into a response.
 */
import { currentStatus } from './status.js'
import type { AgentConfig, AllowedSchedule, AppType, CampaignStatus, StoredCampaign, WebhookConfig } from './state.js'

export interface CampaignSummary {
  name: string
  campaign_id: string
  status: CampaignStatus
  app_id: string
  created_by: string
  created_at: string
  updated_at: string
  description: string | null
  app_type: AppType
  app_version: number | null
  updated_by: string | null
}

export interface CampaignDetail extends CampaignSummary {
  app_config: AgentConfig
  start_timestamp: string
  end_timestamp: string
  allowed_schedule: AllowedSchedule
  webhook_config: WebhookConfig | null
}

/**
 * An instant as ISO 8601 in UTC, written as pydantic writes a UTC datetime ("…:00Z", milliseconds
 * only when there are some). Timestamps given with another offset come back in UTC: the real
 * service most likely stores them as UTC instants (an inference), and clients must compare instants.
 */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}

/**
 * The summary as of `now`. app_id is a required string, but an experiment campaign has none: the
 * summary then shows the experiment_id there (an inference; the docs do not say what the service shows).
 */
export function campaignSummary(campaign: StoredCampaign, now: number): CampaignSummary {
  const app = campaign.app_config
  return {
    name: campaign.name,
    campaign_id: campaign.campaign_id,
    status: currentStatus(campaign, now),
    app_id: app.app_id ?? app.experiment_id ?? '',
    created_by: campaign.created_by,
    created_at: campaign.created_at,
    updated_at: campaign.updated_at,
    description: campaign.description,
    app_type: app.app_type,
    app_version: app.app_version ?? null,
    updated_by: campaign.updated_by,
  }
}

export function campaignDetail(campaign: StoredCampaign, now: number): CampaignDetail {
  return {
    ...campaignSummary(campaign, now),
    app_config: campaign.app_config,
    start_timestamp: campaign.start_timestamp,
    end_timestamp: campaign.end_timestamp,
    allowed_schedule: campaign.allowed_schedule,
    webhook_config: campaign.webhook_config,
  }
}
