import { execFile, spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { expectNoCrash } from '../helpers/cli-output.js'
import { exampleProjectFiles } from '../helpers/plan-apply.js'
import { CLI_PATH, cliEnv, runCli } from '../helpers/run-cli.js'
import { tempProject } from '../helpers/temp-project.js'

/**
 * The paths oclif takes for a mistake before any cac code runs (the command-not-found hook, the
 * help class, a plugin's command): the message speaks of commands as they are typed, never of
 * oclif's internal `topic:command` ids, and the exit code is 1.
 */
const mistakes: { command: string; stderr: string }[] = [
  { command: 'plan extra-arg', stderr: 'Error: unexpected argument "extra-arg": cac plan takes no arguments\nSee: cac plan --help\n' },
  { command: 'sandbox nope', stderr: 'Error: unknown command "sandbox nope" (cac sandbox has: reset, serve)\nSee: cac sandbox --help\n' },
  { command: 'sandbox serv', stderr: 'Error: unknown command "sandbox serv" (did you mean "sandbox serve"?)\nSee: cac sandbox --help\n' },
  { command: 'sandbox serve --nope', stderr: 'Error: unknown flag --nope\nSee: cac sandbox serve --help\n' },
  { command: 'sandbox reset --state x.json --url http://127.0.0.1:9', stderr: 'Error: --url cannot be used with --state\nSee: cac sandbox reset --help\n' },
  { command: 'help sandbox nope', stderr: 'Error: unknown command "sandbox nope" (cac sandbox has: reset, serve)\nSee: cac sandbox --help\n' },
]

/** `cac` arguments written as one string (none of them contains a space). */
const words = (command: string): string[] => command.split(' ').filter((word) => word !== '')

describe.concurrent('usage errors on the paths oclif owns', { timeout: 30_000 }, () => {
  let folder: string

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'cac-usage-'))
  })
  afterAll(() => rm(folder, { recursive: true, force: true }))

  it.each(mistakes)('cac $command → exit 1, said as typed', async ({ command, stderr }) => {
    const result = await runCli(words(command), { cwd: folder })

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(stderr)
    expect(result.stderr).not.toMatch(/\w:\w/)
  })

  it("a parse error in a plugin's command (help) exits 1 too, not oclif's default 2", async () => {
    const result = await runCli(['help', 'plan', '--bogus'], { cwd: folder })

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('--bogus')
  })
})

/** Every file under `folder`, relative to it. */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true })
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(folder, join(entry.parentPath, entry.name))).sort()
}

