import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { diagnostic, expectNoCrash, parseTextReport } from '../helpers/cli-output.js'
import { tempProject, writeProject, yaml } from '../helpers/temp-project.js'
import { runInProcess } from '../helpers/in-process-cli.js'
import { validateInProcess } from '../helpers/validate-in-process.js'

/** A valid batch that refers to a campaign declared in another file. */
const BATCH = yaml`
  kind: SyllableBatch
  provider: syllable
  spec:
    batch_id: "2026-11-renewals"
    campaign: Spring Renewals
    call_rate: 20
`

/** The campaign the batch refers to, with one schema error (line 8). */
const BROKEN_CAMPAIGN = yaml`
  kind: SyllableCampaign
  provider: syllable
  spec:
    campaign_name: Spring Renewals
    caller_id: "+19995551234"
    campaign_variables: {}
    active_days: [mon]
    hourly_rate: 99999
`

const CAMPAIGN_ERROR = diagnostic({
  location: 'campaigns/syllable/campaign.yaml:8:16',
  code: 'spec.hourly_rate',
  message: 'must be between 1 and 3600, got 99999',
})

describe.concurrent('cac validate PATH… reports on the files named, in the context of the whole project', { timeout: 30_000 }, () => {
  let project: { dir: string; remove: () => Promise<void> }

  beforeAll(async () => {
    project = await writeProject({
      'campaigns/batches/batch.yaml': BATCH,
      'campaigns/syllable/campaign.yaml': BROKEN_CAMPAIGN,
    })
  })
  afterAll(() => project?.remove())

  it('without PATH, reports the problems of every file', async () => {
    const result = await validateInProcess(project.dir)

    expectNoCrash(result)
    expect(result.code).toBe(1)
    const report = parseTextReport(result.stdout)
    expect(report.diagnostics).toEqual([CAMPAIGN_ERROR])
    expect(report.summary).toBe('✗ 1 error (2 resources in 2 files checked)')
  })

  it('with a file, reports only that file, and resolves its batch against a campaign in another file', async () => {
    const result = await validateInProcess(project.dir, ['campaigns/batches/batch.yaml'])

    expectNoCrash(result)
    expect(result.stdout).toBe('✓ 1 resource in 1 file: valid\n')
    expect(result.code).toBe(0)
  })

  it('with the other file, reports its own problem', async () => {
    const result = await validateInProcess(project.dir, ['campaigns/syllable/campaign.yaml'])

    expectNoCrash(result)
    expect(result.code).toBe(1)
    const report = parseTextReport(result.stdout)
    expect(report.diagnostics).toEqual([CAMPAIGN_ERROR])
    expect(report.summary).toBe('✗ 1 error (1 resource in 1 file checked)')
  })

  it('with a folder, reports on the files under it', async () => {
    const result = await validateInProcess(project.dir, ['campaigns/batches'])

    expectNoCrash(result)
    expect(result.stdout).toBe('✓ 1 resource in 1 file: valid\n')
    expect(result.code).toBe(0)
  })

  it('with a PATH that does not exist, exits 1 and says so', async () => {
    const result = await validateInProcess(project.dir, ['campaigns/nope.yaml'])

    expectNoCrash(result)
    expect(result.code).toBe(1)
    const report = parseTextReport(result.stdout)
    expect(report.diagnostics).toEqual([diagnostic({ location: 'campaigns/nope.yaml', code: 'path', message: 'no such file or folder' })])
    expect(report.summary).toBe('✗ 1 error (0 resources in 0 files checked)')
  })

  it('with a valid file and a missing one, exits 1 for the missing one only', async () => {
    const result = await validateInProcess(project.dir, ['campaigns/batches/batch.yaml', 'campaigns/nope.yaml'])

    expectNoCrash(result)
    expect(result.code).toBe(1)
    const report = parseTextReport(result.stdout)
    expect(report.diagnostics).toEqual([diagnostic({ location: 'campaigns/nope.yaml', code: 'path', message: 'no such file or folder' })])
    expect(report.summary).toBe('✗ 1 error (1 resource in 1 file checked)')
  })
})

describe('cac validate PATH… still applies cross-file rules', { timeout: 30_000 }, () => {
  it('reports the batch when no file of the project declares its campaign', async () => {
    const dir = await tempProject({ 'campaigns/batches/batch.yaml': BATCH })
    const result = await validateInProcess(dir, ['campaigns/batches/batch.yaml'])

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(parseTextReport(result.stdout).diagnostics).toEqual([
      diagnostic({
        location: 'campaigns/batches/batch.yaml:5:13',
        code: 'batch-campaign-reference',
        message: 'spec.campaign: no SyllableCampaign named "Spring Renewals" is declared in these files',
      }),
    ])
  })
})

describe('finding cac.yaml', () => {
  it('from a subfolder, cac.yaml is found in the folder above (paths stay relative to the working directory); a git root stops the search', async () => {
    const project = await writeProject({
      'campaigns/a.yaml': 'kind: SyllableCampaign\nprovider: syllable\nspec:\n  campaign_name: Spring\n  caller_id: "+19995551234"\n  campaign_variables: {}\n  active_days: [mon]\n',
      'campaigns/deeper/b.yaml': 'kind: SyllableBatch\nprovider: syllable\nspec:\n  batch_id: b-1\n  campaign: Nowhere\n',
      'repo/.git/HEAD': 'ref: refs/heads/main\n',
    })
    try {
      const fromSubfolder = await runInProcess(['validate'], { cwd: join(project.dir, 'campaigns', 'deeper') })
      expect(fromSubfolder.code).toBe(1)
      expect(fromSubfolder.stdout).toMatch(/^b\.yaml:5:\d+ +error +batch-campaign-reference/m)
      const insideOtherRepo = await runInProcess(['validate'], { cwd: join(project.dir, 'repo') })
      expect(insideOtherRepo.code).toBe(1)
      expect(insideOtherRepo.stdout).toContain('no cac.yaml in the working directory or the folders above it (up to the repository root)')
    } finally {
      await project.remove()
    }
  })
})
