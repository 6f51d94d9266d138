import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

import { Parser } from '@oclif/core'
import { describe, expect, it } from 'vitest'

import type { CommandIo } from '../../src/cli/command-io.js'
import { reportError } from '../../src/cli/error-report.js'
import { runSandboxReset } from '../../src/cli/run/sandbox-reset.js'
import { runSandboxServe } from '../../src/cli/run/sandbox-serve.js'
import SandboxReset from '../../src/commands/sandbox/reset.js'
import SandboxServe from '../../src/commands/sandbox/serve.js'
import { expectNoCrash } from '../helpers/cli-output.js'
import { SANDBOX_NOW } from '../helpers/external-sandbox.js'
import { FAST_RETRY_POLICY } from '../helpers/fast-retry.js'
import { cacInProcess, exampleProjectFiles, planSummary } from '../helpers/plan-apply.js'
import { cliEnv, type CliResult } from '../helpers/run-cli.js'
import { sandboxClient } from '../helpers/sandbox.js'
import { DEFAULT_CAC_YAML, tempProject } from '../helpers/temp-project.js'

const CAMPAIGNS = '/api/v1/outbound/campaigns'
const campaignBody = (name: string) => ({ campaign_name: name, campaign_variables: {}, caller_id: '+19995551234', active_days: ['mon'] })
/** Key material for the example's webhook secret (Base64 of 32 bytes). */
const HMAC = Buffer.from('sandbox-project-section-hmac-key').toString('base64')

type OnTestFinished = (cleanup: () => Promise<void>) => void

interface ServedInProcess {
  url: string
  stdout(): string
  /** Stops it as SIGTERM would; resolves with the run's exit code and output. */
  stop(): Promise<CliResult>
}

/** An io for a command run in this process: output collected, no terminal, interrupts sent by the test. */
function testIo(cwd: string, env: Record<string, string> = {}) {
  const stdout: string[] = []
  const stderr: string[] = []
  let interrupt: ((signal: 'SIGTERM') => void) | undefined
  const io: CommandIo = {
    cwd,
    env: cliEnv(env),
    stdout: { write: (text) => void stdout.push(text), isTTY: false },
    stderr: { write: (text) => void stderr.push(text), isTTY: false },
    interactive: false,
    confirm: () => Promise.resolve(false),
    watchInterrupts: (handlers) => {
      interrupt = handlers.onFirst
      return { signal: new AbortController().signal, received: undefined, exitCode: 143, dispose: () => undefined }
    },
    retry: FAST_RETRY_POLICY,
  }
  return { io, stdout: () => stdout.join(''), stderr: () => stderr.join(''), interrupt: () => interrupt?.('SIGTERM') }
}

/** Runs a command's function in this process with its own oclif flags, as the command would; errors become exit 1 with the message. */
async function runCommand<T>(command: typeof SandboxServe | typeof SandboxReset, argv: readonly string[], run: (flags: never) => Promise<T>): Promise<T | { failed: string }> {
  try {
    const flagDefinitions = { ...command.baseFlags, ...command.flags } as Parameters<typeof Parser.parse>[1]['flags']
    const { flags } = await Parser.parse([...argv], { flags: flagDefinitions, strict: true })
    return await run(flags as never)
  } catch (error) {
    return { failed: reportError(error as Error, 'sandbox', {}).stderr }
  }
}

