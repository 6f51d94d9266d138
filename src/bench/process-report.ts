/**
 * What every measured bench process reports (cac, and each anchor it is held against): at exit, its
 * peak memory (max RSS) and its wall time since `started`, to the file named by CAC_BENCH_REPORT.
 * Each is started by an entry that takes `started` before it loads the code it measures
 * (measured-cli.ts, measured-anchors.ts), so both sides pay for loading their own code.
 */
import { writeFileSync } from 'node:fs'

export function reportAtExit(started: number): void {
  const report = process.env.CAC_BENCH_REPORT
  if (!report) return
  process.on('exit', () => {
    writeFileSync(report, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, wallMs: performance.now() - started }))
  })
}
