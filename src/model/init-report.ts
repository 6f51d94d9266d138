/** What `cac init` did to one path of the project folder. */
export interface InitEntry {
  path: string
  /** `kept`: a shared file (.gitignore, README.md) left as it was, with the reason in `detail`. */
  action: 'created' | 'appended' | 'kept'
  detail?: string
}

/** The end of `cac init`: the starter written, or nothing written and why. */
export type InitOutcome =
  | { kind: 'written'; dir: string; entries: InitEntry[]; packageListsCac: boolean }
  | { kind: 'refused'; dir: string; reason: string; existing: string[] }
