import { Diagnostics, type SourcePosition } from '../model/diagnostic.js'
import { readBlockYaml } from './block-yaml.js'
import { countValues } from './document-size.js'
import { jsYamlWithCoreSchema } from './core-schema.js'
import { isWithin } from './data-path.js'
import { interpolateValues, type Environment } from './interpolate.js'
import { parseYamlDocuments, type DataPath, type InterpolationRecord, type ParsedDocument, type SourceDocument } from './yaml-source.js'

/**
 * Text that needs the full parser: anchors/aliases/tags, merge keys, complex keys, directives,
 * explicit document ends, tabs, and content on a `---` line (outside comments: see
 * needsFullParser). Scalars are read by both parsers with the same core-schema rules
 * (core-schema.ts).
 */
const NEEDS_FULL_PARSER: readonly { pattern: RegExp; clue: readonly string[] }[] = [
  // `clue`: text without any of these cannot match, and a search for one is much cheaper than the pattern's.
  { pattern: /(^|[\s[{,])[&*!]\S/m, clue: ['&', '*', '!'] },
  { pattern: /<</, clue: ['<<'] },
  { pattern: /(^|\s)\?(\s|$)/m, clue: ['?'] },
  { pattern: /^%/m, clue: ['%'] },
  { pattern: /^\.\.\.(\s|$)/m, clue: ['...'] },
  { pattern: /\t/, clue: ['\t'] },
  { pattern: /^---[ ]*[^\s#]/m, clue: ['---'] },
]

const DOCUMENT_START = /^---[ ]*(#.*)?$/gm

/**
 * True when the text holds something only the full parser reads. A comment that merely mentions
 * such a thing (`# matches *.yaml`) does not count: comments are cut from the lines with no quote
 * character before the patterns are tried again (on a line with one, a `#` may be inside a string,
 * so the line counts as written; what is cut can only be a comment or the inside of a string).
 */
function needsFullParser(text: string): boolean {
  const suspects = NEEDS_FULL_PARSER.filter(({ clue }) => clue.some((part) => text.includes(part)))
  if (!suspects.some(({ pattern }) => pattern.test(text))) return false
  const withoutComments = text.replace(UNQUOTED_LINE_COMMENT, '$1')
  return suspects.some(({ pattern }) => pattern.test(withoutComments))
}

/** A comment (`#` at the start or after a space) on a line with no quote character: $1 is what comes before it. */
const UNQUOTED_LINE_COMMENT = /^([^'"\n#]*?)(?:(?<=^|[ \t])#[^'"\n]*)$/gm

/** How the fast path interpolates `${env:…}` (see interpolateValues). */
export interface PlainInterpolationOptions {
  env: Environment
  /** Which paths of a document hold secrets, from its value as written (before anything is expanded). */
  secretPathsOf: (value: unknown) => (path: DataPath) => boolean
}

/**
 * The fast path for plain files (most of a large repository, and cac.yaml): the block reader
 * (block-yaml.ts) or, for a document it does not take, js-yaml reads the values, several times
 * faster than the full parser, whose syntax tree is built only if a problem must be pointed at.
 * With `interpolation`, `${env:…}` is expanded in the values as the full parser's path would.
 * Returns undefined when the file needs the full parser (anything listed above, an expression
 * interpolateValues leaves to it, `${env:…}` without `interpolation`, or any error at all: the
 * full parser then reports it with its position).
 */
export function loadPlainDocuments(file: string, text: string, interpolation?: PlainInterpolationOptions): PlainDocument[] | undefined {
  if (needsFullParser(text)) return undefined
  if (interpolation === undefined && text.includes(ENV_OPEN)) return undefined
  const tree = new LazyTree(file, text)
  const lines = new LineNumbers(text)
  const documents: PlainDocument[] = []
  let index = 0
  for (const chunk of documentChunks(text)) {
    const start = firstContent(text, chunk.start, chunk.end, lines)
    if (!start) continue // Only blank lines and comments: no document.
    const chunkText = text.slice(chunk.start, chunk.end)
    let value: unknown
    const quick = readBlockYaml(chunkText)
    if (quick) value = quick.value
    else {
      try {
        value = jsYamlWithCoreSchema().load(chunkText, file)
      } catch {
        return undefined
      }
    }
    const document = new PlainDocument(file, index, value === undefined ? null : value, start, tree)
    if (interpolation !== undefined && chunkText.includes(ENV_OPEN)) {
      const isSecret = interpolation.secretPathsOf(document.value)
      const interpolated = interpolateValues(document, interpolation.env, isSecret)
      if (interpolated === undefined) return undefined
      for (const { path, record } of interpolated) document.recordInterpolation(path, record)
    }
    documents.push(document)
    tree.documents.push(document)
    index += 1
  }
  return documents
}

/** Byte ranges of the documents of a stream, split at `---` lines (a `---` line ends any scalar). */
function documentChunks(text: string): { start: number; end: number }[] {
  const chunks: { start: number; end: number }[] = []
  let start = 0
  for (const match of text.matchAll(DOCUMENT_START)) {
    chunks.push({ start, end: match.index })
    start = match.index + match[0].length
  }
  chunks.push({ start, end: text.length })
  return chunks
}

/** Position (and offset) of the first line in a range that is neither blank nor a comment. */
function firstContent(text: string, from: number, to: number, lines: LineNumbers): { position: SourcePosition; offset: number } | undefined {
  let lineStart = from
  while (lineStart < to) {
    let lineEnd = text.indexOf('\n', lineStart)
    if (lineEnd === -1 || lineEnd > to) lineEnd = to
    const line = text.slice(lineStart, lineEnd)
    const indent = line.length - line.trimStart().length
    const rest = line.trim()
    if (rest !== '' && !rest.startsWith('#')) {
      const lineNumber = lines.lineAt(lineStart)
      return { position: { line: lineNumber, column: indent + 1 }, offset: lineStart + indent }
    }
    lineStart = lineEnd + 1
  }
  return undefined
}

/** Line numbers of offsets asked for in increasing order, counted once through the text. */
class LineNumbers {
  private offset = 0
  private line = 1

  constructor(private readonly text: string) {}

  lineAt(target: number): number {
    if (target < this.offset) {
      this.offset = 0
      this.line = 1
    }
    for (let i = this.text.indexOf('\n', this.offset); i !== -1 && i < target; i = this.text.indexOf('\n', i + 1)) {
      this.line += 1
      this.offset = i + 1
    }
    return this.line
  }
}

/**
 * Values a plain file may hold for its positions to be looked up. The full parse that gives them
 * costs about a kilobyte per value; past this, problems are placed at their document's first line
 * (the field path still says where), so a hostile file cannot make validate take gigabytes.
 */
export const MAX_POSITIONED_VALUES = 250_000

/**
 * The full parse of one file, made the first time a position inside it is asked for, indexed by
 * where each document's content starts (one lookup per position, whatever the number of documents).
 */
class LazyTree {
  private byContentStart: Map<number, ParsedDocument> | undefined
  readonly documents: PlainDocument[] = []

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  /** The parsed document whose content starts at `offset`; undefined when the file is too large to parse for positions. */
  documentAt(offset: number): ParsedDocument | undefined {
    this.byContentStart ??= this.withinBudget()
      ? indexByContentStart(parseYamlDocuments(this.file, this.text, new Diagnostics()))
      : new Map()
    return this.byContentStart.get(offset)
  }

  private withinBudget(): boolean {
    let budget = MAX_POSITIONED_VALUES
    for (const document of this.documents) {
      budget -= countValues(document.value, budget)
      if (budget < 0) return false
    }
    return true
  }
}

function indexByContentStart(documents: readonly ParsedDocument[]): Map<number, ParsedDocument> {
  const index = new Map<number, ParsedDocument>()
  for (const doc of documents) {
    const range = (doc.doc.contents as { range?: [number, number, number] } | null)?.range
    if (range !== undefined && !index.has(range[0])) index.set(range[0], doc)
  }
  return index
}

const ENV_OPEN = '${env:'

/** A data path as a map key, each segment after a NUL (a mapping key and a list index never meet at the same place). */
function pathKey(path: DataPath): string {
  let key = ''
  for (const segment of path) key += `\u0000${segment}`
  return key
}

/** A document read by the fast path: values now, positions on demand. */
export class PlainDocument implements SourceDocument {
  readonly unsetSecrets: { path: DataPath; variable: string }[] = []
  /** The record of each string that held `${env:…}`, by pathKey (made for the first one: most documents have none). */
  private interpolations: Map<string, InterpolationRecord> | undefined

  constructor(
    readonly file: string,
    readonly index: number,
    public value: unknown,
    private readonly first: { position: SourcePosition; offset: number },
    private readonly tree: LazyTree,
  ) {}

  get start(): SourcePosition {
    return this.first.position
  }

  position(path: DataPath, options: { key?: boolean } = {}): SourcePosition {
    return this.parsed()?.position(path, options) ?? this.start
  }

  recordInterpolation(path: DataPath, record: InterpolationRecord): void {
    this.interpolations ??= new Map()
    this.interpolations.set(pathKey(path), record)
  }

  interpolationAt(path: DataPath): InterpolationRecord | undefined {
    return this.interpolations?.get(pathKey(path))
  }

  isFromEnvironment(path: DataPath): boolean {
    if (this.interpolations === undefined) return false
    const prefix = pathKey(path)
    for (const key of this.interpolations.keys()) {
      if (key === prefix || key.startsWith(`${prefix}\u0000`)) return true
    }
    return false
  }

  /** True for paths under an unset secret, whose problems interpolation explained already (as prepareDocument's). */
  isExplained(path: DataPath): boolean {
    return this.unsetSecrets.some((unset) => isWithin(path, unset.path))
  }

  sourceTextAt(path: DataPath): string | undefined {
    return this.parsed()?.sourceTextAt(path)
  }

  private parsed(): ParsedDocument | undefined {
    return this.tree.documentAt(this.first.offset)
  }
}
