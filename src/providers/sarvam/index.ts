/**
 * The Sarvam provider: SarvamCampaign resources in one org and workspace of the scheduling API.
 * Every Sarvam quirk (summaries-only lists, the status machine, PATCH semantics, adoption after an
 * ambiguous create) is handled in this folder.
 */
import type { KindName } from '../../model/kinds.js'
import type { Provider, ProviderFactoryInput } from '../../model/provider.js'
import { SarvamApi, campaignsPath } from './api.js'
import { applyCampaignChange, type ApplyDeps } from './apply.js'
import { KIND, readLiveCampaigns, refreshCampaigns } from './live.js'
import { normaliseDesiredCampaign } from './normalise.js'
import { sarvamCampaignRules } from './rules.js'

export { normaliseCampaignSummary, normaliseDesiredCampaign, normaliseLiveCampaign } from './normalise.js'
export { ACTIVE_REASON, CANCELLED_REASON, CREATE_ONLY_REASONS, ENDED_REASON, assessCampaignChange } from './rules.js'
export { patchBody } from './apply.js'

/** Tuning of the create retries (tests shorten the waits). */
export interface SarvamProviderOptions {
  /** POST attempts in all for one create (default 3). */
  createAttempts?: number
  /** First wait between create attempts, doubled each time (default 500 ms). */
  createBackoffMs?: number
  /** Waits between lookups after a create left in doubt (default: safe-create's). */
  settleDelaysMs?: readonly number[]
  sleep?: (ms: number) => Promise<void>
}

export function createSarvamProvider(input: ProviderFactoryInput, options: SarvamProviderOptions = {}): Provider {
  const { config, client, target } = input
  // The provider's target is the client's base URL for a real API, and names the sandbox otherwise.
  const api = new SarvamApi(client, campaignsPath(config, target))
  const deps: ApplyDeps = {
    api,
    provider: config.name,
    createAttempts: options.createAttempts ?? input.retry.creates.attempts,
    createBackoffMs: options.createBackoffMs ?? input.retry.creates.backoffMs,
    settleDelaysMs: options.settleDelaysMs ?? input.retry.creates.settleDelaysMs,
    sleep: options.sleep ?? input.retry.sleep,
    ...(input.onRetry ? { onRetry: input.onRetry } : {}),
  }
  const kinds: readonly KindName[] = [KIND]

  return {
    name: config.name,
    type: 'sarvam',
    target,
    kinds,
    rules(kind) {
      if (kind !== KIND) throw new Error(`provider ${config.name} (sarvam) does not manage ${kind}`)
      return sarvamCampaignRules
    },
    normaliseDesired: (resource) => normaliseDesiredCampaign(resource.spec),
    async readLive(wanted, declared) {
      return wanted.includes(KIND) ? readLiveCampaigns(api, config.name, declared) : []
    },
    refresh: (targets) => refreshCampaigns(api, config.name, targets),
    apply: (change, context) => applyCampaignChange(change, context, deps),
    close: () => client.close(),
  }
}
