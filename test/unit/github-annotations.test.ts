import { describe, expect, it } from 'vitest'

import { knownSecrets } from '../../src/model/secret-scrubber.js'
import { SENSITIVE } from '../../src/model/secret.js'
import { formatAnnotation } from '../../src/render/github-commands.js'

describe('formatAnnotation', () => {
  it('escapes what GitHub parses: %, line breaks in the message; also : and , in properties', () => {
    expect(formatAnnotation('error', { file: 'campaigns/a,b:c.yaml', line: 3, col: 5, title: 'x/campaign/50%: a, b' }, 'first line\nsecond: 100%, done\r\nthird')).toBe(
      '::error file=campaigns/a%2Cb%3Ac.yaml,line=3,col=5,title=x/campaign/50%25%3A a%2C b::first line%0Asecond: 100%25, done%0Athird',
    )
  })

  it('writes other control characters as \\u{…} escapes, so a name cannot colour or rewrite the log', () => {
    expect(formatAnnotation('notice', { title: 'evil\u001b[2J' }, 'name \u001b[31mred\u202e')).toBe('::notice title=evil\\u{001b}[2J::name \\u{001b}[31mred\\u{202e}')
  })

  it('leaves out a line without a file, and a column without a line; no properties at all is `::level::`', () => {
    expect(formatAnnotation('warning', { line: 4, col: 2 }, 'm')).toBe('::warning::m')
    expect(formatAnnotation('warning', { file: 'f.yaml', col: 2 }, 'm')).toBe('::warning file=f.yaml::m')
  })

  it('masks a known secret before escaping, also URL-encoded (whose % escaping would hide it from the output scrubber)', () => {
    const secret = 'k3y/with+plus=and%percent'
    knownSecrets.register(secret)
    const annotation = formatAnnotation('error', { title: 'x' }, `echoed ${encodeURIComponent(secret)} and ${secret}`)
    expect(annotation).toBe(`::error title=x::echoed ${SENSITIVE} and ${SENSITIVE}`)
  })
})
