import { describe, expect, it, type TestContext } from 'vitest'

import { diagnostic, expectNoCrash, parseTextReport, type ExpectedDiagnostic } from '../helpers/cli-output.js'
import { DEFAULT_CAC_YAML, tempProject, yaml } from '../helpers/temp-project.js'
import { validateInProcess } from '../helpers/validate-in-process.js'

/**
 * Broken, odd or malicious input: every case is refused with exit 1 and one clear message at the
 * place to fix, and the CLI never crashes, hangs or prints a stack trace.
 */
interface HostileCase {
  name: string
  /** Files of the temp project (on top of the default cac.yaml and campaigns/, unless bare). */
  files: Record<string, string | Buffer>
  bare?: boolean
  args?: string[]
  expected: ExpectedDiagnostic
  /** The summary line (default: one error). */
  summary?: RegExp
}

const FIVE_MB = 5 * 1024 * 1024

/** Nine levels of nine aliases: fully expanded, 9^9 ≈ 387 million strings. */
const BILLION_LAUGHS = yaml`
  kind: SyllableCampaign
  provider: syllable
  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
  i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
  spec: *i
`

const definitionCases: HostileCase[] = [
  {
    name: 'a YAML syntax error (a stray "}") is reported at the offending character',
    files: {
      'campaigns/a.yaml': yaml`
        kind: SyllableBatch
        provider: syllable
        spec:
          batch_id: b1
          campaign: Spring Renewals
        }
      `,
    },
    expected: { location: 'campaigns/a.yaml:6:1', code: 'yaml', message: 'Unexpected flow-map-end token in YAML stream: "}"' },
  },
  {
    name: 'a YAML syntax error (a second ": " inside a value) is reported at the value',
    files: {
      'campaigns/a.yaml': yaml`
        kind: SyllableBatch
        provider: syllable
        spec:
          batch_id: b1: x
          campaign: Spring Renewals
      `,
    },
    expected: { location: 'campaigns/a.yaml:4:13', code: 'yaml', message: 'Nested mappings are not allowed in compact mappings' },
  },
  {
    name: 'a duplicate mapping key is reported at the second occurrence, naming the key',
    files: {
      'campaigns/a.yaml': yaml`
        kind: SyllableBatch
        provider: syllable
        spec:
          batch_id: b1
          campaign: Spring Renewals
          batch_id: b2
      `,
    },
    expected: {
      location: 'campaigns/a.yaml:6:3',
      code: 'yaml',
      message: 'duplicate key "batch_id" in the same mapping: a key may appear only once',
    },
  },
  {
    name: 'a tab used for indentation is reported at the tab',
    files: { 'campaigns/a.yaml': 'kind: SyllableBatch\nprovider: syllable\nspec:\n\tbatch_id: b1\n' },
    expected: {
      location: 'campaigns/a.yaml:4:1',
      code: 'yaml',
      message: 'tab character used for indentation; YAML indentation must use spaces',
    },
  },
  {
    name: 'a "billion laughs" alias bomb is refused at its first alias',
    files: { 'campaigns/a.yaml': BILLION_LAUGHS },
    expected: { location: 'campaigns/a.yaml:4:8', code: 'yaml', message: 'anchors and aliases expand too much' },
  },
  {
    name: 'an alias to an undefined anchor names the anchor',
    files: {
      'campaigns/a.yaml': yaml`
        kind: SyllableBatch
        provider: syllable
        spec:
          batch_id: b1
          campaign: *nowhere
      `,
    },
    expected: {
      location: 'campaigns/a.yaml:5:13',
      code: 'yaml',
      message: /alias refers to an anchor that is not defined before it .*nowhere/,
    },
  },
  {
    name: 'a file over 5 MB is refused before it is parsed, at file:1:1',
    files: {
      'campaigns/a.yaml': `kind: SyllableBatch\nprovider: syllable\n# ${'x'.repeat(FIVE_MB)}\n`,
    },
    expected: { location: 'campaigns/a.yaml:1:1', code: 'file', message: /over the 5 MB limit for a definition file/ },
  },
  {
    name: 'non-UTF-8 bytes (latin-1 "café") are reported at the line and column of the bad byte',
    files: {
      'campaigns/a.yaml': Buffer.concat([
        Buffer.from('kind: SyllableCampaign\nprovider: syllable\nspec:\n  campaign_name: caf'),
        Buffer.from([0xe9]),
        Buffer.from(' reminders\n'),
      ]),
    },
    expected: {
      location: 'campaigns/a.yaml:4:21',
      code: 'file',
      message: 'file is not valid UTF-8 (byte 0xe9 at offset 68); save it as UTF-8',
    },
  },
  {
    name: 'a UTF-16 (little-endian, with BOM) file is refused with a hint to save it as UTF-8',
    files: {
      'campaigns/a.yaml': Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from('kind: SyllableBatch\nprovider: syllable\n', 'utf16le'),
      ]),
    },
    expected: { location: 'campaigns/a.yaml:1:1', code: 'file', message: 'file is encoded as UTF-16; save it as UTF-8' },
  },
  {
    name: 'a UTF-16 (big-endian, with BOM) file is refused with a hint to save it as UTF-8',
    files: {
      'campaigns/a.yaml': Buffer.concat([
        Buffer.from([0xfe, 0xff]),
        Buffer.from('kind: SyllableBatch\n', 'utf16le').swap16(),
      ]),
    },
    expected: { location: 'campaigns/a.yaml:1:1', code: 'file', message: 'file is encoded as UTF-16; save it as UTF-8' },
  },
  {
    name: 'a UTF-16 file without a BOM is refused as binary (NUL bytes), not parsed',
    files: { 'campaigns/a.yaml': Buffer.from('kind: SyllableBatch\n', 'utf16le') },
    expected: { location: 'campaigns/a.yaml:1:2', code: 'file', message: 'file contains a NUL byte' },
  },
  {
    name: 'an empty file says it defines nothing',
    files: { 'campaigns/a.yaml': '' },
    expected: { location: 'campaigns/a.yaml:1:1', code: 'file', message: 'file defines nothing' },
  },
  {
    name: 'a file with only comments says it defines nothing',
    files: { 'campaigns/a.yaml': '# campaigns for Q4 go here\n# (none yet)\n' },
    expected: { location: 'campaigns/a.yaml:1:1', code: 'file', message: 'file defines nothing' },
  },
  {
    name: 'a document that is a list is refused: a definition must be a mapping',
    files: {
      'campaigns/a.yaml': yaml`
        # header
        - kind: SyllableBatch
          provider: syllable
      `,
    },
    expected: {
      location: 'campaigns/a.yaml:2:1',
      code: 'document',
      message: 'a definition must be a mapping with kind, provider and spec; this document is a list',
    },
  },
  {
    name: 'a document that is a scalar is refused: a definition must be a mapping',
    files: { 'campaigns/a.yaml': '# header\njust some text\n' },
    expected: {
      location: 'campaigns/a.yaml:2:1',
      code: 'document',
      message: 'a definition must be a mapping with kind, provider and spec; this document is a single value (string)',
    },
  },
  {
    name: 'a missing kind lists the kinds',
    files: {
      'campaigns/a.yaml': yaml`
        provider: syllable
        spec:
          batch_id: b1
          campaign: Spring Renewals
      `,
    },
    expected: {
      location: 'campaigns/a.yaml:1:1',
      code: 'kind',
      message: 'missing "kind": one of SyllableCampaign, SyllableBatch, SarvamCampaign',
    },
  },
  {
    name: 'an unknown kind suggests the closest one ("SyllableCampain" → "SyllableCampaign")',
    files: {
      'campaigns/a.yaml': yaml`
        provider: syllable
        kind: SyllableCampain
        spec:
          campaign_name: Spring Renewals
      `,
    },
    expected: {
      location: 'campaigns/a.yaml:2:7',
      code: 'kind',
      message: 'unknown kind "SyllableCampain" (did you mean "SyllableCampaign"?)',
    },
  },
  {
    name: 'an unknown kind is the only problem reported: no unset-variable error for a field whose kind would say it is a secret',
    files: {
      'campaigns/a.yaml': yaml`
        kind: SyllableCampaignX
        provider: syllable
        spec:
          campaign_name: Spring Renewals
          webhooks:
            - url: https://hooks.example.com/a
              auth_values: {hmac_secret: "\${env:UNSET_HMAC_SECRET}"}
      `,
    },
    expected: {
      location: 'campaigns/a.yaml:1:7',
      code: 'kind',
      message: 'unknown kind "SyllableCampaignX" (did you mean "SyllableCampaign"?)',
    },
  },
  // A deeply nested document stays spawned (test/e2e/validate-hostile-input.test.ts): how many
  // diagnostics it gets depends on the stack of the process that reads it.
  {
    name: 'a deeply nested document (20,000 nested "[") is refused without a crash',
    files: {
      'campaigns/a.yaml': `kind: SyllableBatch\nprovider: syllable\nspec: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`,
    },
    // The column is where the parser gave up, which depends on the stack size: only the line is fixed.
    expected: { location: /^campaigns\/a\.yaml:3:\d+$/, code: 'yaml', message: 'document is nested too deeply to be read' },
  },
]

