/**
 * How a run of plan or apply can end, as the renderers show it: the stops before anything was
 * sent or executed, and the result of an execution.
 */
import type { ApplyResult } from './apply-result.js'
import type { Diagnostic, Diagnostics, OmittedDiagnostics } from './diagnostic.js'
import type { Plan } from './plan.js'

/** What checking the files found (the project load, as the renderers need it). */
export interface FilesCheck {
  diagnostics: readonly Diagnostic[]
  /** Per file, problems counted beyond the diagnostics kept (see MAX_DIAGNOSTICS_PER_FILE). */
  omitted?: readonly OmittedDiagnostics[]
  errorCount: number
  warningCount: number
  /** The definition files reported on, as shown to the user. */
  files: readonly string[]
  resources: readonly unknown[]
}

/** A planned change the platform no longer matches. */
export interface StaleChange {
  address: string
  /** One sentence: what moved. */
  reason: string
}

/** How an apply ended without executing anything. Those with a `plan` end after it was made (or read): show it first. */
export type ApplyStop =
  | { kind: 'invalid'; load: FilesCheck; plan?: Plan }
  /** An `--env` file is unusable (saved-plan path). */
  | { kind: 'config-invalid'; diagnostics: Diagnostics }
  | { kind: 'plan-file-invalid'; file: string; message: string }
  /** A saved plan that does not pass this project's checks (each problem names its change): nothing was sent. */
  | { kind: 'plan-rejected'; file: string; plan: Plan; problems: string[] }
  /** The plan has changes in error, or a saved plan is bound to other targets: nothing is applied. */
  | { kind: 'refused'; plan: Plan; reason: string; notes?: string[] }
  /** A saved plan no longer matches the platform. */
  | { kind: 'stale'; plan: Plan; stale: StaleChange[] }
  /** Interrupted before anything was applied (waiting for the lock, planning, at the prompt). */
  | { kind: 'interrupted' }

/** How an apply ended. */
export type ApplyOutcome = ApplyStop | { kind: 'declined'; plan: Plan } | { kind: 'applied'; plan: Plan; result: ApplyResult }
