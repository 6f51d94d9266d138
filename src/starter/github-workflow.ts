/**
 * The GitHub Actions workflow `cac init` writes (.github/workflows/cac.yml): on a pull request,
 * validate with annotations, plan, post the plan as one comment updated in place and upload the
 * saved plan; on a push to main, apply (one apply at a time); on a schedule, check for drift and
 * keep one issue open while campaigns have drifted. Every `run:` step is plain shell without
 * expressions, so it behaves the same on a laptop with CI=true.
 */

/** A variable the project's files read, and whether it is a secret (from repository secrets) or not (from repository variables). */
export interface WorkflowVariable {
  name: string
  secret: boolean
}

const SECRET_NAME = /(KEY|SECRET|TOKEN|PASSWORD)$/

/** The variables `${env:NAME…}` references in these texts, sorted, secrets told apart by their names. */
export function workflowVariables(texts: readonly string[]): WorkflowVariable[] {
  const names = new Set<string>()
  for (const text of texts) for (const match of text.matchAll(/(?<!\$)\$\{env:([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(match[1]!)
  return [...names].sort().map((name) => ({ name, secret: SECRET_NAME.test(name) }))
}

const COMMENT_MARKER = '<!-- cac plan -->'
const DRIFT_MARKER = '<!-- cac drift -->'
/** GitHub refuses comments and issue bodies over 65,536 characters. */
const BODY_LIMIT = 60_000

/** The pull-request comment step's script (actions/github-script): one comment, found by its marker and updated in place. */
export const PLAN_COMMENT_SCRIPT = `const fs = require('fs')
const marker = '${COMMENT_MARKER}'
let report = fs.readFileSync('.cac/plan.md', 'utf8')
if (report.length > ${BODY_LIMIT}) report = report.slice(0, ${BODY_LIMIT}) + '\\n\\n… cut here: the whole plan is in the cac-plan artifact of this run.'
const body = marker + '\\n' + report
const { owner, repo } = context.repo
const issue_number = context.issue.number
const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 })
const previous = comments.find((comment) => comment.user && comment.user.type === 'Bot' && (comment.body || '').startsWith(marker))
if (previous) await github.rest.issues.updateComment({ owner, repo, comment_id: previous.id, body })
else await github.rest.issues.createComment({ owner, repo, issue_number, body })`

/** The drift step's script: exit 2 opens (or updates) one issue, found by its marker; exit 0 closes it. */
export const DRIFT_ISSUE_SCRIPT = `const fs = require('fs')
const marker = '${DRIFT_MARKER}'
const exitCode = fs.readFileSync('.cac/drift-exit-code', 'utf8').trim()
const { owner, repo } = context.repo
const open = await github.paginate(github.rest.issues.listForRepo, { owner, repo, state: 'open', creator: 'github-actions[bot]', per_page: 100 })
const previous = open.find((issue) => !issue.pull_request && (issue.body || '').startsWith(marker))
if (exitCode === '2') {
  let report = fs.readFileSync('.cac/drift.md', 'utf8')
  if (report.length > ${BODY_LIMIT}) report = report.slice(0, ${BODY_LIMIT}) + '\\n\\n… cut here: run cac drift for the rest.'
  const run = context.serverUrl + '/' + owner + '/' + repo + '/actions/runs/' + context.runId
  const body = marker + '\\n' + report + '\\n\\nFound by ' + run + '. Bring the files up to date (cac import, or edit them) or undo the change with cac apply.'
  if (previous) await github.rest.issues.update({ owner, repo, issue_number: previous.number, body })
  else await github.rest.issues.create({ owner, repo, title: 'cac: live campaigns differ from git', body })
} else if (exitCode === '0' && previous) {
  await github.rest.issues.createComment({ owner, repo, issue_number: previous.number, body: 'No drift any more: closing.' })
  await github.rest.issues.update({ owner, repo, issue_number: previous.number, state: 'closed' })
}`

/** Indents every line of a block by `spaces` (blank lines stay empty). */
function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces)
  return text
    .split('\n')
    .map((line) => (line === '' ? '' : pad + line))
    .join('\n')
}

const SETUP_STEPS = `      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - name: Install cac (from package.json and package-lock.json)
        run: npm ci`

/** The workflow's text, reading these variables from the repository's variables and secrets. */
export function githubWorkflow(variables: readonly WorkflowVariable[]): string {
  const env = variables
    .map(({ name, secret }) => `  ${name}: \${{ ${secret ? 'secrets' : 'vars'}.${name} }}`)
    .join('\n')
  return `# cac: plan campaign changes on pull requests, apply them on main, check for drift every day.
# Written by \`cac init\`. Until the URL variables below are set (Settings → Secrets and variables →
# Actions), every provider runs against the embedded sandbox, so the workflow works from the start.
name: cac

on:
  pull_request:
  push:
    branches: [main]
  schedule:
    - cron: "17 6 * * *"       # drift check, every day at 06:17 UTC
  workflow_dispatch:           # run the drift check by hand

permissions:
  contents: read

defaults:
  run:
    shell: bash

env:
  # Repository variables hold URLs and ids, repository secrets hold keys. An empty URL means "sandbox".
${env}

jobs:
  plan:
    name: Validate and plan
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write
    steps:
${SETUP_STEPS}
      - name: Validate
        run: npx --no -- cac validate --format github
      - name: Plan
        # Exit 2 means "changes pending", which is what a pull request is for; only 1 fails the job (last step).
        run: |
          mkdir -p .cac
          set +e
          npx --no -- cac plan --format markdown --out .cac/plan.json --detailed-exitcode > .cac/plan.md
          echo "$?" > .cac/plan-exit-code
      - name: Comment the plan on the pull request
        if: always() && hashFiles('.cac/plan.md') != ''
        uses: actions/github-script@v7
        with:
          script: |
${indent(PLAN_COMMENT_SCRIPT, 12)}
      - name: Upload the saved plan
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: cac-plan
          path: |
            .cac/plan.json
            .cac/plan.md
          if-no-files-found: ignore
      - name: Fail when the plan failed
        run: test "$(cat .cac/plan-exit-code)" != 1

  apply:
    name: Apply
    if: github.event_name == 'push' && github.ref == 'refs/heads/main'
    runs-on: ubuntu-latest
    # Two applies never overlap: a second push waits for the first apply to finish.
    concurrency:
      group: cac-apply
      cancel-in-progress: false
    steps:
${SETUP_STEPS}
      - name: Validate
        run: npx --no -- cac validate --format github
      - name: Apply
        run: npx --no -- cac apply --auto-approve --format github

  drift:
    name: Drift check
    if: github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      issues: write
    steps:
${SETUP_STEPS}
      - name: Check for drift
        # Exit 2 means "drifted or missing": the next step opens or updates one issue about it.
        run: |
          mkdir -p .cac
          set +e
          npx --no -- cac drift --format markdown > .cac/drift.md
          echo "$?" > .cac/drift-exit-code
      - name: Open, update or close the drift issue
        if: always() && hashFiles('.cac/drift-exit-code') != ''
        uses: actions/github-script@v7
        with:
          script: |
${indent(DRIFT_ISSUE_SCRIPT, 12)}
      - name: Fail when the drift check failed
        run: test "$(cat .cac/drift-exit-code)" != 1
`
}
