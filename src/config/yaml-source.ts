import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  newLineCounter,
  parseAllDocuments,
  visit,
  type Alias,
  type Document,
  type LineCounter,
  type Node,
  type ParsedNode,
  type YAMLError,
} from './yaml-library.js'

import type { Diagnostics, SourcePosition } from '../model/diagnostic.js'

/** A path into a parsed document: mapping keys and sequence indexes, from the root. */
export type DataPath = readonly (string | number)[]

/** Alias uses (weighted by the size of what they point at) allowed per document. */
export const MAX_ALIAS_EXPANSION = 100

/** Options that make the parser strict and quiet: no console output, no YAML 1.1 surprises. */
const PARSE_OPTIONS = {
  prettyErrors: false,
  uniqueKeys: true,
  merge: true,
  resolveKnownTags: false,
  logLevel: 'silent',
  version: '1.2',
} as const

/** Details recorded for a scalar whose text contained `${env:…}` references. */
export interface InterpolationRecord {
  /** The scalar as written in the file, before interpolation. */
  raw: string
  references: EnvReference[]
  /** True when at least one variable was unset with no default (the value is then unreliable). */
  unresolved: boolean
}

export interface EnvReference {
  name: string
  /** The default text after `:-`, or undefined when the reference has none. */
  defaultValue: string | undefined
  /** How the reference was resolved. */
  resolution: 'variable' | 'default' | 'unset'
}

/**
 * One YAML document of a definition or project file, as the later stages see it: its plain value,
 * and a way back from any data path to the line and column to point at.
 */
export interface SourceDocument {
  readonly file: string
  readonly index: number
  /** The plain value after interpolation. */
  value: unknown
  /** Secrets whose variable is unset (reported or not by the caller, depending on the target). */
  readonly unsetSecrets: { path: DataPath; variable: string }[]
  /** Position of the document's first content node. */
  readonly start: SourcePosition
  /** Line and column of the value at `path` (or of its key), falling back to the nearest enclosing node. */
  position(path: DataPath, options?: { key?: boolean }): SourcePosition
  /** The interpolation record of the scalar at a path, if its text contained `${env:…}`. */
  interpolationAt(path: DataPath): InterpolationRecord | undefined
  /** True when the value at a path (or anything under it) came from an environment variable. */
  isFromEnvironment(path: DataPath): boolean
  /** The source text of the node at a path, as written. */
  sourceTextAt(path: DataPath): string | undefined
}

/**
 * A document parsed with the `yaml` library, kept with its syntax tree so that any data path can
 * be mapped back to a line and column, and `${env:…}` can be interpolated scalar by scalar.
 */
export class ParsedDocument implements SourceDocument {
  /** The plain value after interpolation; set by `materialise`. */
  value: unknown = undefined
  readonly interpolations = new Map<Node, InterpolationRecord>()
  readonly unsetSecrets: { path: DataPath; variable: string }[] = []

  constructor(
    readonly file: string,
    readonly index: number,
    readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
    private readonly fileText: string,
  ) {}

  /** True when the document holds nothing: no content at all, or only a separator and comments. */
  get isEmpty(): boolean {
    const contents = this.doc.contents
    if (contents === null) return true
    return isScalar(contents) && contents.value === null && (contents as { source?: string }).source === ''
  }

  /** The text of this document in its file. */
  get text(): string {
    return this.fileText.slice(this.doc.range[0], this.doc.range[2])
  }

  /** The source text of the node at a path, as written (e.g. `+19995551234`, `"09:00"`). */
  sourceTextAt(path: DataPath): string | undefined {
    const node = this.nodeAt(path)
    if (!node?.range) return undefined
    return this.fileText.slice(node.range[0], node.range[1])
  }

  /** Position of the document's first content node (or its start when empty). */
  get start(): SourcePosition {
    const contents = this.doc.contents as ParsedNode | null
    return this.offsetPosition(contents?.range?.[0] ?? this.doc.range[0])
  }

