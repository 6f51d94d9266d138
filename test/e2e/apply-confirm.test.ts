import { spawn } from 'node:child_process'
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
  return new Promise((resolve, reject) => {
    const command = [process.execPath, CLI_PATH, ...args].map((part) => `'${part}'`).join(' ')
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd, env: cliEnv({ CI: undefined }), stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8')
      if (output.includes('Only "yes" is accepted')) child.stdin.end(`${answer}\n`)
    })
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
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
})
