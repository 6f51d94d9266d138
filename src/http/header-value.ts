/**
 * Whether a string can be sent as an HTTP header value as it is. A credential pasted from a
 * file often ends with a line break, or carries a non-breaking space or a smart quote from a
 * document: such a key would fail (or be cut) in the request, so it is refused before any is sent.
 * The reason names the kind of character and where it is, never the value.
 */
export function headerValueProblem(value: string): string | undefined {
  if (value === '') return 'is empty'
  const first = value.charCodeAt(0)
  const last = value.charCodeAt(value.length - 1)
  if (isLineBreak(last)) return `ends with a line break (${describe(last)})`
  if (isSpace(first) || isSpace(last)) return `${isSpace(first) ? 'starts' : 'ends'} with a space or tab`
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i)
    if (isLineBreak(code)) return `contains a line break (${describe(code)}) at character ${i + 1}`
    if (code < 0x20 && code !== 0x09) return `contains a control character (${describe(code)}) at character ${i + 1}`
    if (code === 0x7f) return `contains a control character (U+007F) at character ${i + 1}`
    if (code > 0x7e) return `contains a character that is not plain ASCII (${describe(value.codePointAt(i)!)}) at character ${i + 1}`
  }
  return undefined
}

function isLineBreak(code: number): boolean {
  return code === 0x0a || code === 0x0d
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09
}

function describe(code: number): string {
  if (code === 0x0a) return '\\n'
  if (code === 0x0d) return '\\r'
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
}
