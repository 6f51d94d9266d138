import type { Diagnostics } from '../model/diagnostic.js'
import { isSecretPath, type KindName } from '../model/kinds.js'
import { kindOf, KIND_NAMES, isKindName } from '../platforms.js'
import { checkDocumentSize } from './document-size.js'
import { prepareDocument } from './prepare-document.js'
import { reportSchemaErrors } from './schema-messages.js'
import { schemaErrors, schemaValidators } from './schema-validator.js'
import type { SourceText } from './source-file.js'
import { didYouMean } from './suggest.js'
import type { Environment } from './interpolate.js'
import { loadPlainDocuments, type PlainDocument } from './plain-yaml.js'
import { isScalar } from './yaml-library.js'
import { ParsedDocument, parseYamlDocuments, type DataPath, type SourceDocument } from './yaml-source.js'

/** A definition document that has a known kind (whether or not its spec passed the schema). */
export interface DefinitionDocument {
  source: SourceDocument
  kind: KindName
  /** The provider name, when it is a string. */
  provider: string | undefined
  /** The spec mapping ({} when missing or not a mapping). */
  spec: Record<string, unknown>
  /** True when the document passed its kind's schema. */
  schemaValid: boolean
}

export interface DefinitionLoadOptions {
  env: Environment
}

/** One definition file, read (see readSourceText): encoding, YAML, interpolation, document shape, kind and schema. */
export function loadDefinitionFile(
  read: SourceText,
  shown: string,
  options: DefinitionLoadOptions,
  diagnostics: Diagnostics,
): DefinitionDocument[] {
  if (!read.ok) {
    diagnostics.error('file', read.message, { file: shown, position: read.position ?? { line: 1, column: 1 } })
    return []
  }
  const plain = loadPlainDocuments(shown, read.text, { env: options.env, secretPathsOf: secretPathsOfDocument })
  const documents: (PlainDocument | ParsedDocument)[] = plain ?? parseYamlDocuments(shown, read.text, diagnostics).filter((doc) => !doc.isEmpty)
  if (documents.length === 0 && !diagnostics.hasErrorsIn(shown)) {
    diagnostics.error(
      'file',
      'file defines nothing: add a document with kind, provider and spec, or delete the file',
      { file: shown, position: { line: 1, column: 1 } },
    )
    return []
  }
  const out: DefinitionDocument[] = []
  for (const source of documents) {
    const loaded = loadDefinitionDocument(source, options, diagnostics)
    if (loaded) out.push(loaded)
  }
  return out
}

function loadDefinitionDocument(
  source: PlainDocument | ParsedDocument,
  options: DefinitionLoadOptions,
  diagnostics: Diagnostics,
): DefinitionDocument | undefined {
  const where = (path: (string | number)[], key = false) => ({
    file: source.file,
    position: source.position(path, { key }),
  })
  // A plain document was interpolated by the fast path already: it is its own prepared document.
  const prepared = source instanceof ParsedDocument ? prepareParsed(source, options, diagnostics) : source
  if (!prepared || !checkDocumentSize(source, diagnostics)) return undefined
  const value = source.value
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    diagnostics.error(
      'document',
      `a definition must be a mapping with kind, provider and spec; this document is ${shapeOf(value)}`,
      where([]),
    )
    return undefined
  }
  const fields = value as Record<string, unknown>
  const kind = fields.kind
  if (kind === undefined) {
    diagnostics.error('kind', `missing "kind": one of ${KIND_NAMES.join(', ')}`, where([]))
    return undefined
  }
  if (!isKindName(kind)) {
    const hint = typeof kind === 'string' ? didYouMean(kind, KIND_NAMES) : ''
    diagnostics.error(
      'kind',
      `unknown kind ${JSON.stringify(kind)}${hint}; the kinds are ${KIND_NAMES.join(', ')}`,
      where(['kind']),
    )
    return undefined
  }
  const errors = schemaErrors(schemaValidators().kind(kind), value)
  if (errors.length > 0) {
    reportSchemaErrors(errors, value, source, diagnostics, {
      isSensitive: (path) => isSecretPath(path, kindOf(kind).secretPaths),
      isExplained: (path) => prepared.isExplained(path),
    })
  }
  const spec = fields.spec !== null && typeof fields.spec === 'object' && !Array.isArray(fields.spec) ? fields.spec : {}
  return {
    source,
    kind,
    provider: typeof fields.provider === 'string' ? fields.provider : undefined,
    spec: spec as Record<string, unknown>,
    schemaValid: errors.length === 0,
  }
}

/** Interpolation and materialising, for a document read by the full parser. */
function prepareParsed(source: ParsedDocument, options: DefinitionLoadOptions, diagnostics: Diagnostics) {
  // The kind decides which paths are secrets; read it from the tree, before anything is expanded.
  const kindNode = source.nodeAt(['kind'])
  const isSecret = secretPathsOfKind(isScalar(kindNode) ? kindNode.value : undefined)
  return prepareDocument(source, { env: options.env, isSecret, diagnostics })
}

/** The same, for a document the fast path read: its kind as written, before anything is expanded. */
function secretPathsOfDocument(value: unknown): (path: DataPath) => boolean {
  return secretPathsOfKind(value !== null && typeof value === 'object' ? (value as { kind?: unknown }).kind : undefined)
}

/**
 * Which paths of a document of this kind hold secrets. Without a known kind, which fields are
 * secrets is unknown: an unset variable is then held like a secret's (not reported), so the
 * wrong kind is the one problem the document shows.
 */
function secretPathsOfKind(kind: unknown): (path: DataPath) => boolean {
  const declaredKind = isKindName(kind) ? kind : undefined
  return (path) => declaredKind === undefined || isSecretPath(path, kindOf(declaredKind).secretPaths)
}

function shapeOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list'
  if (value === null || value === undefined) return 'empty'
  return `a single value (${typeof value})`
}
