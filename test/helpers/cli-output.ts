import { expect } from 'vitest'

import type { CliResult } from './run-cli.js'

/** One line of the text report: `file:line:col  severity  code  message`. */
export interface TextDiagnostic {
  /** `file:line:col`, or just `file` when the problem has no line. */
  location: string
  severity: 'error' | 'warning'
  code: string
  message: string
}

export interface TextReport {
  diagnostics: TextDiagnostic[]
  /** The last line, e.g. `✓ 6 resources in 4 files: valid` or `✗ 2 errors (… checked)`. */
  summary: string
}

const TEXT_LINE = /^(.+?) {2}(error|warning) +(\S+) {2}(.*)$/

/**
 * Parses the text format of `cac validate` (without colour). Fails the test when a line does not
 * have the documented shape, so a change of layout is noticed here rather than in every test.
 */
export function parseTextReport(stdout: string): TextReport {
  const lines = stdout.replace(/\n$/, '').split('\n')
  const summary = lines.pop() ?? ''
  if (lines.length > 0) expect(lines.pop(), 'a blank line separates the problems from the summary').toBe('')
  const diagnostics = lines.map((line) => {
    const match = TEXT_LINE.exec(line)
    expect(match, `line of the text report: ${JSON.stringify(line)}`).not.toBeNull()
    const [, location, severity, code, message] = match!
    return { location: location!, severity: severity as TextDiagnostic['severity'], code: code!, message: message! }
  })
  return { diagnostics, summary }
}

/** The `--format json` envelope (format_version 1). */
export interface JsonReport {
  format_version: number
  valid: boolean
  summary: { errors: number; warnings: number; files: number; resources: number }
  diagnostics: {
    severity: 'error' | 'warning'
    file: string | null
    line: number | null
    column: number | null
    code: string
    message: string
  }[]
}

export function parseJsonReport(stdout: string): JsonReport {
  return JSON.parse(stdout) as JsonReport
}

/** What an expected diagnostic looks like in a test table: exact place and code, part of the message. */
export interface ExpectedDiagnostic {
  location: string | RegExp
  code: string
  message: string | RegExp
  severity?: 'error' | 'warning'
}

/** An asymmetric matcher for one line of the text report. */
export function diagnostic(expected: ExpectedDiagnostic): unknown {
  return {
    location: typeof expected.location === 'string' ? expected.location : expect.stringMatching(expected.location),
    severity: expected.severity ?? 'error',
    code: expected.code,
    message:
      typeof expected.message === 'string' ? expect.stringContaining(expected.message) : expect.stringMatching(expected.message),
  }
}

/**
 * The CLI handled the input instead of crashing: it exited by itself (no signal, no timeout) and
 * printed no stack trace, no internal-error banner and no paths into its own code.
 */
export function expectNoCrash(result: CliResult): void {
  expect(result.timedOut, 'the CLI finished before the timeout').toBe(false)
  expect(result.signal, 'the CLI was not killed by a signal').toBeNull()
  for (const [name, text] of [
    ['stdout', result.stdout],
    ['stderr', result.stderr],
  ] as const) {
    expect(text, `${name} has no stack frame`).not.toMatch(/^\s+at\s/m)
    expect(text, `${name} has no path into node_modules`).not.toContain('node_modules')
    expect(text, `${name} has no path to a .js source`).not.toMatch(/\.js:\d/)
    expect(text, `${name} has no internal-error banner`).not.toMatch(/Internal error|This is a bug in cac/)
  }
}

/** A secret value appears nowhere in what the CLI printed. */
export function expectNotPrinted(result: CliResult, ...secrets: string[]): void {
  for (const secret of secrets) {
    expect(result.stdout.includes(secret), `stdout must not contain ${secret.slice(0, 4)}…`).toBe(false)
    expect(result.stderr.includes(secret), `stderr must not contain ${secret.slice(0, 4)}…`).toBe(false)
  }
}

/** Any ANSI escape sequence (colour, bold…). */
export const ANSI_ESCAPE = /\u001b\[[0-9;]*m/
