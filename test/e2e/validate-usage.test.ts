import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { expectNoCrash } from '../helpers/cli-output.js'
import { runCli } from '../helpers/run-cli.js'
import { writeProject, yaml } from '../helpers/temp-project.js'

/**
 * Mistakes in how cac is invoked: `Error: …` on stderr, nothing on stdout, exit 1 (never 2, which
 * later commands use for "changes pending"). Run in a valid project, so exit 1 can only come from
 * the usage error.
 */
const usageErrors: { command: string; stderr: string }[] = [
  { command: 'validate --bogus', stderr: 'Error: unknown flag --bogus\n' },
  { command: 'validate --frmat json', stderr: 'Error: unknown flag --frmat (did you mean --format?)\n' },
  { command: 'validate -x', stderr: 'Error: unknown flag -x\n' },
  { command: 'validate --format xml', stderr: 'Error: Expected --format=xml to be one of: text, json, github\n' },
  { command: 'validate --format=xml', stderr: 'Error: Expected --format=xml to be one of: text, json, github\n' },
  { command: 'validate --format', stderr: 'Error: Flag --format expects one of these values: text, json, github\n' },
  { command: 'validate --config', stderr: 'Error: Flag --config expects a value\n' },
  { command: 'valdate', stderr: 'Error: unknown command "valdate" (did you mean "validate"?)\n' },
  { command: 'help nope', stderr: 'Error: unknown command "nope"\n' },
  { command: 'help valdate', stderr: 'Error: unknown command "valdate" (did you mean "validate"?)\n' },
  { command: '--bogus', stderr: 'Error: unknown flag --bogus: flags go after the command, e.g. cac validate --format json\n' },
]

const help: { command: string; stdout: string[] }[] = [
  { command: '--help', stdout: ['USAGE\n  $ cac [COMMAND]', 'validate      Check definition files offline'] },
  { command: '', stdout: ['USAGE\n  $ cac [COMMAND]', 'validate      Check definition files offline'] },
  { command: 'validate --help', stdout: ['USAGE\n  $ cac validate [PATHS...]', '--format=<option>', '--[no-]color', '--env=<value>...'] },
  { command: 'help validate', stdout: ['USAGE\n  $ cac validate [PATHS...]'] },
  { command: '-h', stdout: ['USAGE\n  $ cac [COMMAND]', 'drift         Report what changed'] },
  { command: 'plan -h', stdout: ['USAGE\n  $ cac plan', '--detailed-exitcode'] },
  { command: 'import --help', stdout: ['USAGE\n  $ cac import', '--layout=<option>'] },
]

/** `cac` arguments written as one string (none of them contains a space). */
const words = (command: string): string[] => command.split(' ').filter((word) => word !== '')

describe.concurrent('cac usage errors and help', { timeout: 30_000 }, () => {
  let project: { dir: string; remove: () => Promise<void> }

  beforeAll(async () => {
    project = await writeProject({
      'campaigns/a.yaml': yaml`
        kind: SyllableCampaign
        provider: syllable
        spec:
          campaign_name: Spring Renewals
          caller_id: "+19995551234"
          campaign_variables: {}
          active_days: [mon]
      `,
    })
  })
  afterAll(() => project?.remove())

  it('the project used here is valid (so exit 1 below comes from the usage error)', async () => {
    const result = await runCli(['validate'], { cwd: project.dir })

    expect(result.code).toBe(0)
    expect(result.stdout).toBe('✓ 1 resource in 1 file: valid\n')
  })

  it.each(usageErrors)('cac $command → exit 1 and a one-line Error on stderr', async ({ command, stderr }) => {
    const result = await runCli(words(command), { cwd: project.dir })

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr.split('\n')[0] + '\n').toBe(stderr)
    expect(result.stderr).toMatch(/^See: cac .*--help$/m)
  })

  it.each(['-v', '--version', 'version'])('cac %s → exit 0 and the version on stdout', async (command) => {
    const result = await runCli([command], { cwd: project.dir })

    expectNoCrash(result)
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
    expect(result.stdout).toMatch(/^campaigns-as-code\/\d+\.\d+\.\d+ \S+ node-v\d+\.\d+\.\d+\n$/)
  })

  it.each(help)('cac $command → exit 0 and help on stdout', async ({ command, stdout }) => {
    const result = await runCli(words(command), { cwd: project.dir })

    expectNoCrash(result)
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
    for (const text of stdout) expect(result.stdout).toContain(text)
  })
})
