/**
 * A reader for the everyday shape of a definition document, about twice as fast as js-yaml:
 * block mappings and sequences by indentation, plain keys, plain and simply quoted scalars, and
 * one-line flow lists and mappings of those. It gives up (undefined) at the first thing outside
 * that shape: the caller then asks js-yaml, so a value never depends on which reader read it
 * (property-tested against js-yaml, test/unit/block-yaml.test.ts). Scalars resolve by the same
 * core-schema rules (core-schema.ts).
 */
import { resolveCoreScalar } from './core-schema.js'

/** Characters the reader leaves to js-yaml wherever they appear (controls, line separators, BOM, surrogates, CR, tab). */
const OUTSIDE_SHAPE = /[^\n\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]/
/** A key the reader takes: a word that no core-schema rule would turn into something else. */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/
/** First characters of a plain scalar that YAML reads as something else. */
const INDICATOR_START = /^(?:[,[\]{}#&*!|>'"%@`]|[-?:](?: |$))/
/** Longest key the reader takes (js-yaml refuses implicit keys over 1,024 characters). */
const MAX_KEY_LENGTH = 256
/** Most nested blocks the reader follows (js-yaml has no such bound; deeper documents go to it). */
const MAX_DEPTH = 64

/** The lines that hold content, as two lists kept in step (one object per line would be most of what the reader allocates). */
interface Lines {
  indents: number[]
  /** Each line without its indentation (never blank, never a comment). */
  contents: string[]
}

/** Gives up: the text is not in the reader's shape (or is not valid YAML). */
class OutsideShape extends Error {}

const giveUp = (): never => {
  throw new OutsideShape()
}

/** The value of one YAML document (no `---` lines), or undefined when js-yaml must read it. */
export function readBlockYaml(text: string): { value: unknown } | undefined {
  if (OUTSIDE_SHAPE.test(text)) return undefined
  const lines = contentLines(text)
  if (lines.contents.length === 0) return undefined
  const reader = new BlockReader(lines)
  try {
    const first = lines.contents[0]!
    if (!isSequenceEntry(first) && keyOf(first) === undefined) return undefined // A lone scalar or flow document.
    const value = reader.block(lines.indents[0]!, 0)
    if (reader.next < lines.contents.length) return undefined
    return { value }
  } catch (error) {
    if (error instanceof OutsideShape) return undefined
    throw error
  }
}

function contentLines(text: string): Lines {
  const indents: number[] = []
  const contents: string[] = []
  let start = 0
  while (start <= text.length) {
    let end = text.indexOf('\n', start)
    if (end === -1) end = text.length
    let indent = start
    while (indent < end && text.charCodeAt(indent) === 0x20) indent += 1
    if (indent < end && text.charCodeAt(indent) !== 0x23 /* # */) {
      let last = end
      while (text.charCodeAt(last - 1) === 0x20) last -= 1
      indents.push(indent - start)
      contents.push(text.slice(indent, last))
    }
    start = end + 1
  }
  return { indents, contents }
}

class BlockReader {
  next = 0
  private readonly indents: number[]
  private readonly contents: string[]

  constructor(lines: Lines) {
    this.indents = lines.indents
    this.contents = lines.contents
  }

  /** The block (mapping or sequence) whose first line is the next one, at `indent`. */
  block(indent: number, depth: number): unknown {
    if (depth > MAX_DEPTH) giveUp()
    if (this.indents[this.next] !== indent) giveUp()
    return isSequenceEntry(this.contents[this.next]!) ? this.sequence(indent, depth) : this.mapping(indent, depth)
  }

  private mapping(indent: number, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    while (this.next < this.contents.length) {
      const lineIndent = this.indents[this.next]!
      const content = this.contents[this.next]!
      if (lineIndent < indent) break
      if (lineIndent > indent || isSequenceEntry(content)) giveUp()
      const key = keyOf(content) ?? giveUp()
      if (Object.hasOwn(out, key)) giveUp() // js-yaml refuses a repeated key; it says so with its position.
      this.next += 1
      const rest = afterIndicator(content, key.length + 1)
      out[key] = rest === '' ? this.nestedValue(indent, true, depth) : this.inlineValue(rest, indent)
    }
    return out
  }

  private sequence(indent: number, depth: number): unknown[] {
    const out: unknown[] = []
    while (this.next < this.contents.length) {
      const lineIndent = this.indents[this.next]!
      const content = this.contents[this.next]!
      // A key at the column of the dashes ends a sequence that is the value of a key at that column.
      if (lineIndent < indent || (lineIndent === indent && !isSequenceEntry(content))) break
      if (lineIndent > indent) giveUp()
      const rest = afterIndicator(content, 1)
      if (rest === '') {
        this.next += 1
        out.push(this.nestedValue(indent, false, depth))
      } else if (isSequenceEntry(rest)) {
        giveUp() // `- - item` (js-yaml reads some of these in its own way)
      } else if (keyOf(rest) !== undefined) {
        // `- key: value`: the rest of the line starts a mapping at its own column.
        const restIndent = indent + content.length - rest.length
        this.indents[this.next] = restIndent
        this.contents[this.next] = rest
        out.push(this.block(restIndent, depth + 1))
      } else {
        this.next += 1
        out.push(this.inlineValue(rest, indent))
      }
    }
    return out
  }

  /** The value of a `key:` or `-` with nothing after it: a deeper block, a sequence at the key's own column, or null. */
  private nestedValue(indent: number, underKey: boolean, depth: number): unknown {
    if (this.next >= this.contents.length) return null
    const lineIndent = this.indents[this.next]!
    const content = this.contents[this.next]!
    // js-yaml takes a dash further left after an empty entry into the inner sequence: left to it.
    if (lineIndent < indent) return isSequenceEntry(content) ? giveUp() : null
    if (lineIndent > indent) return this.block(lineIndent, depth + 1)
    if (underKey && isSequenceEntry(content)) return this.sequence(indent, depth + 1)
    return null
  }

  /** A value written on its key's (or dash's) line; a deeper line after it would continue it, which is left to js-yaml. */
  private inlineValue(text: string, indent: number): unknown {
    if (this.next < this.contents.length && this.indents[this.next]! > indent) giveUp()
    return inlineScalarOrFlow(text)
  }
}

/** What follows `key:` or `-` on its line, without the spaces before it; '' when only a comment follows. */
function afterIndicator(content: string, from: number): string {
  let start = from
  while (content.charCodeAt(start) === 0x20) start += 1
  return content.charCodeAt(start) === 0x23 /* # */ ? '' : content.slice(start)
}

/** YAML's white space is the space and the tab (tabs are left to js-yaml): other Unicode spaces are content. */
function trimSpacesStart(text: string): string {
  let i = 0
  while (text.charCodeAt(i) === 0x20) i += 1
  return text.slice(i)
}

function trimSpacesEnd(text: string): string {
  let end = text.length
  while (end > 0 && text.charCodeAt(end - 1) === 0x20) end -= 1
  return text.slice(0, end)
}

function trimSpaces(text: string): string {
  return trimSpacesEnd(trimSpacesStart(text))
}

function isSequenceEntry(content: string): boolean {
  return content.charCodeAt(0) === 0x2d /* - */ && (content.length === 1 || content.charCodeAt(1) === 0x20)
}

/** The key of a `key:` or `key: value` line, when it is a plain key. */
function keyOf(content: string): string | undefined {
  const colon = content.indexOf(':')
  if (colon <= 0 || (colon + 1 < content.length && content.charCodeAt(colon + 1) !== 0x20)) return undefined
  const slot = textSlot(content, 0, colon)
  const known = KNOWN_KEYS[slot]
  if (known !== undefined && known.length === colon && sameTextAt(content, 0, known)) return known
  const key = content.slice(0, colon)
  if (!isPlainKey(key)) return undefined
  return (KNOWN_KEYS[slot] = internalised(key))
}

/** A key the reader takes as it is written (see PLAIN_KEY). */
function isPlainKey(key: string): boolean {
  return key.length <= MAX_KEY_LENGTH && PLAIN_KEY.test(key) && key !== '__proto__' && resolveCoreScalar(key) === key
}

/**
 * The texts read most often come back in document after document (the keys of a kind, weekdays,
 * clock times, regions): the last one read in each slot of two small tables, chosen by length and
 * first and last characters, is taken again when the text is the same, without the checks and
 * without a new copy of the text. Only an exact match is taken, so a value never depends on what
 * was read before; the tables' size is fixed, whatever the files hold.
 */
const TEXT_SLOTS = 512
/** The longest text kept in a slot (longer ones are mostly unique: names, ids). */
const MAX_KEPT_TEXT = 32
const KNOWN_KEYS: (string | undefined)[] = new Array<string | undefined>(TEXT_SLOTS).fill(undefined)
const KNOWN_SCALAR_TEXTS: (string | undefined)[] = new Array<string | undefined>(TEXT_SLOTS).fill(undefined)
const KNOWN_SCALAR_VALUES: unknown[] = new Array<unknown>(TEXT_SLOTS).fill(undefined)

/** Whether `text` holds `part` from `start` on (a short part: compared character by character, nothing cut out). */
function sameTextAt(text: string, start: number, part: string): boolean {
  for (let i = 0; i < part.length; i += 1) if (text.charCodeAt(start + i) !== part.charCodeAt(i)) return false
  return true
}

/** The slot of the text between `start` and `end` (not empty) in the tables above. */
function textSlot(text: string, start: number, end: number): number {
  const length = end - start
  return (length * 31 + text.charCodeAt(start) * 7 + text.charCodeAt(end - 1)) & (TEXT_SLOTS - 1)
}

/** The text as V8's table of property names holds it, so that objects take it as a key without looking it up again. */
function internalised(key: string): string {
  for (const name in { [key]: true }) return name
  return key
}

/**
 * V8 cuts a text of 13 characters or more out of a longer one as a view of it, which keeps the
 * whole file's text alive for as long as the value lives (a plan holds its values to its end). A
 * value that long is made its own text: padded by one space (a new, whole text) and cut back.
 */
const SHORTEST_VIEW = 13

function ownCopy<T>(value: T): T {
  return typeof value === 'string' && value.length >= SHORTEST_VIEW ? (value.padEnd(value.length + 1).slice(0, -1) as T) : value
}

/** A value after `key: ` or `- ` (trailing spaces already gone). */
function inlineScalarOrFlow(text: string): unknown {
  const first = text[0]
  if (first === '"' || first === "'") {
    const { value, end } = quoted(text, 0)
    const after = text.slice(end)
    if (after !== '' && !/^ +#/.test(after)) giveUp()
    return value
  }
  if (first === '[' || first === '{') return flowCollection(withoutFlowComment(text))
  return plainScalar(withoutComment(text))
}

/** A quoted scalar starting at `start`, closed on the same line, with no escapes or doubled quotes. */
function quoted(text: string, start: number): { value: string; end: number } {
  const quote = text[start]!
  const close = text.indexOf(quote, start + 1)
  if (close === -1) giveUp()
  const value = text.slice(start + 1, close)
  if (quote === '"' && value.includes('\\')) giveUp()
  if (text[close + 1] === quote) giveUp() // `''` (a quote inside single quotes) or `""…`
  return { value: ownCopy(value), end: close + 1 }
}

/** `[a, b]   # note` without its comment: only when no `#` or closing bracket comes before the first closing bracket. */
function withoutFlowComment(text: string): string {
  const commented = /^(\[[^#\]]*\]|\{[^#}]*\}) +#/.exec(text)
  return commented ? commented[1]! : text
}

function withoutComment(text: string): string {
  const hash = text.indexOf(' #')
  return hash === -1 ? text : trimSpacesEnd(text.slice(0, hash))
}

function plainScalar(text: string): unknown {
  const kept = text.length > 0 && text.length <= MAX_KEPT_TEXT
  const slot = kept ? textSlot(text, 0, text.length) : -1
  if (kept && KNOWN_SCALAR_TEXTS[slot] === text) return KNOWN_SCALAR_VALUES[slot]
  if (text === '' || INDICATOR_START.test(text) || text.includes(': ') || text.endsWith(':')) giveUp()
  const value = ownCopy(resolveCoreScalar(text))
  if (kept) {
    // The table keeps the text too: as its own copy (a string value is one already), never a view of a file.
    KNOWN_SCALAR_TEXTS[slot] = typeof value === 'string' ? value : ownCopy(text)
    KNOWN_SCALAR_VALUES[slot] = value
  }
  return value
}

/**
 * `[a, "b"]`, `{k: v, k2: [x, y]}`: a flow collection on one line, of plain and simply quoted
 * scalars and of flow collections, with nothing after its closing bracket.
 */
function flowCollection(text: string): unknown {
  const reader = new FlowReader(text)
  const value = reader.value(0)
  if (reader.at !== text.length) giveUp()
  return value
}

/** `,`, `]` or `}`: where a plain scalar inside a flow collection ends. */
function isFlowEnd(code: number): boolean {
  return code === 0x2c || code === 0x5d || code === 0x7d
}

/** A plain key where a flow mapping's key starts. */
const FLOW_KEY = /[A-Za-z_][A-Za-z0-9_-]*/y

class FlowReader {
  at = 0

  constructor(private readonly text: string) {}

  value(depth: number): unknown {
    if (depth > MAX_DEPTH) giveUp()
    this.skipSpaces()
    const first = this.text[this.at]
    if (first === '[') return this.sequence(depth + 1)
    if (first === '{') return this.mapping(depth + 1)
    if (first === '"' || first === "'") {
      const { value, end } = quoted(this.text, this.at)
      this.at = end
      return value
    }
    return this.plain()
  }

  private sequence(depth: number): unknown[] {
    const out: unknown[] = []
    if (this.opensEmpty(']')) return out
    for (;;) {
      out.push(this.value(depth))
      if (this.endOfItem(']')) return out
    }
  }

  private mapping(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    if (this.opensEmpty('}')) return out
    for (;;) {
      this.skipSpaces()
      FLOW_KEY.lastIndex = this.at
      const key = FLOW_KEY.exec(this.text)?.[0] ?? giveUp()
      this.at += key.length
      // `key: value` (a space after the colon), the key a plain word no core rule reads otherwise.
      if (this.text[this.at] !== ':' || this.text[this.at + 1] !== ' ') giveUp()
      if (key.length > MAX_KEY_LENGTH || key === '__proto__' || resolveCoreScalar(key) !== key || Object.hasOwn(out, key)) giveUp()
      this.at += 2
      out[key] = this.value(depth)
      if (this.endOfItem('}')) return out
    }
  }

  /** Steps over the opening bracket; true when the collection closes at once (`[]`, `{ }`). */
  private opensEmpty(close: string): boolean {
    this.at += 1
    this.skipSpaces()
    if (this.text[this.at] !== close) return false
    this.at += 1
    return true
  }

  /** After an item: true at the closing bracket (consumed), false after a comma followed by another item. */
  private endOfItem(close: string): boolean {
    this.skipSpaces()
    const next = this.text[this.at]
    this.at += 1
    if (next === close) return true
    if (next !== ',') giveUp()
    this.skipSpaces()
    // A comma before the closing bracket, or before another comma, is left to js-yaml.
    if (this.text[this.at] === close || this.text[this.at] === ',') giveUp()
    return false
  }

  /** A plain scalar up to the next `,`, `]` or `}`; one holding anything YAML might read otherwise is left to js-yaml. */
  private plain(): unknown {
    const start = this.at
    while (this.at < this.text.length && !isFlowEnd(this.text.charCodeAt(this.at))) this.at += 1
    const item = trimSpaces(this.text.slice(start, this.at))
    if (/[:#"'[{]/.test(item)) giveUp()
    return plainScalar(item)
  }

  private skipSpaces(): void {
    while (this.text.charCodeAt(this.at) === 0x20) this.at += 1
  }
}