  /** The node at a path, following aliases; undefined when the path is not spelled out in the source. */
  nodeAt(path: DataPath): Node | undefined {
    let node: unknown = this.doc.contents
    for (const segment of path) {
      node = this.deref(node)
      if (isMap(node)) {
        const pair = node.items.find((item) => keyText(item.key) === String(segment))
        if (!pair) return undefined
        node = pair.value
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment]
      } else {
        return undefined
      }
      if (node === undefined) return undefined
    }
    const resolved = this.deref(node)
    return resolved === null ? undefined : (resolved as Node)
  }

  /**
   * Line and column of the value at `path` (or of its key when `key` is set). When the path is not
   * spelled out in the source (a missing field, a merged key), the nearest enclosing node is used.
   */
  position(path: DataPath, options: { key?: boolean } = {}): SourcePosition {
    for (let length = path.length; length >= 0; length -= 1) {
      const prefix = path.slice(0, length)
      if (options.key && length === path.length && length > 0) {
        const keyNode = this.keyNodeAt(prefix)
        if (keyNode?.range) return this.offsetPosition(keyNode.range[0])
        continue
      }
      const node = this.nodeAt(prefix)
      if (node?.range) return this.offsetPosition(node.range[0])
      if (length > 0) {
        const keyNode = this.keyNodeAt(prefix)
        if (keyNode?.range) return this.offsetPosition(keyNode.range[0])
      }
    }
    return this.start
  }

  /** The interpolation record of the scalar at a path, if its text contained `${env:…}`. */
  interpolationAt(path: DataPath): InterpolationRecord | undefined {
    const node = this.nodeAt(path)
    return node ? this.interpolations.get(node) : undefined
  }

  /** True when the value at a path (or anything under it) came from an environment variable. */
  isFromEnvironment(path: DataPath): boolean {
    const node = this.nodeAt(path)
    if (!node) return false
    if (this.interpolations.has(node)) return true
    let found = false
    visit(node as never, {
      Scalar: (_key, scalar) => {
        if (this.interpolations.has(scalar)) {
          found = true
          return visit.BREAK
        }
        return undefined
      },
    })
    return found
  }

  offsetPosition(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset)
    return { line, column: col }
  }

  private keyNodeAt(path: DataPath): Node | undefined {
    const parent = this.deref(this.nodeAt(path.slice(0, -1)))
    if (!isMap(parent)) return undefined
    const last = path[path.length - 1]
    const pair = parent.items.find((item) => keyText(item.key) === String(last))
    return pair && isScalar(pair.key) ? pair.key : undefined
  }

  private deref(node: unknown): unknown {
    let current = node
    for (let hops = 0; isAlias(current) && hops < 64; hops += 1) {
      current = current.resolve(this.doc)
    }
    return current
  }
}

/** The text of a mapping key, when it is a scalar. */
export function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return key.value === null ? '' : String(key.value)
  return undefined
}

/**
 * Parses every document of a YAML source. Syntax problems become diagnostics with positions; a
 * document with syntax errors is left out of the result so later stages see only sound documents.
 */
export function parseYamlDocuments(file: string, text: string, diagnostics: Diagnostics): ParsedDocument[] {
  const lines = newLineCounter()
  let parsed: Document.Parsed[]
  try {
    parsed = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter: lines }) as unknown as Document.Parsed[]
  } catch (error) {
    diagnostics.error('yaml', parserFailure(error), { file, position: { line: 1, column: 1 } })
    return []
  }
  const documents: ParsedDocument[] = []
  parsed.forEach((doc, index) => {
    const source = new ParsedDocument(file, index, doc, lines, text)
    // The parser may run out of stack more than once in one document (how often depends on the
    // stack left when it started): one "nested too deeply" says it all.
    let tooDeep = false
    for (const error of doc.errors) {
      if (/call stack/i.test(error.message)) {
        if (tooDeep) continue
        tooDeep = true
      }
      diagnostics.error('yaml', describeYamlError(error, text), {
        file,
        position: source.offsetPosition(error.pos[0]),
      })
    }
    for (const warning of doc.warnings) {
      diagnostics.warning('yaml', describeYamlError(warning, text), {
        file,
        position: source.offsetPosition(warning.pos[0]),
      })
    }
    if (doc.errors.length > 0) return
    const complexKey = COMPLEX_KEY_HINT.test(source.text) ? findComplexKey(doc) : undefined
    if (complexKey) {
      diagnostics.error('yaml', 'mapping keys must be plain scalars, not lists or mappings', {
        file,
        position: source.offsetPosition(complexKey.range?.[0] ?? 0),
      })
      return
    }
    documents.push(source)
  })
  return documents
}