const projectFileCases: HostileCase[] = [
  {
    name: 'a missing cac.yaml says so and how to fix it',
    files: { 'campaigns/a.yaml': 'kind: SyllableBatch\n' },
    bare: true,
    expected: {
      location: 'cac.yaml',
      code: 'config',
      message: 'no cac.yaml in the working directory or the folders above it (up to the repository root); create one (see the README) or pass --config FILE',
    },
    summary: /^✗ 1 error \(0 resources in 0 files checked\)$/,
  },
  {
    name: 'a definitions folder that does not exist is reported at the value in cac.yaml',
    files: { 'cac.yaml': DEFAULT_CAC_YAML.replace('definitions: campaigns', 'definitions: defs') },
    bare: true,
    expected: { location: 'cac.yaml:2:14', code: 'definitions', message: 'definitions folder "defs" does not exist' },
    summary: /^✗ 1 error \(0 resources in 0 files checked\)$/,
  },
  {
    name: 'an empty cac.yaml says what it must declare',
    files: { 'cac.yaml': '' },
    expected: { location: 'cac.yaml:1:1', code: 'config', message: 'cac.yaml is empty; it must declare at least "providers"' },
    summary: /^✗ 1 error \(0 resources in 0 files checked\)$/,
  },
  {
    name: '--config pointing at a missing file names the flag and the file',
    files: {},
    args: ['--config', 'config/missing.yaml'],
    expected: { location: 'config/missing.yaml', code: 'config', message: 'project file not found (--config config/missing.yaml)' },
    summary: /^✗ 1 error \(0 resources in 0 files checked\)$/,
  },
]

