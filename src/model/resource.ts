import type { KindName } from './kinds.js'
import { KINDS } from './kinds.js'

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

/** The stable, human-readable address of a resource, e.g. `syllable/campaign/Spring Renewals`. */
export function resourceAddress(provider: string, kind: KindName, name: string): string {
  return `${provider}/${KINDS[kind].noun}/${name}`
}
