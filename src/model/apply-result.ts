/** What an apply's execution reports as it goes, and what it comes to (renderers show both). */
import type { FailureCause } from './failure-cause.js'
import type { ResourceChange } from './plan.js'
import type { ChangeOutcome, FollowUp } from './provider.js'

/** What happens during apply, in order, for renderers (progress on a terminal, a line per change otherwise). */
export type ApplyEvent =
  | { type: 'start'; change: ResourceChange }
  | { type: 'success'; change: ResourceChange; outcome: ChangeOutcome; durationMs: number }
  | { type: 'failure'; change: ResourceChange; message: string; durationMs: number }
  | { type: 'skip'; change: ResourceChange; reason: string }

export interface ApplyResult {
  succeeded: { change: ResourceChange; outcome: ChangeOutcome }[]
  /**
   * `cause`: what would let it through (only `transient` is worth a plain retry); `rejectedFields`:
   * the fields the platform refused, when it named them. `warning`: what the failure left behind
   * that needs the user (e.g. a campaign left paused).
   */
  failed: { change: ResourceChange; message: string; cause: FailureCause; rejectedFields?: string[]; warning?: string }[]
  skipped: { change: ResourceChange; reason: string }[]
  /** Changes the plan could not make (blocked, error): not attempted. */
  notAttempted: ResourceChange[]
  /** True when the run was interrupted: nothing was started after that. */
  interrupted: boolean
  /** Changes never started because the run was interrupted. */
  notStarted: { change: ResourceChange; reason: string }[]
  /** Changes still in flight when the bounded wait after an interrupt ended: their outcome is unknown. */
  unfinished: { change: ResourceChange; reason: string }[]
  unchanged: number
  /** What came of work the providers left running after their changes (see Provider.settle). */
  followUps: FollowUp[]
  /** Wall time of the execution (planning and confirmation excluded). */
  durationMs: number
}