async function expectRefused(testCase: HostileCase, { onTestFinished }: TestContext): Promise<void> {
  const dir = await tempProject(testCase.files, { bare: testCase.bare ?? false, onTestFinished })
  const result = await validateInProcess(dir, testCase.args ?? [])

  expectNoCrash(result)
  expect(result.code).toBe(1)
  expect(result.stderr).toBe('')
  const report = parseTextReport(result.stdout)
  expect(report.diagnostics).toEqual([diagnostic(testCase.expected)])
  expect(report.summary).toMatch(testCase.summary ?? /^✗ 1 error \(0 resources in 1 file checked\)$/)
}

describe.concurrent('cac validate refuses hostile definition files', { timeout: 30_000 }, () => {
  it.for(definitionCases)('$name', expectRefused)

  it('refuses the alias bomb quickly (a guard against expanding it, not a benchmark)', async ({ onTestFinished }) => {
    const dir = await tempProject({ 'campaigns/a.yaml': BILLION_LAUGHS }, { onTestFinished })
    const result = await validateInProcess(dir)

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(result.durationMs).toBeLessThan(10_000)
  })

  it('reports an undefined alias at that alias, not at an earlier valid one', async ({ onTestFinished }) => {
    // BUG: the position is taken from the first alias of the document (`*name`, line 5), while the
    // message is about `*nowhere` on line 6.
    const files = {
      'campaigns/a.yaml': yaml`
        kind: SyllableBatch
        provider: syllable
        x: &name b1
        spec:
          batch_id: *name
          campaign: *nowhere
      `,
    }
    const dir = await tempProject(files, { onTestFinished })
    const result = await validateInProcess(dir)

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(parseTextReport(result.stdout).diagnostics).toEqual([
      diagnostic({ location: 'campaigns/a.yaml:6:13', code: 'yaml', message: 'nowhere' }),
    ])
  })

  it('states a size that differs from the limit for a file just over 5 MB', async ({ onTestFinished }) => {
    // BUG: 5 MB + 1 byte is rounded to "5 MB", so the message reads "file is 5 MB, over the 5 MB limit".
    const dir = await tempProject({ 'campaigns/a.yaml': Buffer.alloc(FIVE_MB + 1, ' ') }, { onTestFinished })
    const result = await validateInProcess(dir)

    expectNoCrash(result)
    expect(result.code).toBe(1)
    const [problem] = parseTextReport(result.stdout).diagnostics
    expect(problem).toEqual(diagnostic({ location: 'campaigns/a.yaml:1:1', code: 'file', message: 'over the 5 MB limit' }))
    expect(problem!.message).not.toContain('file is 5 MB, over the 5 MB limit')
  })

  it('accepts a file of exactly 5 MB (the limit itself is allowed)', async ({ onTestFinished }) => {
    const header = 'kind: SyllableBatch\nprovider: syllable\nspec:\n  batch_id: b1\n  campaign: Spring Renewals\n# '
    const content = header + 'x'.repeat(FIVE_MB - header.length - 1) + '\n'
    const dir = await tempProject({ 'campaigns/a.yaml': content }, { onTestFinished })
    const result = await validateInProcess(dir)

    expectNoCrash(result)
    expect(Buffer.byteLength(content)).toBe(FIVE_MB)
    // The file is read and checked: the only problem is the batch's unknown campaign.
    expect(parseTextReport(result.stdout).diagnostics).toEqual([
      diagnostic({ location: 'campaigns/a.yaml:5:13', code: 'batch-campaign-reference', message: 'no SyllableCampaign named "Spring Renewals"' }),
    ])
  })

  it('ignores an empty document left by a trailing "---" separator', async ({ onTestFinished }) => {
    // BUG: the loader drops documents without content (src/config/definitions.ts filters on
    // `contents !== null`), but after an explicit "---" the yaml parser gives an empty *scalar*, so a
    // trailing "---" (common in generated and concatenated files; kubectl ignores it) yields
    // `campaigns/a.yaml:8:4  error  document  … this document is empty`.
    const files = {
      'campaigns/a.yaml': yaml`
        kind: SyllableCampaign
        provider: syllable
        spec:
          campaign_name: Spring Renewals
          caller_id: "+19995551234"
          campaign_variables: {}
          active_days: [mon]
        ---
      `,
    }
    const dir = await tempProject(files, { onTestFinished })
    const result = await validateInProcess(dir)

    expectNoCrash(result)
    expect(result.stdout).toBe('✓ 1 resource in 1 file: valid\n')
    expect(result.code).toBe(0)
  })
})

describe.concurrent('cac validate refuses a missing or broken project file', { timeout: 30_000 }, () => {
  it.for(projectFileCases)('$name', expectRefused)
})
