/** What `cac import` did: the files it wrote (or would write), what it skipped and why. */

export interface ImportedFile {
  /** As shown (relative to the working directory). */
  file: string
  addresses: string[]
  /** Written (false for --dry-run). */
  written: boolean
}

export interface ImportReport {
  files: ImportedFile[]
  /** Live resources not imported, and why (declared already, cannot be represented, file exists). */
  skipped: { address: string; reason: string; failed: boolean }[]
  /** Environment variables the imported files name for secrets the platforms never return. */
  variables: string[]
}
