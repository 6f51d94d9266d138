import type { ApplyEvent, ApplyResult } from '../model/apply-result.js'
import type { Plan } from '../model/plan.js'
import { applyAdvice } from './apply-advice.js'
import { printable, targetsToJson } from './values.js'
import { createStyle, type Style } from './style.js'

/** One line for a finished change (printed as it happens). */
export function formatApplyEvent(event: ApplyEvent, style: Style): string | undefined {
  switch (event.type) {
    case 'start':
      return undefined
    case 'success': {
      const verb = event.change.action === 'create' ? 'created' : 'updated'
      // An adoption's steps say why it happened (see safe-create.ts).
      const details = [`id ${String(event.outcome.id)}`, ...(event.outcome.steps ?? [])]
      details.push(`${event.durationMs} ms`)
      return `${style.green(`✓ ${verb.padEnd(8)}`)} ${printable(event.change.address)}  ${style.dim(`(${details.join(', ')})`)}`
    }
    case 'failure':
      return `${style.red('✗ failed  ')} ${printable(event.change.address)}: ${printable(event.message)}`
    case 'skip':
      return `${style.yellow('- skipped ')} ${printable(event.change.address)}: ${printable(event.reason)}`
  }
}

/** How the run ended, beyond its result: the signal that interrupted it, if one did. */
export interface ApplyEnding {
  interruptedBy?: string
}

/**
 * The end of an apply: what succeeded, failed, was skipped or not attempted, and a summary line
 * ("Apply complete: 2 created, 3 updated, 14 unchanged." / "Apply incomplete: …" /
 * "Apply interrupted (SIGINT): …"). What a failure left behind (a campaign left paused) is a
 * marked warning line just above the summary, where it is not missed.
 */
export function formatApplySummary(result: ApplyResult, color: boolean, ending: ApplyEnding = {}): string {
  const style = createStyle(color)
  const lines: string[] = []
  if (result.notAttempted.length > 0) {
    lines.push('Not attempted:')
    for (const change of result.notAttempted) lines.push(`  ${printable(change.address)}: ${change.action}: ${printable(change.reason ?? '')}`)
  }
  if (result.failed.length > 0) {
    lines.push('Failed:')
    for (const { change, message } of result.failed) lines.push(`  ${printable(change.address)}: ${printable(message)}`)
  }
  if (result.skipped.length > 0) {
    lines.push('Skipped:')
    for (const { change, reason } of result.skipped) lines.push(`  ${printable(change.address)}: ${printable(reason)}`)
  }
  if (result.unfinished.length > 0) {
    lines.push('Unfinished (outcome unknown):')
    for (const { change, reason } of result.unfinished) lines.push(`  ${printable(change.address)}: ${printable(reason)}`)
  }
  if (result.notStarted.length > 0) {
    lines.push('Not started (interrupted):')
    for (const { change } of result.notStarted) lines.push(`  ${printable(change.address)}`)
  }
  for (const followUp of result.followUps) if (!followUp.warning) lines.push(`Note: ${printable(followUp.address)}: ${printable(followUp.message)}`)
  for (const { address, message } of applyWarnings(result)) lines.push(style.yellow(`⚠ WARNING: ${printable(address)}: ${printable(message)}`))
  const totals = formatApplyTotals(result, ending)
  lines.push(totals.complete ? style.green(totals.line) : style.red(totals.line))
  lines.push(...totals.advice)
  return `${lines.join('\n')}\n`
}

/**
 * The summary line of an apply ("Apply complete: 2 created, 3 updated, 14 unchanged.") and, when
 * it did not complete, what to do about it (one line per kind of trouble).
 */
