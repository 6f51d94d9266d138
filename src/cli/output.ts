/**
 * The one place cac's output is scrubbed: every chunk bound for stdout or stderr passes the
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

/** Text with every secret cac knows of masked. */
export function scrubOutput(text: string): string {
  return knownSecrets.size === 0 ? text : knownSecrets.scrub(text)
}

function scrubChunk(chunk: unknown): unknown {
  if (typeof chunk === 'string') return scrubOutput(chunk)
  if (chunk instanceof Uint8Array && knownSecrets.size > 0) return scrubOutput(Buffer.from(chunk).toString('utf8'))
  return chunk
}
