import { spawnSync } from 'node:child_process'
import { pathToFileURL } from 'node:url'

import { describe, expect, it } from 'vitest'

import { REPO_ROOT } from '../helpers/run-cli.js'

const POOL_MODULE = pathToFileURL(`${REPO_ROOT}dist/http/undici-pool.js`).href

/**
 * A fresh process that reads `pages` answers of about 700 KB (a list page of 1,000 campaigns)
 * through cac's pool from a node:http server of its own, and reports V8's peak of memory outside
 * the JavaScript heap (compilers' memory among it), in MB.
 */
function peakMallocedMbAfterReading(pages: number, poolModule: string): number {
  const script = `
    import { createServer } from 'node:http'
    import { getHeapStatistics } from 'node:v8'
    const { Pool } = await import(${JSON.stringify(poolModule)})
    const item = JSON.stringify({ id: 1, campaign_name: 'x'.repeat(40), campaign_variables: { region: 'us-east' }, active_days: ['mon', 'tue'], webhooks: [] })
    const body = '{"items":[' + Array.from({ length: 1000 }, () => item).join(',') + '],"page":0,"page_size":1000}'
    const padded = body + ' '.repeat(Math.max(0, 700000 - body.length))
    const server = createServer((request, response) => response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(padded) }).end(padded))
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
    const pool = new Pool('http://127.0.0.1:' + server.address().port, { connections: 2 })
    for (let page = 0; page < ${pages}; page += 1) {
      const answer = await pool.request({ method: 'GET', path: '/page/' + page })
      JSON.parse(await answer.body.text())
    }
    await pool.close()
    server.close()
    process.stdout.write(String(getHeapStatistics().peak_malloced_memory / 2 ** 20))
  `
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 })
  expect(run.stderr).toBe('')
  expect(run.status).toBe(0)
  return Number(run.stdout)
}

describe("the HTTP client's parser", () => {
  it('is not compiled again by the optimising compiler while a run reads its lists (20–40 MB at the peak of a large plan)', () => {
    // 30 pages: more than a 10,000 + 10,000 plan reads. Without the tiering budget V8 peaked at
    // 36.8 MB here, compiling llhttp (15–22 MB after 10 pages); with it, under 2 MB.
    const peak = peakMallocedMbAfterReading(30, POOL_MODULE)
    expect(peak).toBeGreaterThan(0)
    expect(peak).toBeLessThan(8)
  })
})
