import { printable } from '../render/values.js'
import type { LiveReadListener, LiveReadProgress } from '../workflow/live-read-progress.js'
import type { CommandIo } from './command-io.js'
import { runsInCi } from './confirm.js'

/** Moves to the start of the line and clears it. */
const ERASE_LINE = '\r\u001b[K'

/** Past this many characters of names the line gives a count instead (it must not wrap: only one line is erased). */
const NAMES_WIDTH = 50

/** `Reading live state from syllable, sarvam…`, later `Reading live state from sarvam… (1/2 providers read)`. */
export function formatLiveReadLine(progress: LiveReadProgress): string {
  const names = progress.reading.map(printable).join(', ')
  const what = names.length <= NAMES_WIDTH ? names : `${progress.reading.length} providers`
  const count = progress.done === 0 ? '' : ` (${progress.done}/${progress.total} providers read)`
  return `Reading live state from ${what}…${count}`
}

/** A transient line goes where a person watches: stderr is a terminal, not under CI, and the output is text. */
export function showsLiveReadLine(io: Pick<CommandIo, 'stderr' | 'env'>, format: string | undefined): boolean {
  return io.stderr.isTTY && !runsInCi(io.env) && (format === undefined || format === 'text')
}

/**
 * What draws the line on stderr while the live state is read: rewritten in place as providers
 * answer, erased when the read ends. Undefined where no line is shown (nothing at all is written).
 */
export function liveReadLine(io: Pick<CommandIo, 'stderr' | 'env'>, format: string | undefined): LiveReadListener | undefined {
  if (!showsLiveReadLine(io, format)) return undefined
  return (progress) => io.stderr.write(progress.finished ? ERASE_LINE : `${ERASE_LINE}${formatLiveReadLine(progress)}`)
}