/** What bash's completion function offers for the words typed so far (the last one being completed). */
async function bashCompletions(functionFile: string, typed: string[]): Promise<string[]> {
  const script = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _cac_autocomplete; printf '%s\\n' "\${COMPREPLY[@]}"`
  const { stdout } = await promisify(execFile)('bash', ['-c', script, 'complete-test', functionFile, ...typed])
  return stdout.split('\n').filter((line) => line !== '').sort()
}

describe('shell completion (cac autocomplete)', { timeout: 60_000 }, () => {
  let home: string
  let project: string
  /** A home of its own, so the completion cache is written there and nowhere else. */
  const env = () => ({ HOME: home, XDG_CACHE_HOME: join(home, 'cache'), XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data') })

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'cac-home-'))
    project = await mkdtemp(join(tmpdir(), 'cac-cwd-'))
  })
  afterAll(async () => {
    await rm(home, { recursive: true, force: true })
    await rm(project, { recursive: true, force: true })
  })

  it('cac --help lists it among the commands, and a near miss still gets our suggestion', async () => {
    const help = await runCli(['--help'], { cwd: project, env: env() })
    const typo = await runCli(['autocomplet'], { cwd: project, env: env() })

    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^ {2}autocomplete {2}Display autocomplete installation instructions\.$/m)
    expect(typo.code).toBe(1)
    expect(typo.stderr).toBe('Error: unknown command "autocomplet" (did you mean "autocomplete"?)\nSee: cac --help\n')
  })

  it.each(['bash', 'zsh', 'powershell'])('cac autocomplete %s prints how to install it and writes only its cache', async (shell) => {
    const result = await runCli(['autocomplete', shell], { cwd: project, env: env() })

    expectNoCrash(result)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`cac autocomplete script ${shell}`)
    expect(await filesUnder(project)).toEqual([])
    for (const file of await filesUnder(home)) expect(file).toMatch(/^cache\/cac\/autocomplete\//)
  })

  it('the completion scripts name our commands and flags; bash completes them', async () => {
    expect((await runCli(['autocomplete', 'bash'], { cwd: project, env: env() })).code).toBe(0)
    const functions = join(home, 'cache', 'cac', 'autocomplete', 'functions')
    const zsh = await readFile(join(functions, 'zsh', '_cac'), 'utf8')
    const powershell = await readFile(join(functions, 'powershell', 'cac.ps1'), 'utf8')
    for (const command of ['validate', 'plan', 'apply', 'drift', 'import', 'sandbox']) {
      expect(zsh).toContain(`"${command}[`)
      expect(powershell).toContain(`"${command}" = @{`)
    }

    const bash = join(functions, 'bash', 'cac.bash')
    expect(await bashCompletions(bash, ['cac', 'dr'])).toEqual(['drift'])
    expect(await bashCompletions(bash, ['cac', 'sandbox', 'se'])).toEqual(['serve'])
    expect(await bashCompletions(bash, ['cac', 'plan', '--for'])).toEqual(['--format'])
    expect(await bashCompletions(bash, ['cac', 'apply', '--auto'])).toEqual(['--auto-approve'])
  })

  it('cac autocomplete script bash prints the line that loads it from the cache', async () => {
    const result = await runCli(['autocomplete', 'script', 'bash'], { cwd: project, env: env() })

    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`CAC_AC_BASH_SETUP_PATH=${join(home, 'cache', 'cac', 'autocomplete', 'bash_setup')}`)
  })
})

/** Runs `cac ARGS` on a pseudo-terminal (util-linux `script`), stdout and stderr both on it; killed after 30 s. */
function onTerminal(cwd: string, args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, CLI_PATH, ...args].map((part) => `'${part}'`).join(' ')
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd, env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}

const ERASE_LINE = '\r\u001b[K'

describe('a progress line while the live state is read', { timeout: 60_000 }, () => {
  it('on a terminal: shown while plan and drift read, erased before anything else is printed', async ({ onTestFinished }) => {
    const project = await tempProject(await exampleProjectFiles(), { onTestFinished })

    // Nothing was applied: plan has changes to show (exit 0), drift finds every resource missing (exit 2).
    for (const [command, exitCode] of [['plan', 0], ['drift', 2]] as const) {
      const { code, output } = await onTerminal(project, [command], { CI: undefined })
      expect(code, output).toBe(exitCode)
      const shown = output.indexOf(`${ERASE_LINE}Reading live state from `)
      expect(shown, output).toBeGreaterThan(-1)
      const erased = output.indexOf(ERASE_LINE, output.lastIndexOf('Reading live state'))
      expect(erased).toBeGreaterThan(shown)
      expect(output.slice(0, shown).trim(), 'nothing is printed before the line').toBe('')
      expect(output.slice(erased), 'the line is gone once the read ends').not.toContain('Reading live state')
    }
  })

  it.for([
    ['under CI=true', ['plan'], { CI: 'true' }],
    ['with --format json', ['plan', '--format', 'json'], { CI: undefined }],
  ] as const)('on a terminal %s: no line at all', async ([, args, env], { onTestFinished }) => {
    const project = await tempProject(await exampleProjectFiles(), { onTestFinished })
    const { code, output } = await onTerminal(project, [...args], env)

    expect(code, output).toBe(0)
    expect(output).not.toContain('Reading live state')
    expect(output).not.toContain(ERASE_LINE)
  })

  it('with no terminal: no line at all', async ({ onTestFinished }) => {
    const project = await tempProject(await exampleProjectFiles(), { onTestFinished })
    const result = await runCli(['plan'], { cwd: project, env: { CI: undefined } })

    expect(result.code).toBe(0)
    expect(result.stderr).not.toContain('Reading live state')
    expect(result.stderr).not.toContain('\u001b')
  })
})
