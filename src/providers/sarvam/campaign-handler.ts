/** The SarvamCampaign handler: summaries-only lists, the status machine, PATCH semantics, adoption after an ambiguous create. */
import type { Spec } from '../../model/plan.js'
import { isRecord } from '../../model/values.js'
import { withoutDefaults } from '../file-spec.js'
import type { KindHandler } from '../kind-handler.js'
import { createCampaign, updateCampaign } from './apply.js'
import { CAMPAIGN_KIND } from './kinds.js'
import { readLiveCampaigns, refreshCampaign } from './live.js'
import { DEFAULT_APP_TYPE, DEFAULT_CONNECTION_WEIGHT, normaliseDesiredCampaign } from './normalise.js'
import { assessCampaignChange, cancelledOutsideFiles, finishedCampaign, leftPausedNotice } from './lifecycle-policy.js'
import type { SarvamSession } from './session.js'

export const campaignHandler: KindHandler<SarvamSession> = {
  kind: CAMPAIGN_KIND,
  list: (session, { declared, scope }) => readLiveCampaigns(session.api, session.provider, declared, scope),
  refresh: (session, target) => refreshCampaign(session.api, session.provider, target),
  normalise: normaliseDesiredCampaign,
  toFileSpec: (live) => campaignFileSpec(live.spec),
  create: createCampaign,
  update: updateCampaign,
  assess: assessCampaignChange,
  notice: leftPausedNotice,
  lifecycleDrift: cancelledOutsideFiles,
  unmanageable: finishedCampaign,
}

/**
 * A normalised live campaign as a file writes it: `paused` only when it is (a file that leaves it
 * out does not manage the lifecycle), and the app's defaults (app_type, connection weight) left out.
 */
function campaignFileSpec(spec: Spec): Spec {
  const out = withoutDefaults(spec, { paused: false })
  if (isRecord(out.app_config)) {
    const app = withoutDefaults(out.app_config, { app_type: DEFAULT_APP_TYPE })
    if (Array.isArray(app.connection_configs)) {
      app.connection_configs = app.connection_configs.map((connection: unknown) =>
        isRecord(connection) ? withoutDefaults(connection, { weight: DEFAULT_CONNECTION_WEIGHT }) : connection,
      )
    }
    out.app_config = app
  }
  return out
}