/** `cac sandbox serve ARGS…` in this process; fails the test when it does not start. */
async function serveInProcess(cwd: string, args: readonly string[], onTestFinished: OnTestFinished): Promise<ServedInProcess> {
  const world = testIo(cwd)
  const ended = runCommand(SandboxServe, ['--port', '0', ...args], (flags) => runSandboxServe(flags, world.io))
  let url: string | undefined
  for (let i = 0; i < 200 && url === undefined; i += 1) {
    url = /listening on (http:\/\/\S+)/.exec(world.stdout())?.[1]
    const early = await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 10, 'running'))])
    if (early !== 'running') throw new Error(`sandbox serve ended: ${JSON.stringify(early)} ${world.stdout()} ${world.stderr()}`)
  }
  if (url === undefined) throw new Error(`sandbox serve printed no URL: ${world.stdout()}`)
  let result: Promise<CliResult> | undefined
  const stop = () => {
    result ??= (async () => {
      world.interrupt()
      const code = await ended
      return { code: typeof code === 'number' ? code : 1, signal: null, stdout: world.stdout(), stderr: world.stderr(), durationMs: 0, timedOut: false }
    })()
    return result
  }
  onTestFinished(async () => void (await stop()))
  return { url, stdout: world.stdout, stop }
}

/** `cac sandbox serve ARGS…` that is expected to fail before it serves: its error message. */
async function serveFailure(cwd: string, args: readonly string[]): Promise<string> {
  const world = testIo(cwd)
  const outcome = await runCommand(SandboxServe, ['--port', '0', ...args], (flags) => runSandboxServe(flags, world.io))
  if (typeof outcome === 'number') throw new Error(`sandbox serve did not fail: ${world.stdout()}`)
  return outcome.failed
}

async function resetInProcess(cwd: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const world = testIo(cwd)
  const outcome = await runCommand(SandboxReset, args, (flags) => runSandboxReset(flags, world.io))
  return typeof outcome === 'number' ? { code: outcome, stdout: world.stdout(), stderr: world.stderr() } : { code: 1, stdout: world.stdout(), stderr: outcome.failed }
}

const PINNED = '2026-11-24T00:00:00Z'
const withSandboxSection = (section: string) => `${DEFAULT_CAC_YAML}sandbox:\n${section}`

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false)
}

async function writeRoutes(url: string): Promise<Record<string, number>> {
  const { routes } = (await sandboxClient(() => url)('GET', '/__sandbox/counters')).body as { routes: Record<string, { count: number }> }
  return Object.fromEntries(Object.entries(routes).filter(([route]) => !route.startsWith('GET ')).map(([route, counter]) => [route, counter.count]))
}

