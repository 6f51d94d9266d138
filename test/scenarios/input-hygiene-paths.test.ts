import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { describe, expect, it, type TestContext } from 'vitest'

import { discoverDefinitionFiles } from '../../src/config/discover-files.js'
import { projectBounds } from '../../src/config/project-bounds.js'
import { diagnostic, expectNoCrash, parseTextReport } from '../helpers/cli-output.js'
import { syllableCampaignDoc } from '../helpers/definitions.js'
import { DEFAULT_CAC_YAML, tempProject, yaml } from '../helpers/temp-project.js'
import { validateInProcess } from '../helpers/validate-in-process.js'

const CAMPAIGN = syllableCampaignDoc('Spring Renewals')

/** Text that must never reach the output: it stands for whatever a link outside the project points at. */
const OUTSIDE_CONTENT = 'private_key: do-not-print-4c1f\n'

/** A folder outside every project, removed when the test ends, holding one file. */
async function outsideFolder(context: Pick<TestContext, 'onTestFinished'>): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'cac-outside-'))
  context.onTestFinished(() => rm(dir, { recursive: true, force: true }))
  const file = join(dir, 'secrets.yaml')
  await writeFile(file, OUTSIDE_CONTENT)
  return { dir, file }
}

function expectNothingFrom(outside: { dir: string }, stdout: string): void {
  expect(stdout).not.toContain(outside.dir)
  expect(stdout).not.toContain('do-not-print')
}

describe.concurrent('symbolic links found in the definitions folder', () => {
  it('refuses a link that leads outside the project, naming the link and not where it points', async ({ onTestFinished }) => {
    const outside = await outsideFolder({ onTestFinished })
    const dir = await tempProject({ 'campaigns/a.yaml': CAMPAIGN }, { onTestFinished })
    await symlink(outside.file, join(dir, 'campaigns', 'evil.yaml'))
    const result = await validateInProcess(dir)

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(parseTextReport(result.stdout).diagnostics).toEqual([
      diagnostic({ location: 'campaigns/evil.yaml', code: 'file', message: 'is a symbolic link that leads outside the project (the folder holding cac.yaml, or the working directory); cac does not read it' }),
    ])
    expectNothingFrom(outside, result.stdout)
  })

  it('refuses such a link also when it is named on the command line (as a shell glob names it)', async ({ onTestFinished }) => {
    const outside = await outsideFolder({ onTestFinished })
    const dir = await tempProject({ 'campaigns/a.yaml': CAMPAIGN }, { onTestFinished })
    await symlink(outside.file, join(dir, 'campaigns', 'evil.yaml'))
    const result = await validateInProcess(dir, ['campaigns/a.yaml', 'campaigns/evil.yaml'])

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(parseTextReport(result.stdout).diagnostics).toEqual([
      diagnostic({ location: 'campaigns/evil.yaml', code: 'file', message: 'leads outside the project' }),
    ])
    expectNothingFrom(outside, result.stdout)
  })

  it('refuses a link to nothing and a loop of links, by name', async ({ onTestFinished }) => {
    const dir = await tempProject({ 'campaigns/a.yaml': CAMPAIGN }, { onTestFinished })
    await symlink(join(dir, 'campaigns', 'gone.yaml'), join(dir, 'campaigns', 'dangling.yaml'))
    await symlink(join(dir, 'campaigns', 'loop-b.yaml'), join(dir, 'campaigns', 'loop-a.yaml'))
    await symlink(join(dir, 'campaigns', 'loop-a.yaml'), join(dir, 'campaigns', 'loop-b.yaml'))
    const result = await validateInProcess(dir)

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(parseTextReport(result.stdout).diagnostics).toEqual([
      diagnostic({ location: 'campaigns/dangling.yaml', code: 'file', message: 'is a symbolic link to nothing' }),
      diagnostic({ location: 'campaigns/loop-a.yaml', code: 'file', message: 'loops back on itself' }),
      diagnostic({ location: 'campaigns/loop-b.yaml', code: 'file', message: 'loops back on itself' }),
    ])
  })

  it('reads a link to a file elsewhere in the project', async ({ onTestFinished }) => {
    const dir = await tempProject({ 'shared/renewals.yaml': CAMPAIGN }, { onTestFinished })
    await symlink(join('..', 'shared', 'renewals.yaml'), join(dir, 'campaigns', 'renewals.yaml'))
    const result = await validateInProcess(dir)

    expectNoCrash(result)
    expect(result.code).toBe(0)
    expect(parseTextReport(result.stdout).summary).toBe('✓ 1 resource in 1 file: valid')
  })

  it('does not follow a symlinked folder, so a link back to its parent ends', async ({ onTestFinished }) => {
    const dir = await tempProject({ 'campaigns/a.yaml': CAMPAIGN }, { onTestFinished })
    await symlink(join(dir, 'campaigns'), join(dir, 'campaigns', 'again'))
    await symlink(join(dir, 'campaigns'), join(dir, 'campaigns', 'again.yaml'))
    const result = await validateInProcess(dir)

    expectNoCrash(result)
    expect(result.code).toBe(0)
    expect(parseTextReport(result.stdout).summary).toBe('✓ 1 resource in 1 file: valid')
  })
})

