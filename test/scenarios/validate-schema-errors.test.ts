import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  diagnostic,
  expectNoCrash,
  parseTextReport,
  type ExpectedDiagnostic,
  type TextReport,
} from '../helpers/cli-output.js'
import type { CliResult } from '../helpers/run-cli.js'
import { writeProject, yaml } from '../helpers/temp-project.js'
import { validateInProcess } from '../helpers/validate-in-process.js'

/**
 * Eight schema mistakes in one file (two documents). One run must report all of them at once, each
 * at its line and column, with a message that says how to fix it, sorted by line.
 */
const MISTAKES = yaml`
  kind: SyllableCampaign
  provider: syllable
  spec:
    campaign_name: Spring Renewals
    caler_id: "+19995551234"
    caller_id: +19995551234
    campaign_variables: {}
    active_days: [monday]
    hourly_rate: 5000
  ---
  kind: SarvamCampaign
  provider: sarvam
  spec:
    name: renewals.tamil-nadu.motor-policies.expiring-in-december
    description: ${'x'.repeat(151)}
    app_config:
      app_id: policy-renewal-agent
      app_version: 5
      attempts_per_second: 0.01
      connection_configs: [{connection_id: conn-1, phone_numbers: ["+914466120000"]}]
    start_timestamp: "2026-11-30T04:00:00Z"
    end_timestamp: "2026-12-24T12:30:00Z"
    allowed_schedule:
      allowed_start_time: "09:30"
      allowed_end_time: "18:30"
      allowed_days: [Mon]
      timezone: Asia/Kolkata
`

/** In the order the report must list them (by line, then column, then code and message). */
const EXPECTED: (ExpectedDiagnostic & { proves: string })[] = [
  {
    proves: 'an unknown key near a real one gets "did you mean" (caler_id → caller_id)',
    location: 'campaigns/renewals.yaml:5:3',
    code: 'spec.caler_id',
    message: 'unknown field "caler_id" (did you mean "caller_id"?)',
  },
  {
    proves: 'an unquoted phone number is a type error that suggests quoting it',
    location: 'campaigns/renewals.yaml:6:14',
    code: 'spec.caller_id',
    message: 'must be a string or null, got 19995551234 (quote it to keep it text: "+19995551234")',
  },
  {
    proves: 'a Syllable weekday outside the enum suggests the abbreviation (monday → mon)',
    location: 'campaigns/renewals.yaml:8:17',
    code: 'spec.active_days[0]',
    message: 'must be one of mon, tue, wed, thu, fri, sat, sun; got "monday" (did you mean "mon"?)',
  },
  {
    proves: 'hourly_rate out of range gives the range',
    location: 'campaigns/renewals.yaml:9:16',
    code: 'spec.hourly_rate',
    message: 'must be between 1 and 3600, got 5000',
  },
  {
    proves: 'a Sarvam name with a "." says which characters are allowed',
    location: 'campaigns/renewals.yaml:14:9',
    code: 'spec.name',
    message: 'may contain only letters, digits, spaces, hyphens and underscores',
  },
  {
    proves: 'a Sarvam name over 50 characters gives the limit and the length',
    location: 'campaigns/renewals.yaml:14:9',
    code: 'spec.name',
    message: 'must be at most 50 characters long (it has 55)',
  },
  {
    proves: 'a Sarvam description over 150 characters gives the limit and the length',
    location: 'campaigns/renewals.yaml:15:16',
    code: 'spec.description',
    message: 'must be at most 150 characters long (it has 151)',
  },
  {
    proves: 'attempts_per_second below 0.1 gives the range',
    location: 'campaigns/renewals.yaml:19:26',
    code: 'spec.app_config.attempts_per_second',
    message: 'must be between 0.1 and 500, got 0.01',
  },
  {
    proves: 'a Sarvam weekday outside the enum suggests the full name (Mon → Monday)',
    location: 'campaigns/renewals.yaml:26:20',
    code: 'spec.allowed_schedule.allowed_days[0]',
    message: 'must be one of Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday; got "Mon" (did you mean "Monday"?)',
  },
]

describe('cac validate reports every schema error of a file in one run', { timeout: 30_000 }, () => {
  let project: { dir: string; remove: () => Promise<void> }
  let result: CliResult
  let report: TextReport

  beforeAll(async () => {
    project = await writeProject({ 'campaigns/renewals.yaml': MISTAKES })
    result = await validateInProcess(project.dir)
    report = parseTextReport(result.stdout)
  }, 30_000)
  afterAll(() => project?.remove())

  it('exits 1 without a crash, and counts every error in the summary', () => {
    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('')
    expect(report.summary).toBe('✗ 9 errors (2 resources in 1 file checked)')
  })

  it.each(EXPECTED)('$proves', (expected) => {
    expect(report.diagnostics).toContainEqual(diagnostic(expected))
  })

  it('lists exactly these problems, sorted by line and column', () => {
    expect(report.diagnostics).toEqual(EXPECTED.map(diagnostic))
    const lines = report.diagnostics.map((d) => Number(d.location.split(':')[1]))
    expect(lines).toEqual([...lines].sort((a, b) => a - b))
  })
})
