import { execFile } from 'node:child_process'
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

import { convertWorkflowTemplate, isString, NoOperationTraceWriter, parseWorkflow, type WorkflowTemplate } from '@actions/workflow-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'

import { DRIFT_ISSUE_SCRIPT, PLAN_COMMENT_SCRIPT } from '../../src/starter/github-workflow.js'
import { cacInProcess } from '../helpers/plan-apply.js'
import { CLI_PATH, cliEnv, REPO_ROOT } from '../helpers/run-cli.js'
import { writeProject } from '../helpers/temp-project.js'

/**
 * The workflow `cac init` writes: GitHub's own parser accepts it, and every `run:` step of every
 * job, executed here with bash as the runner would (CI=true, the repository's variables unset),
 * does its job against the embedded sandbox, with cac installed by `npm ci` from the project's
 * package.json (a stand-in package whose command is this checkout's build).
 */
const execFileAsync = promisify(execFile)

interface StepRun {
  name: string
  code: number
  stdout: string
  stderr: string
}

let project: Awaited<ReturnType<typeof writeProject>>
let workflowText: string
let workflow: WorkflowTemplate
let installed = false

beforeAll(async () => {
  project = await writeProject({}, { bare: true })
  expect((await cacInProcess(project.dir)(['init'])).code).toBe(0)
  // cac as the package the project depends on: a folder with this checkout's manifest data and its
  // built command (a link), with no scripts and no dependencies, so `npm ci` cannot build, prune or
  // install into this checkout while other tests use it.
  const pkg = join(project.dir, '.cac-package')
  await mkdir(pkg)
  await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: 'campaigns-as-code', version: '0.0.0-test', type: 'module', bin: { cac: 'cac.js' } }))
  await symlink(CLI_PATH, join(pkg, 'cac.js'))
  await writeFile(join(project.dir, 'package.json'), JSON.stringify({ name: 'campaigns', private: true, devDependencies: { 'campaigns-as-code': 'file:.cac-package' } }))
  const env = cliEnv()
  await execFileAsync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: project.dir, env })
  workflowText = await readFile(join(project.dir, '.github/workflows/cac.yml'), 'utf8')
  const parsed = parseWorkflow({ name: 'cac.yml', content: workflowText }, new NoOperationTraceWriter())
  expect(parsed.context.errors.getErrors()).toEqual([])
  workflow = await convertWorkflowTemplate(parsed.context, parsed.value!)
}, 60_000)
afterAll(() => project?.remove())

function job(id: string) {
  const found = workflow.jobs.find((entry) => entry.id.value === id)
  if (!found || found.type !== 'job') throw new Error(`no job ${id}`)
  return found
}

/** A workflow-level env value as the runner sees it with no repository variables or secrets: every expression is empty. */
function workflowEnv(): Record<string, string> {
  const raw = (parseYaml(workflowText) as { env: Record<string, string> }).env
  return Object.fromEntries(Object.entries(raw).map(([name, value]) => [name, value.replace(/\$\{\{[^}]*\}\}/g, '')]))
}

/** Runs a job's `run:` steps in order, as the runner's `bash --noprofile --norc -eo pipefail`, stopping at the first failure. */
async function runJob(id: string, extraEnv: Record<string, string> = {}): Promise<StepRun[]> {
  const summary = join(project.dir, '.cac-step-summary.md')
  await writeFile(summary, '')
  const env = cliEnv({ ...workflowEnv(), GITHUB_STEP_SUMMARY: summary, GITHUB_ACTIONS: 'true', ...extraEnv })
  const runs: StepRun[] = []
  for (const step of job(id).steps) {
    if (!('run' in step)) continue
    if (!isString(step.run)) throw new Error(`${id}/${step.name}: a run step with an expression cannot run outside GitHub`)
    // Each job installs cac the same way; on one machine the first install serves them all.
    if (step.run.value === 'npm ci' && installed) {
      runs.push({ name: String(step.name), code: 0, stdout: '', stderr: '' })
      continue
    }
    const result = await execFileAsync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run.value], { cwd: project.dir, env, timeout: 60_000 }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: typeof error.code === 'number' ? error.code : -1, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
    )
    runs.push({ name: String(step.name), ...result })
    if (result.code !== 0) break
    if (step.run.value === 'npm ci') installed = true
  }
  return runs
}

const read = (path: string) => readFile(join(project.dir, path), 'utf8')

