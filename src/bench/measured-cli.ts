/**
 * Runs the CLI like `bin/cac.js`, and at exit writes its peak memory (max RSS) and wall time to
 * the file named by CAC_BENCH_REPORT. Used by `npm run bench` only.
 */
import { writeFileSync } from 'node:fs'

const started = performance.now()
const report = process.env.CAC_BENCH_REPORT
if (report) {
  process.on('exit', () => {
    writeFileSync(report, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, wallMs: performance.now() - started }))
  })
}
await import('../bin/cac.js')
