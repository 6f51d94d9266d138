/**
 * Keeps V8's young generation at its starting size for the life of a cac process.
 *
 * What cac allocates mostly lives until the run ends: the parsed files, the live lists and the
 * plan made of both. A young generation that grows (V8 doubles it, up to 16 MB a half, as data
 * survives) then only holds memory: at 10,000 campaigns + 10,000 batches a plan peaks 25–30 MB
 * higher with it, and is no faster (`npm run bench`, README "Performance"). The growth factor is
 * a V8 flag read at each growth, so setting it at start-up takes effect at once.
 *
 * Only on the V8 versions known to have the flag (those of Node 20 to 22): elsewhere V8 would
 * print "unrecognized flag" on stderr, so nothing is set and V8's defaults hold.
 */
import { setFlagsFromString } from 'node:v8'

const FLAG = '--semi-space-growth-factor=1'
/** V8 major versions that define the flag (Node 20: 11, Node 22: 12). */
const KNOWN_V8_MAJORS = new Set([11, 12])

/** Sets the flag when this runtime's V8 knows it; returns whether it did. */
export function holdYoungGeneration(v8Version: string = process.versions.v8): boolean {
  const major = Number(v8Version.split('.')[0])
  if (!KNOWN_V8_MAJORS.has(major)) return false
  setFlagsFromString(FLAG)
  return true
}
