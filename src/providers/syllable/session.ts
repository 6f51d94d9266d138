import type { CreateRetryPolicy } from '../safe-create.js'
import type { SyllableApi } from './api.js'
import type { LateCopyWatch } from './apply-campaign.js'

/** What the Syllable handlers share: one provider's API, create policy and actor. */
export interface SyllableSession {
  /** The provider's name (for addresses). */
  provider: string
  api: SyllableApi
  creates: CreateRetryPolicy
  /** Who the batch PUT names in last_updated_by. */
  actor: string
  /** Watches for late copies of campaign creates left in doubt. */
  lateCopies: LateCopyWatch
}
