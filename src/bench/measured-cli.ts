/**
 * Runs the CLI like `bin/cac.js`, and at exit writes its peak memory and wall time (from before
 * the CLI is loaded) to the file named by CAC_BENCH_REPORT. Used by `npm run bench` only.
 */
import { reportAtExit } from './process-report.js'

reportAtExit(performance.now())
await import('../bin/cac.js')
