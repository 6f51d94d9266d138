/**
 * Runs an anchor (anchors.ts) as measured-cli.ts runs cac: the clock starts before anything the
 * anchor uses is loaded (js-yaml, undici), as cac's starts before its own modules.
 */
import { reportAtExit } from './process-report.js'

reportAtExit(performance.now())
await import('./anchors.js')
