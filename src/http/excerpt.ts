/**
 * Text a server sent, made safe to put in one line of terminal output: a server must not be able
 * to move the cursor, ring the bell, recolour the screen, reorder the line (bidi overrides) or
 * fill the screen through an error message. Used for every piece of a response that reaches a
 * message (error bodies, FastAPI `detail`, a redirect's host).
 */

/** C0 and C1 controls (ESC, BEL, CR, LF, TAB…), DEL, and the Unicode format characters that reorder or hide text. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g

/** The longest excerpt of a response put in a message. */
export const EXCERPT_LENGTH = 200

/** One line, no control or bidi characters, runs of white space collapsed, at most `max` characters. */
export function safeExcerpt(text: string, max = EXCERPT_LENGTH): string {
  const flat = text.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim()
  if (flat.length <= max) return flat
  // Cut on a code point boundary, not in the middle of a surrogate pair.
  return `${Array.from(flat).slice(0, max - 1).join('')}…`
}

/** How much of an HTML page is looked at for an excerpt (the text that matters comes first). */
const HTML_SCAN_LENGTH = 8192

/** An HTML page reduced to its text (tags, scripts and styles dropped), for an excerpt. */
export function htmlText(html: string): string {
  return html
    .slice(0, HTML_SCAN_LENGTH)
    .replace(/<(script|style)\b[\s\S]*?(<\/\1\s*>|$)/gi, ' ')
    .replace(/<[^>]*>?/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&amp;/gi, '&')
}
