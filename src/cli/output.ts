/**
 * The one place cac's output is written: every chunk bound for stdout or stderr passes the
 * secret scrubber first, whoever wrote it (a renderer, an error message with a platform's
 * answer in it, a library). Files cac writes for the user (a saved plan) are scrubbed by
 * `scrubbedText` the same way.
 */
import { knownSecrets } from '../model/secret-scrubber.js'

let guarded = false

/** Wraps process.stdout.write and process.stderr.write once, for the life of the process. */
export function guardProcessOutput(): void {
  if (guarded) return
  guarded = true
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean
    stream.write = ((chunk: unknown, ...rest: unknown[]) => write(scrubChunk(chunk), ...rest)) as typeof stream.write
  }
}

function scrubChunk(chunk: unknown): unknown {
  if (knownSecrets.size === 0) return chunk
  if (typeof chunk === 'string') return knownSecrets.scrub(chunk)
  if (chunk instanceof Uint8Array) return knownSecrets.scrub(Buffer.from(chunk).toString('utf8'))
  return chunk
}
