import { resolve } from 'node:path'

import { Diagnostics } from '../model/diagnostic.js'
import type { FieldPath } from '../model/plan.js'
import type { SourceRef } from '../model/resource.js'
import { readSourceText } from './source-file.js'
import { parseYamlDocuments, type ParsedDocument } from './yaml-source.js'

/**
 * The line of each field in the file that declares it (or of its nearest declared parent, for a
 * field the file leaves out), for outputs that annotate a definition where a field is written.
 * The files are parsed again, with positions, only for the resources asked about.
 */
export function fieldLines(cwd: string, wanted: readonly { source: SourceRef; path: FieldPath }[]): (number | undefined)[] {
  const parsed = new Map<string, ParsedDocument[]>()
  const documentsOf = (file: string) => {
    let documents = parsed.get(file)
    if (!documents) {
      const read = readSourceText(resolve(cwd, file))
      documents = read.ok ? parseYamlDocuments(file, read.text, new Diagnostics()) : []
      parsed.set(file, documents)
    }
    return documents
  }
  return wanted.map(({ source, path }) => {
    const document = documentsOf(source.file).find((candidate) => candidate.index === source.documentIndex)
    return document?.position(['spec', ...path]).line
  })
}
