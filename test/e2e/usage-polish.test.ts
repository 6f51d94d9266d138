import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { expectNoCrash } from '../helpers/cli-output.js'
import { runCli } from '../helpers/run-cli.js'

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
