/** What the Markdown renderers share: GitHub's comment limit, escaping, and cutting sections to fit. */

/** GitHub's limit for a comment body is 65,536 characters; stay under it with room for the note. */
export const MARKDOWN_LIMIT = 65_000

/**
 * `head`, then as many `sections` as fit under `limit`; when some are left out, `note(remaining)`
 * says how many (and where to see them) instead.
 */
export function fitSections(head: string, sections: readonly string[], limit: number, note: (remaining: number) => string): string {
  let text = head
  for (let i = 0; i < sections.length; i += 1) {
    const section = sections[i]!
    const omitted = note(sections.length - i)
    if (text.length + section.length + omitted.length + 1 > limit) return `${text}\n${omitted}`
    text += `\n${section}`
  }
  return text
}

/** A table cell holding a value: code, HTML-escaped, pipes kept out of the table syntax. */
export function cell(text: string): string {
  return `<code>${escapeHtml(text).replace(/\|/g, '&#124;')}</code>`
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, ' ')
}

/** Plain text in Markdown: the characters that would format it escaped. */
export function escapeText(text: string): string {
  return text.replace(/[<>|`*_]/g, (c) => `\\${c}`)
}