describe('the workflow cac init writes', () => {
  it('parses with GitHub\'s parser: plan on pull requests, apply on main one at a time, drift on a schedule', () => {
    expect(Object.keys(workflow.events).sort()).toEqual(['pull_request', 'push', 'schedule', 'workflow_dispatch'])
    expect(workflow.events.push).toEqual({ branches: ['main'] })
    expect(workflow.events.schedule).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }])
    expect(workflow.jobs.map((entry) => entry.id.value)).toEqual(['plan', 'apply', 'drift'])
    expect(JSON.stringify(job('plan').if)).toContain("github.event_name == 'pull_request'")
    expect(JSON.stringify(job('apply').if)).toContain("github.event_name == 'push' && github.ref == 'refs/heads/main'")
    expect(JSON.stringify(job('drift').if)).toContain("github.event_name == 'schedule'")
    expect(JSON.stringify(job('apply').concurrency)).toBe('{"type":2,"map":[{"Key":"group","Value":"cac-apply"},{"Key":"cancel-in-progress","Value":false}]}')
    const raw = parseYaml(workflowText) as { permissions: unknown; jobs: Record<string, { permissions?: unknown }> }
    expect(raw.permissions).toEqual({ contents: 'read' })
    expect(raw.jobs.plan!.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' })
    expect(raw.jobs.drift!.permissions).toEqual({ contents: 'read', issues: 'write' })
    expect(raw.jobs.apply!.permissions, 'apply needs no more than the workflow grants').toBeUndefined()
    const uses = workflow.jobs.flatMap((entry) => ('steps' in entry ? entry.steps : [])).flatMap((step) => ('uses' in step ? [String(step.uses)] : []))
    expect(new Set(uses)).toEqual(new Set(['actions/checkout@v4', 'actions/setup-node@v4', 'actions/github-script@v7', 'actions/upload-artifact@v4']))
    // Secrets come from repository secrets, everything else from repository variables.
    expect(workflowText).toContain('SYLLABLE_API_KEY: ${{ secrets.SYLLABLE_API_KEY }}')
    expect(workflowText).toContain('SYLLABLE_WEBHOOK_SECRET: ${{ secrets.SYLLABLE_WEBHOOK_SECRET }}')
    expect(workflowText).toContain('SARVAM_API_URL: ${{ vars.SARVAM_API_URL }}')
  })

  it('is the workflow the README shows', async () => {
    const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8')
    const block = /```yaml\n(# cac: plan campaign changes[\s\S]*?)```/.exec(readme)
    expect(block, 'README.md shows the workflow cac init writes').not.toBeNull()
    expect(block![1]).toBe(workflowText)
  })

  it('runs every run step: a pull request plans, main applies, the schedule finds no drift, a second plan has nothing to do', async () => {
    const plan = await runJob('plan')
    expect(plan.map((step) => [step.name, step.code])).toEqual([
      ['Install cac (from package.json and package-lock.json)', 0],
      ['Validate', 0],
      ['Plan', 0],
      ['Fail when the plan failed', 0],
    ])
    expect(plan[1]!.stdout).toContain('3 resources in 2 files: valid')
    expect(await read('.cac/plan-exit-code')).toBe('2\n')
    const report = await read('.cac/plan.md')
    expect(report).toContain('3 to create')
    expect(JSON.parse(await read('.cac/plan.json'))).toMatchObject({ format_version: expect.any(Number) })
    expect(await read('.cac-step-summary.md'), 'the step summary gets the reports').toContain('3 to create')

    const apply = await runJob('apply')
    expect(apply.map((step) => step.code)).toEqual([0, 0, 0])
    expect(apply[2]!.stdout).toContain('3 created')

    const drift = await runJob('drift')
    expect(drift.map((step) => step.code)).toEqual([0, 0, 0])
    expect(await read('.cac/drift-exit-code')).toBe('0\n')

    const again = await runJob('plan')
    expect(again.map((step) => step.code)).toEqual([0, 0, 0, 0])
    expect(await read('.cac/plan-exit-code')).toBe('0\n')
    expect(await read('.cac/plan.md')).toContain('No changes')
  }, 120_000)

  it('fails the job when the plan fails, with the failure in the report the comment posts', async () => {
    const steps = await runJob('plan', { SYLLABLE_API_URL: 'http://127.0.0.1:9', SYLLABLE_API_KEY: 'k' })
    expect(steps.map((step) => [step.name, step.code])).toEqual([
      ['Install cac (from package.json and package-lock.json)', 0],
      ['Validate', 0],
      ['Plan', 0],
      ['Fail when the plan failed', 1],
    ])
    expect(await read('.cac/plan-exit-code')).toBe('1\n')
    expect(await read('.cac/plan.md')).toMatch(/fail|error/i)
  }, 120_000)
})

