import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { exampleProjectFiles } from '../helpers/plan-apply.js'
import { CLI_PATH, cliEnv } from '../helpers/run-cli.js'
import { tempProject } from '../helpers/temp-project.js'

/**
 * Runs `cac ARGS` on a pseudo-terminal (util-linux `script`), typing `answer` at the prompt.
 * CI is removed from the environment: this is a person at a terminal.
 */
function onTerminal(cwd: string, args: string[], answer: string): Promise<{ code: number | null; output: string }> {
  return typedOnTerminal(cwd, args, `${answer}\n`, true)
}

/**
 * Like onTerminal, typing `keys` as they are (e.g. Ctrl+C is "\u0003", Ctrl+D "\u0004"), and
 * closing the terminal's input afterwards only when `close` is set. Killed after 30 s.
 */
function typedOnTerminal(cwd: string, args: string[], keys: string, close: boolean): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, CLI_PATH, ...args].map((part) => `'${part}'`).join(' ')
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd, env: cliEnv({ CI: undefined }), stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8')
      if (!typed && output.includes('Only "yes" is accepted')) {
        typed = true
        if (close) child.stdin.end(keys)
        else child.stdin.write(keys)
      }
    })
    let typed = false
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}

describe('cac apply on a terminal', { timeout: 60_000 }, () => {
  it('asks before changing anything, and only "yes" goes ahead', async ({ onTestFinished }) => {
    const project = await tempProject(await exampleProjectFiles(), { onTestFinished })

    const declined = await onTerminal(project, ['apply'], 'y')
    expect(declined.code).toBe(1)
    expect(declined.output).toContain('Plan: 6 to create, 0 to update, 0 unchanged.')
    expect(declined.output).toContain('Apply cancelled: nothing was changed.')
    const untouched = await readFile(join(project, '.cac/sandbox.json'), 'utf8').catch(() => '{}')
    expect(untouched).not.toContain('Spring Renewals')

    const accepted = await onTerminal(project, ['apply'], 'yes')
    expect(accepted.code).toBe(0)
    expect(accepted.output).toContain('Apply complete: 6 created, 0 updated, 0 unchanged.')
    expect(await readFile(join(project, '.cac/sandbox.json'), 'utf8')).toContain('Spring Renewals')
  })

  it('with --format json the plan to confirm is shown (on stderr), and a no is one JSON document', async ({ onTestFinished }) => {
    const project = await tempProject(await exampleProjectFiles(), { onTestFinished })
    const declined = await onTerminal(project, ['apply', '--format', 'json'], 'no')
    expect(declined.code).toBe(1)
    const prompt = declined.output.indexOf('Only "yes" is accepted')
    expect(declined.output.indexOf('Plan: 6 to create, 0 to update, 0 unchanged.'), 'the plan comes before the question').toBeGreaterThan(-1)
    expect(declined.output.indexOf('Plan: 6 to create, 0 to update, 0 unchanged.')).toBeLessThan(prompt)
    expect(declined.output).toMatch(/"code": "declined"/)
  })

  it.for([
    ['Ctrl+D (end of input)', '\u0004'],
    ['Ctrl+C', '\u0003'],
  ] as const)('%s at the prompt: "Apply cancelled: nothing was changed", exit 1, no internal error', async ([, key], { onTestFinished }) => {
    const project = await tempProject(await exampleProjectFiles(), { onTestFinished })
    const cancelled = await typedOnTerminal(project, ['apply'], key, false)
    expect(cancelled.code, cancelled.output).toBe(1)
    expect(cancelled.output).toContain('Plan: 6 to create, 0 to update, 0 unchanged.')
    expect(cancelled.output).toContain('Apply cancelled: nothing was changed.')
    expect(cancelled.output).not.toContain('Internal error')
    expect(cancelled.output).not.toContain('Apply complete')
    const untouched = await readFile(join(project, '.cac/sandbox.json'), 'utf8').catch(() => '{}')
    expect(untouched).not.toContain('Spring Renewals')
    expect(existsSync(join(project, '.cac/apply.lock'))).toBe(false)
    expect(existsSync(join(project, '.cac/sandbox.json.lock'))).toBe(false)
  })
})
