/**
 * Stored shapes of the Sarvam scheduling emulator (plain JSON, persisted in the state file).
 * Placeholder owned by the Sarvam routes: extend it with what the handlers need.
 */
export interface SarvamState {
  next_campaign_number: number
  /** By scope `org_id/workspace_id`, then by campaign_id. */
  workspaces: Record<string, Record<string, Record<string, unknown>>>
}

export function emptySarvamState(): SarvamState {
  return { next_campaign_number: 1, workspaces: {} }
}
