/**
 * The Sarvam scheduling API emulator (sarvam.md): campaigns under
 * /api/scheduling/v1/orgs/{org_id}/workspaces/{workspace_id}. Cohorts and webhook deliveries are
 * not emulated (404). There is no DELETE route: the router then answers a DELETE on a campaign
 * path with 405, as FastAPI does for a known path with another method.
 */
import { actorForKey } from '../actor.js'
import type { RouteDefinition } from '../http-kit.js'
import type { PlatformContext, PlatformModule } from '../platform.js'
import { createCampaign, getCampaign, updateCampaign, updateCampaignStatus } from './campaigns.js'
import { listCampaigns } from './listing.js'

export const SARVAM_PREFIX = '/api/scheduling/v1/orgs/{org_id}/workspaces/{workspace_id}'

const routes: RouteDefinition<PlatformContext>[] = [
  { method: 'POST', template: `${SARVAM_PREFIX}/campaigns`, handler: createCampaign },
  { method: 'GET', template: `${SARVAM_PREFIX}/campaigns`, handler: listCampaigns },
  { method: 'GET', template: `${SARVAM_PREFIX}/campaigns/{campaign_id}`, handler: getCampaign },
  { method: 'PATCH', template: `${SARVAM_PREFIX}/campaigns/{campaign_id}`, handler: updateCampaign },
  { method: 'PUT', template: `${SARVAM_PREFIX}/campaigns/{campaign_id}/status`, handler: updateCampaignStatus },
]

export const sarvamEmulator: PlatformModule = {
  name: 'sarvam',
  unauthenticatedDetail: 'Provide a Bearer token or X-API-Key header',
  /** The documented X-API-Key, or the dashboard's Bearer token (observed, sarvam.md §0). */
  authenticate(request) {
    const key = request.headers['x-api-key']
    if (typeof key === 'string' && key.trim() !== '') return actorForKey(key.trim())
    const bearer = /^Bearer\s+(\S+)$/i.exec(String(request.headers.authorization ?? ''))
    return bearer ? actorForKey(bearer[1]!) : undefined
  },
  routes,
}
