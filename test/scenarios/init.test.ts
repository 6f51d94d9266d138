import { lstat, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { expectNoCrash } from '../helpers/cli-output.js'
import { startInProcessSandbox } from '../helpers/external-sandbox.js'
import { cacInProcess, expectConverged, planSummary } from '../helpers/plan-apply.js'
import { tempProject } from '../helpers/temp-project.js'

/** Every file under `dir` with its content, paths relative and sorted. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name))
  const contents = await Promise.all(files.map(async (file) => [file.slice(dir.length + 1), await readFile(file, 'utf8')] as const))
  return Object.fromEntries(contents.sort(([a], [b]) => (a < b ? -1 : 1)))
}

const STARTER_FILES = [
  '.github/workflows/cac.yml',
  '.gitignore',
  'README.md',
  'cac.yaml',
  'campaigns/sarvam/payment-reminders.yaml',
  'campaigns/syllable/appointment-reminders.yaml',
]

describe('cac init', () => {
  it('in an empty folder: validate, plan, apply, plan again against the embedded sandbox, no credentials', async () => {
    const dir = await tempProject({}, { bare: true })
    const cac = cacInProcess(dir)
    const init = await cac(['init'])
    expectNoCrash(init)
    expect(init.code, init.stderr).toBe(0)
    expect(Object.keys(await snapshot(dir))).toEqual(STARTER_FILES)
    expect(init.stdout).toContain('  created  cac.yaml\n')
    expect(init.stdout).toContain('npm i -D campaigns-as-code')

    const validate = await cac(['validate'])
    expect(validate.code, validate.stdout).toBe(0)
    expect(validate.stdout).toContain('3 resources in 2 files: valid')

    const plan = await cac(['plan', '--detailed-exitcode'])
    expect(plan.code, plan.stdout + plan.stderr).toBe(2)
    expect(plan.stdout).toContain('syllable → sandbox (.cac/sandbox.json)')
    expect(planSummary(plan.stdout)).toBe('Plan: 3 to create, 0 to update, 0 unchanged.')
    for (const kind of ['syllable/campaign/Appointment Reminders', 'syllable/batch/', 'sarvam/campaign/payment-reminders']) expect(plan.stdout).toContain(`+ create  ${kind}`)

    const apply = await cac(['apply', '--auto-approve'])
    expect(apply.code, apply.stdout + apply.stderr).toBe(0)
    expect(apply.stdout).toContain('Apply complete: 3 created, 0 updated, 0 unchanged.')

    // The embedded sandbox persists after every change: a write would alter its state file.
    const state = await readFile(join(dir, '.cac/sandbox.json'), 'utf8')
    const again = await cac(['plan', '--detailed-exitcode'])
    expect(again.code, again.stdout).toBe(0)
    expect(planSummary(again.stdout)).toBe('No changes. Plan: 0 to create, 0 to update, 3 unchanged.')
    const reapply = await cac(['apply', '--auto-approve'])
    expect(reapply.stdout).toContain('Apply complete: 0 created, 0 updated, 3 unchanged.')
    expect(await readFile(join(dir, '.cac/sandbox.json'), 'utf8')).toBe(state)
  })

  it('the starter applies to a platform named by the environment, and converges with no write', async ({ onTestFinished }) => {
    const dir = await tempProject({}, { bare: true, onTestFinished })
    const sandbox = await startInProcessSandbox(onTestFinished)
    // The starter is dated from today, so the platform's clock runs in real time.
    expect((await sandbox.request('PUT', '/__sandbox/clock', { json: { now: null } })).status).toBe(200)
    const cac = cacInProcess(dir, { ...sandbox.env, SYLLABLE_WEBHOOK_SECRET: Buffer.alloc(32, 7).toString('base64'), SARVAM_ORG_ID: 'acme' })
    expect((await cac(['init'])).code).toBe(0)
    const apply = await cac(['apply', '--auto-approve'])
    expect(apply.code, apply.stdout + apply.stderr).toBe(0)
    expect(apply.stdout).toContain(`syllable → ${sandbox.url}`)
    expect(apply.stdout).toContain('Apply complete: 3 created, 0 updated, 0 unchanged.')
    const listed = await sandbox.request('GET', '/api/scheduling/v1/orgs/acme/workspaces/outbound/campaigns')
    expect(listed.text).toContain('payment-reminders')
    await expectConverged(cac, sandbox)
  })

  it('into a new folder DIR, naming it in the next steps', async () => {
    const parent = await tempProject({}, { bare: true })
    const result = await cacInProcess(parent)(['init', 'my campaigns'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain("cac project in my campaigns:")
    expect(result.stdout).toContain("  cd 'my campaigns'")
    expect(Object.keys(await snapshot(join(parent, 'my campaigns')))).toEqual(STARTER_FILES)
    expect((await cacInProcess(join(parent, 'my campaigns'))(['validate'])).code).toBe(0)
  })

  it('writes nothing when a file it owns exists, and says which', async () => {
    for (const owned of ['cac.yaml', 'campaigns/sarvam/payment-reminders.yaml', '.github/workflows/cac.yml']) {
      const dir = await tempProject({ [owned]: 'mine\n', 'README.md': '# mine\n' }, { bare: true })
      const before = await snapshot(dir)
      const result = await cacInProcess(dir)(['init'])
      expectNoCrash(result)
      expect(result.code).toBe(1)
      expect(result.stdout).toBe('')
      expect(result.stderr).toContain('Error: cac init wrote nothing in .: these files exist already\n  ' + owned + '\n')
      expect(await snapshot(dir), `after refusing over ${owned}`).toEqual(before)
    }
  })

  it('treats a symlink, even a dangling one, as existing: never writes through it', async () => {
    const dir = await tempProject({}, { bare: true })
    const outside = await tempProject({}, { bare: true })
    await symlink(join(outside, 'target.yaml'), join(dir, 'cac.yaml'))
    const result = await cacInProcess(dir)(['init'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('  cac.yaml')
    expect(await readdir(outside)).toEqual([])
    expect((await lstat(join(dir, 'cac.yaml'))).isSymbolicLink()).toBe(true)
  })

  it('adds its lines to an existing .gitignore and README.md, once, keeping what they hold', async () => {
    const dir = await tempProject({ '.gitignore': 'node_modules\n*.log', 'README.md': '# Our campaigns\n\nSome text.\n' }, { bare: true })
    const result = await cacInProcess(dir)(['init'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/appended +\.gitignore/)
    expect(result.stdout).toMatch(/appended +README\.md/)
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe("node_modules\n*.log\n# cac: the embedded sandbox's state and saved plans\n.cac/\n")
    const readme = await readFile(join(dir, 'README.md'), 'utf8')
    expect(readme.startsWith('# Our campaigns\n\nSome text.\n\n## Campaigns as code (cac)\n')).toBe(true)
    expect(readme).toContain('npm i -D campaigns-as-code')

    // A second init in a sibling folder sharing nothing changes nothing here; a .gitignore that already ignores .cac is kept.
    const other = await tempProject({ '.gitignore': '/.cac\n', 'package.json': JSON.stringify({ devDependencies: { 'campaigns-as-code': '^0.1.0' } }) }, { bare: true })
    const second = await cacInProcess(other)(['init'])
    expect(second.stdout).toMatch(/kept +\.gitignore {2}\(already has what cac needs\)/)
    expect(await readFile(join(other, '.gitignore'), 'utf8')).toBe('/.cac\n')
    expect(second.stdout, 'cac is in package.json already').not.toContain('npm i -D')
  })

  it('refuses a DIR that is a file', async () => {
    const dir = await tempProject({ notes: 'x' }, { bare: true })
    const result = await cacInProcess(dir)(['init', 'notes'])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('Error: cac init wrote nothing in notes: notes exists and is not a folder\n')
    await mkdir(join(dir, 'empty'))
    await writeFile(join(dir, 'empty', '.keep'), '')
    expect((await cacInProcess(dir)(['init', 'empty'])).code, 'an existing folder is fine').toBe(0)
  })
})