export function formatApplyTotals(result: ApplyResult, ending: ApplyEnding = {}): { line: string; complete: boolean; advice: string[] } {
  const created = result.succeeded.filter((s) => s.change.action === 'create').length
  const updated = result.succeeded.length - created
  const parts = [`${created} created`, `${updated} updated`]
  if (result.failed.length > 0) parts.push(`${result.failed.length} failed`)
  if (result.skipped.length > 0) parts.push(`${result.skipped.length} skipped`)
  const blocked = result.notAttempted.filter((c) => c.action === 'blocked').length
  if (blocked > 0) parts.push(`${blocked} blocked`)
  if (result.unfinished.length > 0) parts.push(`${result.unfinished.length} unfinished`)
  if (result.notStarted.length > 0) parts.push(`${result.notStarted.length} not started`)
  parts.push(`${result.unchanged} unchanged`)
  const complete = applySucceeded(result)
  const state = result.interrupted ? `interrupted${ending.interruptedBy ? ` (${ending.interruptedBy})` : ''}` : complete ? 'complete' : 'incomplete'
  const line = `Apply ${state}: ${parts.join(', ')}.`
  return { line, complete, advice: applyAdvice(result, complete) }
}

/** What failures and follow-ups left behind that needs the user (a campaign left paused, a copy not removed). */
export function applyWarnings(result: ApplyResult): { address: string; message: string }[] {
  return [
    ...result.failed.flatMap(({ change, warning }) => (warning === undefined ? [] : [{ address: change.address, message: warning }])),
    ...result.followUps.filter((followUp) => followUp.warning).map(({ address, message }) => ({ address, message })),
  ]
}

/** Everything the plan asked for was done, nothing needs the user, and the run was not interrupted. */
export function applySucceeded(result: ApplyResult): boolean {
  return (
    !result.interrupted &&
    result.followUps.every((followUp) => !followUp.warning) &&
    result.failed.length === 0 &&
    result.skipped.length === 0 &&
    result.notAttempted.length === 0 &&
    result.notStarted.length === 0 &&
    result.unfinished.length === 0
  )
}

export const APPLY_JSON_FORMAT_VERSION = 1

/** The result for tools: a versioned envelope (one complete document, also when interrupted). */
export function applyResultToJson(plan: Plan, result: ApplyResult, ending: ApplyEnding = {}): string {
  const body = {
    format_version: APPLY_JSON_FORMAT_VERSION,
    targets: targetsToJson(plan.targets),
    succeeded: result.succeeded.map(({ change, outcome }) => ({
      address: change.address,
      action: change.action,
      id: outcome.id,
      adopted: outcome.adopted === true,
      steps: outcome.steps ?? [],
    })),
    failed: result.failed.map(({ change, message, cause, warning }) => ({ address: change.address, action: change.action, message, cause, warning: warning ?? null })),
    skipped: result.skipped.map(({ change, reason }) => ({ address: change.address, action: change.action, reason })),
    not_attempted: result.notAttempted.map((change) => ({ address: change.address, action: change.action, reason: change.reason ?? null })),
    not_started: result.notStarted.map(({ change, reason }) => ({ address: change.address, action: change.action, reason })),
    unfinished: result.unfinished.map(({ change, reason }) => ({ address: change.address, action: change.action, reason })),
    warnings: applyWarnings(result),
    notes: result.followUps.filter((followUp) => !followUp.warning).map(({ address, message }) => ({ address, message })),
    unchanged: result.unchanged,
    complete: applySucceeded(result),
    interrupted: result.interrupted,
    signal: result.interrupted ? (ending.interruptedBy ?? null) : null,
    timing: { execute_ms: Math.round(result.durationMs) },
  }
  return `${JSON.stringify(body, null, 2)}\n`
}

/**
 * Progress on a terminal: finished changes scroll above a status line that is rewritten in place
 * ("Applying… 3/10 done, 2 running").
 */
export class ApplyProgress {
  private done = 0
  private running = 0

  constructor(
    private readonly write: (text: string) => void,
    private readonly total: number,
    private readonly style: Style,
    private readonly live: boolean,
  ) {}

  onEvent(event: ApplyEvent): void {
    if (event.type === 'start') this.running += 1
    else {
      if (event.type !== 'skip') this.running -= 1
      this.done += 1
    }
    const line = formatApplyEvent(event, this.style)
    if (this.live) this.write('\r\u001b[K')
    if (line) this.write(`${line}\n`)
    if (this.live && this.done < this.total) this.write(this.style.dim(`Applying… ${this.done}/${this.total} done, ${this.running} running`))
  }

  finish(): void {
    if (this.live) this.write('\r\u001b[K')
  }
}