describe.concurrent("sandbox serve and reset inside a project use its sandbox: section", { timeout: 120_000 }, () => {
  it('the example project: serve uses its state file and pinned clock (the banner says so), apply against it creates all 6, plan again has no changes and writes nothing', async ({ onTestFinished }) => {
    const project = await tempProject(await exampleProjectFiles(), { onTestFinished })
    const served = await serveInProcess(project, [], onTestFinished)
    expect(served.stdout()).toMatch(/^cac sandbox listening on http:\/\/127\.0\.0\.1:\d+ {2}\(state: \.cac\/sandbox\.json, from cac\.yaml\)$/m)
    expect(served.stdout()).toContain(`\n  Clock     frozen at ${SANDBOX_NOW} (from cac.yaml); move it with PUT /__sandbox/clock\n`)
    expect((await sandboxClient(() => served.url)('GET', '/__sandbox/health')).body).toMatchObject({ state_file: join(project, '.cac/sandbox.json'), now: '2026-11-24T00:00:00.000Z', clock_frozen: true })

    const env = { SYLLABLE_API_URL: served.url, SARVAM_API_URL: served.url, SYLLABLE_API_KEY: 'ci@example.com', SARVAM_API_KEY: 'sandbox-key', SYLLABLE_HMAC_SECRET: HMAC }
    const cac = cacInProcess(project, env)
    const apply = await cac(['apply', '--auto-approve'])
    expectNoCrash(apply)
    expect(apply.code, apply.stdout + apply.stderr).toBe(0)
    expect(apply.stdout).toContain('Apply complete: 6 created, 0 updated, 0 unchanged.\n')

    await sandboxClient(() => served.url)('DELETE', '/__sandbox/counters')
    const again = await cac(['plan', '--detailed-exitcode'])
    expect(again.code, again.stdout).toBe(0)
    expect(planSummary(again.stdout)).toBe('No changes. Plan: 0 to create, 0 to update, 6 unchanged.')
    expect(await writeRoutes(served.url)).toEqual({})

    // What was served is what the embedded sandbox (url: sandbox) of a later run reads.
    const stopped = await served.stop()
    expect(stopped).toMatchObject({ code: 0, stdout: expect.stringContaining('stopped (SIGTERM)') })
    const embedded = await cacInProcess(project)(['plan', '--detailed-exitcode'])
    expect(embedded.code, embedded.stdout + embedded.stderr).toBe(0)
    expect(embedded.stdout).toContain('syllable → sandbox (.cac/sandbox.json)')
    expect(planSummary(embedded.stdout)).toBe('No changes. Plan: 0 to create, 0 to update, 6 unchanged.')
  })

  it('found from a subfolder and through --config, its state path relative to cac.yaml; --state and --now override it', async ({ onTestFinished }) => {
    const project = await tempProject({ 'cac.yaml': withSandboxSection(`  state: state/served.json\n  now: "${PINNED}"\n`) }, { onTestFinished })
    const fromSubfolder = await serveInProcess(join(project, 'campaigns'), [], onTestFinished)
    // Outside the working directory, paths are shown whole.
    expect(fromSubfolder.stdout()).toContain(`  (state: ${project}/state/served.json, from ${project}/cac.yaml)\n`)
    expect(fromSubfolder.stdout()).toContain(`  Clock     frozen at ${PINNED} (from ${project}/cac.yaml)`)
    await sandboxClient(() => fromSubfolder.url)('POST', CAMPAIGNS, { json: campaignBody('Kept') })
    await fromSubfolder.stop()
    const state = JSON.parse(await readFile(join(project, 'state/served.json'), 'utf8')) as { syllable: { campaigns: Record<string, { campaign_name: string }> } }
    expect(Object.values(state.syllable.campaigns).map((campaign) => campaign.campaign_name)).toEqual(['Kept'])

    const viaConfig = await serveInProcess(dirname(project), ['--config', join(project, 'cac.yaml')], onTestFinished)
    expect((await sandboxClient(() => viaConfig.url)('GET', CAMPAIGNS)).body).toMatchObject({ total_count: 1 })
    await viaConfig.stop()

    const overridden = await serveInProcess(project, ['--state', 'other.json', '--now', '2027-01-01T00:00:00Z'], onTestFinished)
    expect(overridden.stdout()).toMatch(/\(state: other\.json\)$/m)
    expect(overridden.stdout()).toContain('  Clock     frozen at 2027-01-01T00:00:00Z (--now)')
    expect((await sandboxClient(() => overridden.url)('GET', '/__sandbox/health')).body).toMatchObject({ state_file: join(project, 'other.json'), now: '2027-01-01T00:00:00.000Z' })
    await overridden.stop()
  })

  it('--memory ignores the section (state in memory, real time); outside any project it is as before', async ({ onTestFinished }) => {
    const project = await tempProject({ 'cac.yaml': withSandboxSection(`  now: "${PINNED}"\n`) }, { onTestFinished })
    const memory = await serveInProcess(project, ['--memory'], onTestFinished)
    expect(memory.stdout()).toMatch(/\(state: in memory\)$/m)
    expect(memory.stdout()).toContain('  Clock     real time\n')
    expect((await sandboxClient(() => memory.url)('POST', CAMPAIGNS, { json: campaignBody('Fleeting') })).status).toBe(200)
    expect((await sandboxClient(() => memory.url)('GET', '/__sandbox/health')).body).toMatchObject({ state_file: null, clock_frozen: false })
    await memory.stop()
    expect(await exists(join(project, '.cac/sandbox.json'))).toBe(false)
    expect(await serveFailure(project, ['--memory', '--state', 'x.json'])).toMatch(/^Error: --memory cannot be used with --state\n/)

    // A folder in no project (.git ends the search for cac.yaml there).
    const outside = await tempProject({ '.git/HEAD': 'ref: refs/heads/main\n' }, { bare: true, onTestFinished })
    const plain = await serveInProcess(outside, [], onTestFinished)
    expect(plain.stdout()).toMatch(/\(state: in memory\)$/m)
    expect(plain.stdout()).toContain('  Clock     real time\n')
    await plain.stop()
    expect(await exists(join(outside, '.cac'))).toBe(false)
  })

  it('a sandbox section it cannot use is refused at its line; a problem elsewhere in cac.yaml is not its business; a missing --config is named', async ({ onTestFinished }) => {
    const project = await tempProject({ 'cac.yaml': withSandboxSection('  now: "next tuesday"\n') }, { onTestFinished })
    const refused = await serveFailure(project, [])
    expect(refused).toMatch(/^Error: the sandbox settings of cac\.yaml cannot be used:\n {2}cac\.yaml:16:8 +error +sandbox\.now +must be a date-time with a UTC offset, .*; got "next tuesday"\nFix them, or run with --memory \(or --state FILE\)\.\n$/)

    // With both --state and --now, nothing is taken from the section.
    const overriding = await serveInProcess(project, ['--state', 'own.json', '--now', PINNED], onTestFinished)
    expect(overriding.stdout()).toMatch(/\(state: own\.json\)$/m)
    await overriding.stop()

    const unrelated = await tempProject({ 'cac.yaml': `${DEFAULT_CAC_YAML.replace('${env:SYLLABLE_API_URL:-sandbox}', '${env:CAC_TEST_UNSET_URL}')}sandbox:\n  now: "${PINNED}"\n` }, { onTestFinished })
    const served = await serveInProcess(unrelated, [], onTestFinished)
    expect(served.stdout()).toContain(`  Clock     frozen at ${PINNED} (from cac.yaml)`)
    await served.stop()

    expect(await serveFailure(project, ['--config', 'nowhere/cac.yaml'])).toBe('Error: project file not found (--config nowhere/cac.yaml)\nSee: cac sandbox --help\n')
  })

  it("sandbox reset empties the project's state file by default, --state another; outside a project ./.cac/sandbox.json", async ({ onTestFinished }) => {
    const project = await tempProject({ 'cac.yaml': withSandboxSection('  state: state/kept.json\n') }, { onTestFinished })
    const served = await serveInProcess(project, [], onTestFinished)
    await sandboxClient(() => served.url)('POST', CAMPAIGNS, { json: campaignBody('Gone') })
    await served.stop()
    const campaignsIn = async (file: string) => Object.keys((JSON.parse(await readFile(file, 'utf8')) as { syllable: { campaigns: object } }).syllable.campaigns).length
    expect(await campaignsIn(join(project, 'state/kept.json'))).toBe(1)

    await mkdir(join(project, 'campaigns/deep'), { recursive: true })
    expect(await resetInProcess(join(project, 'campaigns/deep'), [])).toEqual({ code: 0, stdout: `sandbox state ${project}/state/kept.json (from ${project}/cac.yaml) reset\n`, stderr: '' })
    expect(await campaignsIn(join(project, 'state/kept.json'))).toBe(0)

    await writeFile(join(project, 'elsewhere.json'), '{}')
    expect(await resetInProcess(project, ['--state', 'elsewhere.json'])).toMatchObject({ code: 0, stdout: 'sandbox state elsewhere.json reset\n' })
    expect(await campaignsIn(join(project, 'elsewhere.json'))).toBe(0)

    const outside = await tempProject({ '.git/HEAD': 'ref: refs/heads/main\n' }, { bare: true, onTestFinished })
    expect(await resetInProcess(outside, [])).toMatchObject({ code: 0, stdout: 'sandbox state .cac/sandbox.json reset\n' })
    expect(await exists(join(outside, '.cac/sandbox.json'))).toBe(true)
  })
})
