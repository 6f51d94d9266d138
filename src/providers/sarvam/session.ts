import type { CreateRetryPolicy } from '../safe-create.js'
import type { SarvamApi } from './api.js'

/** What the Sarvam handler needs: one provider's API (its org and workspace) and create policy. */
export interface SarvamSession {
  /** The provider's name (for addresses). */
  provider: string
  api: SarvamApi
  creates: CreateRetryPolicy
}
