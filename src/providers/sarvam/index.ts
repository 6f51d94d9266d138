/**
 * The Sarvam provider: SarvamCampaign resources in one org and workspace of the scheduling API.
 * Every Sarvam quirk (summaries-only lists, the status machine, PATCH semantics, adoption after an
 * ambiguous create) is handled in this folder.
 */
import type { Provider, ProviderFactoryInput } from '../../model/provider.js'
import { providerFromHandlers } from '../handler-provider.js'
import { createRetryOf } from '../safe-create.js'
import { SarvamApi, campaignsPath } from './api.js'
import { campaignHandler } from './campaign-handler.js'
import type { SarvamSettings } from './platform.js'
import type { SarvamSession } from './session.js'

export { normaliseCampaignSummary, normaliseDesiredCampaign, normaliseLiveCampaign } from './normalise.js'
export { ACTIVE_REASON, CANCELLED_REASON, CREATE_ONLY_REASONS, ENDED_REASON, assessCampaignChange } from './lifecycle-policy.js'
export { patchBody } from './apply.js'
export { campaignHandler } from './campaign-handler.js'

export function createSarvamProvider(input: ProviderFactoryInput<SarvamSettings>): Provider {
  const { config, client, onRetry } = input
  const api = new SarvamApi(client, campaignsPath(config.name, config.settings, input.baseUrl))
  const session: SarvamSession = {
    provider: config.name,
    api,
    creates: {
      ...createRetryOf(input.retry),
      ...(onRetry
        ? { onRetry: (attempt, delayMs, failure) => onRetry({ method: 'POST', path: api.campaignsPath, attempt, delayMs, reason: (failure as Error).message }) }
        : {}),
    },
  }
  return providerFromHandlers({
    name: config.name,
    type: config.type,
    target: input.target,
    session,
    handlers: [campaignHandler],
    close: () => client.close(),
  })
}
