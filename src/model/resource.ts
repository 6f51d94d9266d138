import type { KindName } from './kinds.js'

/** Where a resource was declared: the file, the document within it, and the document's first line. */
export interface SourceRef {
  file: string
  documentIndex: number
  line: number
  column: number
}

/** One desired resource, as declared in a definition file after interpolation and validation. */
export interface Resource {
  kind: KindName
  provider: string
  /** The logical identity (the value of the kind's identity field). */
  name: string
  address: string
  spec: Record<string, unknown>
  source: SourceRef
}

/**
 * The stable, human-readable address of a resource, `provider/noun/name`, e.g.
 * `provider/campaign/Spring Renewals` (the noun is the kind's; see resourceAddress in src/platforms.ts).
 */
export function addressOf(provider: string, kind: { noun: string }, name: string): string {
  return `${provider}/${kind.noun}/${name}`
}
