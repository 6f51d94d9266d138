import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterEach, describe, expect, it } from 'vitest'

import { SandboxStore } from '../../src/sandbox/index.js'
import { expectNoCrash } from '../helpers/cli-output.js'
import { runCli, startServingCli } from '../helpers/run-cli.js'
import { sandboxClient } from '../helpers/sandbox.js'

const CAMPAIGNS = '/api/v1/outbound/campaigns'
const campaignBody = (name: string) => ({ campaign_name: name, campaign_variables: {}, caller_id: '+19995551234', active_days: ['mon'] })

let dirs: string[] = []
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cac-serve-'))
  dirs.push(dir)
  return dir
}
afterEach(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
  dirs = []
})

describe('cac sandbox serve', { timeout: 60_000 }, () => {
  it('prints its URL, serves both APIs and the control API, and stops cleanly on SIGTERM', async () => {
    const cwd = await tempDir()
    const server = await startServingCli(['sandbox', 'serve', '--port', '0'], { cwd })
    const request = sandboxClient(() => server.url)
    expect(server.stdout()).toMatch(/^cac sandbox listening on http:\/\/127\.0\.0\.1:\d+ {2}\(state: in memory\)$/m)
    expect((await request('POST', CAMPAIGNS, { json: campaignBody('Served') })).status).toBe(200)
    expect((await request('GET', '/api/scheduling/v1/orgs/acme/workspaces/outbound/campaigns')).status).toBe(200)
    expect((await request('GET', '/__sandbox/health')).body).toMatchObject({ status: 'ok' })
    const result = await server.stop('SIGTERM')
    expectNoCrash(result)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/stopped \(SIGTERM\)/)
  })

  it('keeps its state in --state across a restart', async () => {
    const cwd = await tempDir()
    const first = await startServingCli(['sandbox', 'serve', '--port', '0', '--state', 'state/sandbox.json'], { cwd })
    const created = await sandboxClient(() => first.url)('POST', CAMPAIGNS, { json: campaignBody('Kept') })
    expect((await first.stop('SIGINT')).code).toBe(0)
    const second = await startServingCli(['sandbox', 'serve', '--port', '0', '--state', 'state/sandbox.json'], { cwd })
    const read = await sandboxClient(() => second.url)('GET', `${CAMPAIGNS}/${(created.body as { id: number }).id}`)
    expect(read).toMatchObject({ status: 200, body: { campaign_name: 'Kept' } })
    await second.stop()
  })

  it('never leaves a torn state file when killed in the middle of writes', async () => {
    const cwd = await tempDir()
    const server = await startServingCli(['sandbox', 'serve', '--port', '0', '--state', 'sandbox.json'], { cwd })
    const request = sandboxClient(() => server.url)
    // Grow the state, then keep writing while the process is killed without warning.
    for (let i = 0; i < 20; i += 1) await request('POST', CAMPAIGNS, { json: campaignBody(`Seed ${i}`) })
    const storm = Array.from({ length: 200 }, (_, i) => request('POST', CAMPAIGNS, { json: campaignBody(`Storm ${i}`) }).catch(() => undefined))
    await new Promise((resolve) => setTimeout(resolve, 30))
    const result = await server.stop('SIGKILL')
    await Promise.all(storm)
    expect(result.signal).toBe('SIGKILL')
    // The snapshot is whole JSON; with its journal replayed (as every cac process loads it), every acknowledged seed is there.
    expect(() => JSON.parse(readFileSync(join(cwd, 'sandbox.json'), 'utf8')) as unknown).not.toThrow()
    const { state } = await SandboxStore.open(join(cwd, 'sandbox.json'), { readOnly: true })
    expect(Object.keys(state.syllable.campaigns).length).toBeGreaterThanOrEqual(20)
  })

  it('applies --latency and --faults, and refuses a bad --faults spec', async () => {
    const cwd = await tempDir()
    const server = await startServingCli(['sandbox', 'serve', '--port', '0', '--latency', '5', '--faults', '500=1'], { cwd })
    const reply = await sandboxClient(() => server.url)('GET', CAMPAIGNS)
    expect(reply.status).toBe(500)
    expect((await sandboxClient(() => server.url)('GET', '/__sandbox/faults')).body).toMatchObject({ latency_ms: 5, rate_500: 1 })
    await server.stop()

    const bad = await runCli(['sandbox', 'serve', '--faults', '500=2'], { cwd })
    expectNoCrash(bad)
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^Error: rate_500 must be a probability between 0 and 1$/m)
  })

  it('says so when the port is taken', async () => {
    const cwd = await tempDir()
    const server = await startServingCli(['sandbox', 'serve', '--port', '0'], { cwd })
    const port = new URL(server.url).port
    const clash = await runCli(['sandbox', 'serve', '--port', port], { cwd })
    expectNoCrash(clash)
    expect(clash.code).toBe(1)
    expect(clash.stderr).toContain(`port ${port} on 127.0.0.1 is in use`)
    await server.stop()
  })
})

describe('cac sandbox reset', { timeout: 60_000 }, () => {
  it('empties a state file, even an unreadable one', async () => {
    const cwd = await tempDir()
    const server = await startServingCli(['sandbox', 'serve', '--port', '0', '--state', '.cac/sandbox.json'], { cwd })
    await sandboxClient(() => server.url)('POST', CAMPAIGNS, { json: campaignBody('Gone') })
    await server.stop()
    const result = await runCli(['sandbox', 'reset'], { cwd })
    expect(result).toMatchObject({ code: 0, stdout: 'sandbox state .cac/sandbox.json reset\n' })
    const state = JSON.parse(await readFile(join(cwd, '.cac/sandbox.json'), 'utf8')) as { syllable: { campaigns: object } }
    expect(state.syllable.campaigns).toEqual({})
  })

  it('empties a running sandbox through --url', async () => {
    const cwd = await tempDir()
    const server = await startServingCli(['sandbox', 'serve', '--port', '0'], { cwd })
    const request = sandboxClient(() => server.url)
    await request('POST', CAMPAIGNS, { json: campaignBody('Gone') })
    const result = await runCli(['sandbox', 'reset', '--url', server.url], { cwd })
    expect(result.code).toBe(0)
    expect(((await request('GET', CAMPAIGNS)).body as { total_count: number }).total_count).toBe(0)
    await server.stop()
    const gone = await runCli(['sandbox', 'reset', '--url', server.url], { cwd })
    expect(gone.code).toBe(1)
    expect(gone.stderr).toMatch(new RegExp(`^Error: cannot reach the sandbox at ${server.url.replace(/[.]/g, '\\.')} \\(.+\\)\n$`))
  })
})
