import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { ANSI_ESCAPE, expectNoCrash, parseJsonReport } from '../helpers/cli-output.js'
import { tempProject, writeProject, yaml } from '../helpers/temp-project.js'
import { validateInProcess } from '../helpers/validate-in-process.js'

/** One error (line 8) and one warning (line 9). */
const CAMPAIGN = yaml`
  kind: SyllableCampaign
  provider: syllable
  spec:
    campaign_name: Spring Renewals
    caller_id: "+19995551234"
    campaign_variables: {}
    active_days: [mon]
    hourly_rate: 5000
    label: renewals
`

const LABEL_WARNING = 'spec.label: "label" is deprecated by the platform; use "labels" (a list) instead'

describe.concurrent('cac validate output formats', { timeout: 30_000 }, () => {
  let project: { dir: string; remove: () => Promise<void> }

  beforeAll(async () => {
    project = await writeProject({ 'campaigns/x.yaml': CAMPAIGN })
  })
  afterAll(() => project?.remove())

  it('text: one line per problem, a blank line, then the summary', async () => {
    const result = await validateInProcess(project.dir)

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(result.stdout).toBe(
      [
        'campaigns/x.yaml:8:16  error    spec.hourly_rate  must be between 1 and 3600, got 5000',
        `campaigns/x.yaml:9:3  warning  deprecated-field  ${LABEL_WARNING}`,
        '',
        '✗ 1 error, 1 warning (1 resource in 1 file checked)',
        '',
      ].join('\n'),
    )
  })

  it('github: workflow commands with file, line, col and title, then the summary', async () => {
    const result = await validateInProcess(project.dir, ['--format', 'github'])

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(result.stdout).toBe(
      [
        '::error file=campaigns/x.yaml,line=8,col=16,title=cac spec.hourly_rate::must be between 1 and 3600, got 5000',
        `::warning file=campaigns/x.yaml,line=9,col=3,title=cac deprecated-field::${LABEL_WARNING}`,
        '✗ 1 error, 1 warning (1 resource in 1 file checked)',
        '',
      ].join('\n'),
    )
  })

  it('json: a versioned envelope with the documented keys', async () => {
    const result = await validateInProcess(project.dir, ['--format', 'json'])

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(parseJsonReport(result.stdout)).toEqual({
      format_version: 1,
      valid: false,
      summary: { errors: 1, warnings: 1, files: 1, resources: 1 },
      diagnostics: [
        {
          severity: 'error',
          file: 'campaigns/x.yaml',
          line: 8,
          column: 16,
          code: 'spec.hourly_rate',
          message: 'must be between 1 and 3600, got 5000',
        },
        { severity: 'warning', file: 'campaigns/x.yaml', line: 9, column: 3, code: 'deprecated-field', message: LABEL_WARNING },
      ],
    })
  })

  it('text has no ANSI escape codes with NO_COLOR=1', async () => {
    const result = await validateInProcess(project.dir, [], { NO_COLOR: '1' })

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(result.stdout).not.toMatch(ANSI_ESCAPE)
  })

  it('text has no ANSI escape codes with --no-color, even when FORCE_COLOR asks for colour', async () => {
    const result = await validateInProcess(project.dir, ['--no-color'], { NO_COLOR: undefined, FORCE_COLOR: '1' })

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(result.stdout).not.toMatch(ANSI_ESCAPE)
  })

  it('text has no ANSI escape codes when stdout is not a terminal and nothing asks for colour', async () => {
    const result = await validateInProcess(project.dir, [], { NO_COLOR: undefined })

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(result.stdout).not.toMatch(ANSI_ESCAPE)
  })

  it('text has ANSI escape codes with --color, even with NO_COLOR=1', async () => {
    const result = await validateInProcess(project.dir, ['--color'], { NO_COLOR: '1' })

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(ANSI_ESCAPE)
    // Colour decorates the same text: without the escapes it is the plain report.
    expect(result.stdout.replace(/\u001b\[[0-9;]*m/g, '')).toContain(
      'campaigns/x.yaml:8:16  error    spec.hourly_rate  must be between 1 and 3600, got 5000',
    )
  })

  it.each(['json', 'github'])('--format %s never has ANSI escape codes, even with --color', async (format) => {
    const result = await validateInProcess(project.dir, ['--format', format, '--color'])

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(result.stdout).not.toMatch(ANSI_ESCAPE)
  })
})

describe.concurrent('cac validate output formats for problems without a line, and odd names', { timeout: 30_000 }, () => {
  it('json: line and column are null when the problem has no place (missing cac.yaml)', async ({ onTestFinished }) => {
    const dir = await tempProject({}, { bare: true, onTestFinished })
    const result = await validateInProcess(dir, ['--format', 'json'])

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(parseJsonReport(result.stdout)).toEqual({
      format_version: 1,
      valid: false,
      summary: { errors: 1, warnings: 0, files: 0, resources: 0 },
      diagnostics: [
        {
          severity: 'error',
          file: 'cac.yaml',
          line: null,
          column: null,
          code: 'config',
          message: 'no cac.yaml in the working directory or the folders above it (up to the repository root); create one (see the README) or pass --config FILE',
        },
      ],
    })
  })

  it('github: no line or col property when the problem has no place', async ({ onTestFinished }) => {
    const dir = await tempProject({}, { bare: true, onTestFinished })
    const result = await validateInProcess(dir, ['--format', 'github'])

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(result.stdout.split('\n')[0]).toBe(
      '::error file=cac.yaml,title=cac config::no cac.yaml in the working directory or the folders above it (up to the repository root); create one (see the README) or pass --config FILE',
    )
  })

  it('github: escapes ":" and "," in properties and "%" everywhere', async ({ onTestFinished }) => {
    const files = {
      'campaigns/a,b:c.yaml': yaml`
        kind: SyllableCampaign
        provider: syllable
        spec:
          campaign_name: Spring Renewals
          caller_id: "+19995551234"
          campaign_variables: {}
          active_days: [mon]
          "x,y:50%": 1
      `,
    }
    const dir = await tempProject(files, { onTestFinished })
    const result = await validateInProcess(dir, ['--format', 'github'])

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(result.stdout.split('\n')[0]).toBe(
      '::error file=campaigns/a%2Cb%3Ac.yaml,line=8,col=3,title=cac spec["x%2Cy%3A50%25"]::unknown field "x,y:50%25"',
    )
  })
})
