/**
 * The files of a starter project, as `cac init` writes them (pure: platforms and a day in, texts
 * out): cac.yaml with one provider per platform, one definition per kind, the GitHub workflow,
 * and the lines .gitignore and README.md need.
 */
import { posix } from 'node:path'

import type { Platform, StarterFile } from '../model/platform.js'
import { starterCalendar } from './calendar.js'
import { githubWorkflow, workflowVariables } from './github-workflow.js'

export const STARTER_DEFINITIONS_DIR = 'campaigns'
export const STARTER_WORKFLOW_PATH = '.github/workflows/cac.yml'
/** The schemas as installed with the package (`npm i -D campaigns-as-code`), for editors that read `$schema`. */
const INSTALLED_SCHEMAS = 'node_modules/campaigns-as-code/schemas'

/** What a starter project consists of: files cac owns (never overwritten) and lines it adds to shared files. */
export interface StarterProject {
  /** Files written only where nothing exists yet. */
  files: StarterFile[]
  /** Lines .gitignore must hold (added to an existing one). */
  gitignoreLines: string[]
  /** The README section (appended to an existing README.md that lacks it), starting with its heading. */
  readmeSection: string
}

export const README_SECTION_HEADING = '## Campaigns as code (cac)'

function schemaComment(fromFile: string, schemaFile: string): string {
  const relative = posix.relative(posix.dirname(fromFile), `${INSTALLED_SCHEMAS}/${schemaFile}`)
  return `# yaml-language-server: $schema=${relative}`
}

function projectConfig(platforms: readonly Platform[], sandboxNow: string): string {
  const entries = platforms.map((platform) => `  ${platform.type}:\n${platform.starter.providerEntry.replace(/^/gm, '    ')}`)
  return [
    schemaComment('cac.yaml', 'cac.schema.json'),
    '# The cac project: where the definitions are and which accounts they go to. URLs and keys come',
    '# from the environment; while a URL variable is unset, its provider is the embedded sandbox.',
    `definitions: ${STARTER_DEFINITIONS_DIR}`,
    'providers:',
    ...entries,
    'sandbox:                          # the embedded emulator behind url: sandbox',
    '  state: .cac/sandbox.json        # kept between runs: apply, then plan, shows no changes',
    `  now: "${sandboxNow}"     # its clock, pinned to the day of cac init so the starter dates stay valid`,
    '',
  ].join('\n')
}

function readmeSection(platforms: readonly Platform[]): string {
  const kinds = platforms.flatMap((platform) => platform.kinds.map((kind) => kind.name)).join(', ')
  return `${README_SECTION_HEADING}

Outbound campaigns (${kinds}) are kept as YAML under \`${STARTER_DEFINITIONS_DIR}/\` and applied with
[cac](https://www.npmjs.com/package/campaigns-as-code). \`cac.yaml\` names the accounts; while their URL
variables are unset, every provider is the embedded sandbox, so nothing below needs credentials.

\`\`\`sh
npm i -D campaigns-as-code     # once; then commit package.json and package-lock.json
npx cac validate               # offline check of the files
npx cac plan                   # what would change on the platforms
npx cac apply                  # make it so (asks first)
\`\`\`

On GitHub, \`${STARTER_WORKFLOW_PATH}\` validates and plans every pull request (one comment with the
plan, updated in place), applies on main, and opens an issue when the live campaigns drift from git.
Set the URLs and ids as repository variables and the keys as repository secrets to leave the sandbox.
`
}

/** The starter project for these platforms, dated from `now`. */
export function starterProject(platforms: readonly Platform[], now: Date): StarterProject {
  const calendar = starterCalendar(now)
  const config = projectConfig(platforms, calendar.at(0, '00:00'))
  const definitions = platforms.flatMap((platform) =>
    platform.starter.definitions(calendar).map((file) => {
      const path = `${STARTER_DEFINITIONS_DIR}/${file.path}`
      return { path, text: `${schemaComment(path, 'definition.schema.json')}\n${file.text}` }
    }),
  )
  const variables = workflowVariables([config, ...definitions.map((file) => file.text)])
  return {
    files: [{ path: 'cac.yaml', text: config }, ...definitions, { path: STARTER_WORKFLOW_PATH, text: githubWorkflow(variables) }],
    gitignoreLines: ['.cac/'],
    readmeSection: readmeSection(platforms),
  }
}