describe.concurrent('a definitions folder outside the project is refused, never scanned', () => {
  it.for(['/etc', '/', '../elsewhere', '..'])('definitions: %s', async (definitions, { onTestFinished }) => {
    const config = DEFAULT_CAC_YAML.replace('definitions: campaigns ', `definitions: ${definitions} `)
    const dir = await tempProject({ 'cac.yaml': config }, { onTestFinished })
    const result = await validateInProcess(dir)

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(parseTextReport(result.stdout).diagnostics).toEqual([
      diagnostic({
        location: 'cac.yaml:2:14',
        code: 'definitions',
        message: `definitions folder ${JSON.stringify(definitions)} is outside the project; name a folder inside the one holding cac.yaml (or inside the working directory)`,
      }),
    ])
    expect(parseTextReport(result.stdout).summary).toBe('✗ 1 error (0 resources in 0 files checked)')
  })

  it('refuses a definitions folder that is a symbolic link leading outside', async ({ onTestFinished }) => {
    const outside = await outsideFolder({ onTestFinished })
    const dir = await tempProject({}, { bare: true, onTestFinished })
    await writeFile(join(dir, 'cac.yaml'), DEFAULT_CAC_YAML)
    await symlink(outside.dir, join(dir, 'campaigns'))
    const result = await validateInProcess(dir)

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(parseTextReport(result.stdout).diagnostics).toEqual([
      diagnostic({ location: 'cac.yaml:2:14', code: 'definitions', message: 'definitions folder "campaigns" is outside the project (through a symbolic link); name a folder inside' }),
    ])
    expectNothingFrom(outside, result.stdout)
  })

  it('accepts a folder next to a --config file kept elsewhere, inside the working directory', async ({ onTestFinished }) => {
    const config = DEFAULT_CAC_YAML.replace('definitions: campaigns ', 'definitions: ../campaigns ')
    const dir = await tempProject({ 'deploy/cac.yaml': config, 'campaigns/a.yaml': CAMPAIGN }, { onTestFinished })

    const fromRoot = await validateInProcess(dir, ['--config', 'deploy/cac.yaml'])
    expect(fromRoot.code).toBe(0)
    expect(parseTextReport(fromRoot.stdout).summary).toBe('✓ 1 resource in 1 file: valid')
    // From deploy/ itself, ../campaigns is outside both the folder of cac.yaml and the working directory.
    const fromDeploy = await validateInProcess(join(dir, 'deploy'))
    expect(fromDeploy.code).toBe(1)
    expect(parseTextReport(fromDeploy.stdout).diagnostics).toEqual([
      diagnostic({ location: 'cac.yaml:2:14', code: 'definitions', message: 'definitions folder "../campaigns" is outside the project' }),
    ])
  })

  it('accepts the project folder itself', async ({ onTestFinished }) => {
    const config = DEFAULT_CAC_YAML.replace('definitions: campaigns ', 'definitions: . ')
    const dir = await tempProject({ 'cac.yaml': config, 'campaigns/a.yaml': CAMPAIGN }, { onTestFinished })
    const result = await validateInProcess(dir)

    expect(result.code).toBe(0)
    expect(parseTextReport(result.stdout).summary).toBe('✓ 1 resource in 1 file: valid')
  })
})

describe.concurrent('the scan of a definitions folder is bounded', () => {
  it('stops below the maximum depth and says where', async ({ onTestFinished }) => {
    const dir = await tempProject({ 'campaigns/a/b/c/deep.yaml': CAMPAIGN, 'campaigns/top.yaml': CAMPAIGN }, { onTestFinished })
    const found = await discoverDefinitionFiles(['campaigns'], dir, { bounds: await projectBounds(join(dir, 'cac.yaml'), dir), maxDepth: 2 })

    expect(found.files).toEqual([join(dir, 'campaigns', 'top.yaml')])
    expect(found.refused).toEqual([{ path: join(dir, 'campaigns', 'a', 'b', 'c'), message: 'folder is nested more than 2 levels deep; cac does not read below that depth' }])
  })

  it('stops after the maximum number of entries, reporting it once', async ({ onTestFinished }) => {
    const files: Record<string, string> = {}
    for (let i = 0; i < 20; i += 1) files[`campaigns/f${String(i).padStart(2, '0')}/x.yaml`] = CAMPAIGN
    const dir = await tempProject(files, { onTestFinished })
    const found = await discoverDefinitionFiles(['campaigns'], dir, { bounds: await projectBounds(join(dir, 'cac.yaml'), dir), maxEntries: 10 })

    expect(found.files.length).toBeLessThan(10)
    expect(found.refused).toHaveLength(1)
    expect(found.refused[0]!.message).toBe('the scan stopped here, after 10 files and folders; point definitions at a smaller folder')
  })

  it('reads a deep but reasonable tree in full', async ({ onTestFinished }) => {
    const dir = await tempProject({}, { onTestFinished })
    const deep = join(dir, 'campaigns', ...Array.from({ length: 10 }, (_, i) => `d${i}`))
    await mkdir(deep, { recursive: true })
    await writeFile(join(deep, 'x.yaml'), CAMPAIGN)
    const found = await discoverDefinitionFiles(['campaigns'], dir, { bounds: await projectBounds(join(dir, 'cac.yaml'), dir) })
    expect(found).toEqual({ files: [join(deep, 'x.yaml')], missing: [], refused: [] })
  })
})