/**
 * Turns a document's tree into plain values, with the alias-expansion cap that stops
 * "billion laughs" documents. Returns false (and reports why) when the document cannot be used.
 */
export function materialise(source: ParsedDocument, diagnostics: Diagnostics): boolean {
  try {
    source.value = source.doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION })
    return true
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    // Point at the alias that failed to resolve, or else at the first alias (an expansion bomb).
    const alias = findAlias(source.doc, (a) => a.resolve(source.doc) === undefined) ?? findAlias(source.doc)
    const position = alias?.range ? source.offsetPosition(alias.range[0]) : source.start
    if (/excessive alias count/i.test(message)) {
      diagnostics.error(
        'yaml',
        `anchors and aliases expand too much (over ${MAX_ALIAS_EXPANSION} alias uses, weighted by size); ` +
          'this limit stops documents that blow up in memory',
        { file: source.file, position },
      )
    } else if (/unresolved alias/i.test(message)) {
      diagnostics.error('yaml', `alias refers to an anchor that is not defined before it (${message})`, {
        file: source.file,
        position,
      })
    } else if (error instanceof RangeError) {
      diagnostics.error('yaml', 'document is nested too deeply to be read', { file: source.file, position })
    } else {
      diagnostics.error('yaml', `document cannot be read: ${message}`, { file: source.file, position })
    }
    return false
  }
}

function describeYamlError(error: YAMLError, text: string): string {
  const snippet = text.slice(error.pos[0], Math.min(error.pos[1], error.pos[0] + 80))
  if (/call stack/i.test(error.message)) return 'document is nested too deeply to be read'
  switch (error.code) {
    case 'DUPLICATE_KEY': {
      const key = /^("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^:\n]*)/.exec(text.slice(error.pos[0], error.pos[0] + 200))?.[1]?.trim()
      return `duplicate key ${key ? `${key.startsWith('"') || key.startsWith("'") ? key : JSON.stringify(key)} ` : ''}` +
        'in the same mapping: a key may appear only once'
    }
    case 'TAB_AS_INDENT':
      return 'tab character used for indentation; YAML indentation must use spaces'
    case 'TAG_RESOLVE_FAILED':
      return `unsupported tag ${JSON.stringify(snippet)}; tags are not used in cac files (the value is read as plain text)`
    case 'MULTIPLE_ANCHORS':
    case 'MULTIPLE_TAGS':
    case 'BAD_ALIAS':
      return firstLine(error.message)
    default:
      return firstLine(error.message).replace(/\.$/, '')
  }
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message
  return line.replace(/ at line \d+, column \d+:?$/, '')
}

function parserFailure(error: unknown): string {
  if (error instanceof RangeError) return 'file is nested too deeply to be read'
  return `file cannot be parsed as YAML: ${error instanceof Error ? firstLine(error.message) : String(error)}`
}

/** Text that may hold a collection used as a key (`? [a]`, `[a]: 1`, `{a: 1}: 2`); cheap prefilter. */
const COMPLEX_KEY_HINT = /(^|[\s,[{])\?(\s|$)|[\]}]\s*:/m

function findComplexKey(doc: Document.Parsed): Node | undefined {
  let found: Node | undefined
  visit(doc, {
    Pair: (_key, pair) => {
      if (isPair(pair) && pair.key !== null && !isScalar(pair.key) && !isAlias(pair.key)) {
        found = pair.key as Node
        return visit.BREAK
      }
      return undefined
    },
  })
  return found
}

/** The first alias node that satisfies `test` (every alias when omitted). */
function findAlias(doc: Document.Parsed, test: (alias: Alias) => boolean = () => true): Node | undefined {
  let found: Node | undefined
  visit(doc, {
    Alias: (_key, alias) => {
      if (!test(alias)) return undefined
      found = alias
      return visit.BREAK
    },
  })
  return found
}
