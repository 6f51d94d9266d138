/**
 * The Syllable provider: outbound campaigns and batches. Every Syllable quirk lives in this folder:
 * the list pagination, the campaign PUT that replaces everything, write-only webhook secrets, the
 * batch that names its campaign by id, and creates that must not be repeated blind.
 */
import type { Provider, ProviderFactoryInput } from '../../model/provider.js'
import { providerFromHandlers } from '../handler-provider.js'
import { createRetryOf } from '../safe-create.js'
import { DEFAULT_PAGE_SIZE, SyllableApi } from './api.js'
import { LateCopyWatch } from './apply-campaign.js'
import { batchHandler } from './batch-handler.js'
import { campaignHandler } from './campaign-handler.js'
import type { SyllableSettings } from './platform.js'
import type { SyllableSession } from './session.js'

export { BATCH_CAMPAIGN_IS_CREATE_ONLY } from './kinds.js'
export { batchHandler } from './batch-handler.js'
export { campaignHandler } from './campaign-handler.js'
export {
  normaliseDesiredBatch,
  normaliseDesiredCampaign,
  normaliseDesiredWebhook,
  normaliseLiveBatch,
  normaliseLiveCampaign,
  normaliseLiveWebhook,
} from './normalise.js'

/** Who batch updates name in last_updated_by when cac.yaml sets no `actor`. */
export const DEFAULT_ACTOR = 'cac@localhost'

/** Tuning for tests and benchmarks; the default suits real use. */
export interface SyllableProviderOptions {
  /** `limit` of each list request (default 1000). */
  pageSize?: number
}

export function createSyllableProvider(input: ProviderFactoryInput<SyllableSettings>, options: SyllableProviderOptions = {}): Provider {
  const name = input.config.name
  const session: SyllableSession = {
    provider: name,
    api: new SyllableApi(input.client, options.pageSize ?? DEFAULT_PAGE_SIZE),
    creates: createRetryOf(input.retry),
    actor: input.config.settings.actor?.trim() || DEFAULT_ACTOR,
    lateCopies: new LateCopyWatch(name),
  }
  return providerFromHandlers({
    name,
    type: input.config.type,
    target: input.target,
    session,
    handlers: [campaignHandler, batchHandler],
    settle: () => session.lateCopies.settle(),
    close: () => input.client.close(),
  })
}
