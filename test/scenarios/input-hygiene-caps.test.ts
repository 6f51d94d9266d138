import { describe, expect, it } from 'vitest'

import { diagnostic, expectNoCrash, parseJsonReport, parseTextReport } from '../helpers/cli-output.js'
import { tempProject } from '../helpers/temp-project.js'
import { validateInProcess } from '../helpers/validate-in-process.js'

/** A campaign whose `labels` list holds `count` numbers (each one a schema error: labels are text). */
function campaignWithNumericLabels(count: number): string {
  return [
    'kind: SyllableCampaign',
    'provider: syllable',
    'spec:',
    '  campaign_name: Spring Renewals',
    '  caller_id: "+19995551234"',
    '  campaign_variables: {}',
    '  active_days: [mon]',
    '  daily_start_time: "09:00:00"',
    '  daily_end_time: "17:00:00"',
    `  labels: [${Array.from({ length: count }, () => '1').join(', ')}]`,
    '',
  ].join('\n')
}

/** The text report without the line that stands for a file's unlisted problems. */
function splitOmittedLines(stdout: string): { report: string; omitted: string[] } {
  const lines = stdout.split('\n')
  const omitted = lines.filter((line) => / {2}… and [\d,]+ more problems? in /.test(line))
  return { report: lines.filter((line) => !omitted.includes(line)).join('\n'), omitted }
}

describe.concurrent('validate lists at most 50 problems per file and counts the rest', { timeout: 60_000 }, () => {
  it('lists the first 50 of 10,000 wrong-type items, then one line with the count of the rest', async ({ onTestFinished }) => {
    const dir = await tempProject({ 'campaigns/a.yaml': campaignWithNumericLabels(10_000) }, { onTestFinished })
    const result = await validateInProcess(dir)

    expectNoCrash(result)
    expect(result.code).toBe(1)
    const { report, omitted } = splitOmittedLines(result.stdout)
    const parsed = parseTextReport(report)
    expect(parsed.diagnostics).toHaveLength(50)
    expect(parsed.diagnostics[0]).toEqual(diagnostic({ location: 'campaigns/a.yaml:10:12', code: 'spec.labels[0]', message: 'must be a string, got 1' }))
    expect(omitted).toEqual([
      'campaigns/a.yaml  … and 9,950 more problems in campaigns/a.yaml (only the first 50 of a file are listed; fix these and validate again)',
    ])
    expect(parsed.summary).toBe('✗ 10000 errors (1 resource in 1 file checked)')
  })

  it('carries the count in the JSON report', async ({ onTestFinished }) => {
    const dir = await tempProject({ 'campaigns/a.yaml': campaignWithNumericLabels(120) }, { onTestFinished })
    const result = await validateInProcess(dir, ['--format', 'json'])

    expectNoCrash(result)
    expect(result.code).toBe(1)
    const report = parseJsonReport(result.stdout) as ReturnType<typeof parseJsonReport> & { summary: { omitted?: number }; omitted?: unknown }
    expect(report.diagnostics).toHaveLength(50)
    expect(report.summary).toEqual({ errors: 120, warnings: 0, files: 1, resources: 1, omitted: 70 })
    expect(report.omitted).toEqual([{ file: 'campaigns/a.yaml', errors: 70, warnings: 0 }])
  })

  it('keeps the limit per file: each file lists its own first 50', async ({ onTestFinished }) => {
    const dir = await tempProject(
      { 'campaigns/a.yaml': campaignWithNumericLabels(60), 'campaigns/b.yaml': campaignWithNumericLabels(60).replace('Spring', 'Autumn') },
      { onTestFinished },
    )
    const result = await validateInProcess(dir)

    expectNoCrash(result)
    const { report, omitted } = splitOmittedLines(result.stdout)
    const files = parseTextReport(report).diagnostics.map((d) => d.location.split(':')[0])
    expect(files.filter((file) => file === 'campaigns/a.yaml')).toHaveLength(50)
    expect(files.filter((file) => file === 'campaigns/b.yaml')).toHaveLength(50)
    expect(omitted.map((line) => line.split('  ')[0])).toEqual(['campaigns/a.yaml', 'campaigns/b.yaml'])
    expect(report.trimEnd().split('\n').at(-1)).toBe('✗ 120 errors (2 resources in 2 files checked)')
  })

  it('reports exactly the problems when a file has 50 or fewer, with no count line', async ({ onTestFinished }) => {
    const dir = await tempProject({ 'campaigns/a.yaml': campaignWithNumericLabels(50) }, { onTestFinished })
    const result = await validateInProcess(dir)

    const { report, omitted } = splitOmittedLines(result.stdout)
    expect(omitted).toEqual([])
    expect(parseTextReport(report).diagnostics).toHaveLength(50)
  })

  it('refuses a document of a million values with one message, not a schema error per item', async ({ onTestFinished }) => {
    const dir = await tempProject({ 'campaigns/a.yaml': campaignWithNumericLabels(1_000_000) }, { onTestFinished })
    const result = await validateInProcess(dir)

    expectNoCrash(result)
    expect(result.code).toBe(1)
    const report = parseTextReport(result.stdout)
    expect(report.diagnostics).toEqual([
      diagnostic({
        location: /^campaigns\/a\.yaml:\d+:\d+$/,
        code: 'document',
        message: 'document holds 1,000,012 values, over the limit of 100,000 for one document (the largest is spec.labels, with 1,000,000 entries)',
      }),
    ])
    expect(report.summary).toBe('✗ 1 error (0 resources in 1 file checked)')
    // A guard against describing a schema error per item (that took gigabytes), not a benchmark.
    expect(result.durationMs).toBeLessThan(30_000)
  })
})
