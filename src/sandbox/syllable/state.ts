/**
 * Stored shapes of the Syllable outbound emulator (plain JSON, persisted in the state file).
 * Placeholder owned by the Syllable routes: extend it with what the handlers need.
 */
export interface SyllableState {
  next_campaign_id: number
  next_webhook_id: number
  /** By campaign id (as a string key). */
  campaigns: Record<string, Record<string, unknown>>
  /** By batch_id. */
  batches: Record<string, Record<string, unknown>>
}

export function emptySyllableState(): SyllableState {
  return { next_campaign_id: 1, next_webhook_id: 1, campaigns: {}, batches: {} }
}