/** A stand-in for actions/github-script's `github` client, recording the calls of a script. */
function fakeGitHub(existing: { comments?: unknown[]; issues?: unknown[] }) {
  const calls: [string, Record<string, unknown>][] = []
  const record = (name: string, answer: unknown = {}) => async (params: Record<string, unknown>) => {
    calls.push([name, params])
    return { data: answer }
  }
  const list = (items: unknown[] = []) => Object.assign(async () => ({ data: items }), { items })
  const issues = {
    listComments: list(existing.comments),
    listForRepo: list(existing.issues),
    createComment: record('createComment'),
    updateComment: record('updateComment'),
    create: record('create'),
    update: record('update'),
  }
  const github = {
    rest: { issues },
    paginate: async (method: { items?: unknown[] }, params: Record<string, unknown>) => {
      calls.push(['paginate', params])
      return method.items ?? []
    },
  }
  return { github, calls }
}

const context = { repo: { owner: 'acme', repo: 'campaigns' }, issue: { number: 7 }, serverUrl: 'https://github.com', runId: 99 }

/** Runs a github-script step's script with `.cac/…` files given as texts. */
async function runScript(script: string, files: Record<string, string>, existing: { comments?: unknown[]; issues?: unknown[] }) {
  const { github, calls } = fakeGitHub(existing)
  const fs = { readFileSync: (path: string) => { if (!(path in files)) throw new Error(`ENOENT ${path}`); return files[path] } }
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>
  await new AsyncFunction('github', 'context', 'require', script)(github, context, (name: string) => { if (name !== 'fs') throw new Error(name); return fs })
  return calls.filter(([name]) => name !== 'paginate')
}

describe('the workflow\'s github-script steps', () => {
  it('plan comment: created once, then updated in place; a person\'s comment is never touched; a huge plan is cut under the limit', async () => {
    const first = await runScript(PLAN_COMMENT_SCRIPT, { '.cac/plan.md': '## Plan\n1 to create' }, { comments: [] })
    expect(first).toEqual([['createComment', { owner: 'acme', repo: 'campaigns', issue_number: 7, body: '<!-- cac plan -->\n## Plan\n1 to create' }]])

    const human = { id: 1, user: { type: 'User' }, body: '<!-- cac plan -->\nquoted' }
    const bot = { id: 2, user: { type: 'Bot' }, body: '<!-- cac plan -->\nold plan' }
    const second = await runScript(PLAN_COMMENT_SCRIPT, { '.cac/plan.md': 'new plan' }, { comments: [human, bot] })
    expect(second).toEqual([['updateComment', { owner: 'acme', repo: 'campaigns', comment_id: 2, body: '<!-- cac plan -->\nnew plan' }]])

    const huge = await runScript(PLAN_COMMENT_SCRIPT, { '.cac/plan.md': 'x'.repeat(200_000) }, { comments: [] })
    const body = String(huge[0]![1].body)
    expect(body.length).toBeLessThan(65_536)
    expect(body).toContain('the whole plan is in the cac-plan artifact')
  })

  it('drift issue: opened on exit 2, updated while it stays open, closed on exit 0, left alone on exit 1', async () => {
    const opened = await runScript(DRIFT_ISSUE_SCRIPT, { '.cac/drift-exit-code': '2\n', '.cac/drift.md': '## Drift\n1 drifted' }, { issues: [] })
    expect(opened.map(([name]) => name)).toEqual(['create'])
    expect(opened[0]![1]).toMatchObject({ title: 'cac: live campaigns differ from git', body: expect.stringContaining('<!-- cac drift -->\n## Drift\n1 drifted') })
    expect(String(opened[0]![1].body)).toContain('https://github.com/acme/campaigns/actions/runs/99')

    const issue = { number: 12, body: '<!-- cac drift -->\nolder' }
    const pullRequest = { number: 13, body: '<!-- cac drift -->\n', pull_request: {} }
    const updated = await runScript(DRIFT_ISSUE_SCRIPT, { '.cac/drift-exit-code': '2\n', '.cac/drift.md': 'again' }, { issues: [pullRequest, issue] })
    expect(updated.map(([name, params]) => [name, params.issue_number])).toEqual([['update', 12]])

    const closed = await runScript(DRIFT_ISSUE_SCRIPT, { '.cac/drift-exit-code': '0\n' }, { issues: [issue] })
    expect(closed.map(([name, params]) => [name, params.issue_number, params.state])).toEqual([['createComment', 12, undefined], ['update', 12, 'closed']])

    expect(await runScript(DRIFT_ISSUE_SCRIPT, { '.cac/drift-exit-code': '1\n' }, { issues: [issue] })).toEqual([])
    expect(await runScript(DRIFT_ISSUE_SCRIPT, { '.cac/drift-exit-code': '0\n' }, { issues: [] })).toEqual([])
  })
})
