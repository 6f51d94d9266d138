import { describe, expect, it } from 'vitest'

import { interpolateString, MAX_DEFAULT_NESTING } from '../../src/config/interpolate.js'

const resolutions = (raw: string, env: Record<string, string>) =>
  interpolateString(raw, env).references.map((ref) => `${ref.name}:${ref.resolution}`)

describe('defaults that hold references: ${env:A:-${env:B}}', () => {
  it.each([
    [{ A: 'a', B: 'b' }, 'a', ['A:variable']],
    [{ A: 'a' }, 'a', ['A:variable']],
    [{ B: 'b' }, 'b', ['A:default', 'B:variable']],
    [{ A: '', B: 'b' }, 'b', ['A:default', 'B:variable']],
    [{}, '', ['A:default', 'B:unset']],
  ])('with %j gives %j', (env, text, references) => {
    const result = interpolateString('${env:A:-${env:B}}', env)
    expect(result.text).toBe(text)
    expect(result.references.map((ref) => `${ref.name}:${ref.resolution}`)).toEqual(references)
    expect(result.problems).toEqual([])
    expect(result.wholeExpression).toBe(true)
  })

  it('reads the inner variable only when the default is used', () => {
    expect(resolutions('${env:A:-${env:B}}', { A: 'a' })).toEqual(['A:variable'])
  })

  it('nests with text around the inner reference, and a last literal default', () => {
    expect(interpolateString('${env:A:-x-${env:B:-y}-z}!', {}).text).toBe('x-y-z!')
    expect(interpolateString('${env:A:-${env:B:-${env:C:-25}}}', { C: '7' }).text).toBe('7')
    expect(interpolateString('${env:A:-${env:B:-${env:C:-25}}}', {}).text).toBe('25')
    expect(interpolateString('${env:A:-${env:B}}', {}).references[0]!.defaultValue).toBe('${env:B}')
  })

  it('keeps a message template and an escaped reference in a default as text', () => {
    expect(interpolateString('${env:GREETING:-Hi ${first_name}}', {}).text).toBe('Hi ${first_name}')
    expect(interpolateString('${env:A:-$${env:B}}', { B: 'b' }).text).toBe('${env:B}')
  })

  it(`allows ${MAX_DEFAULT_NESTING} levels and refuses one more, leaving the text as written`, () => {
    const nested = (levels: number) => '${env:A:-'.repeat(levels) + 'x' + '}'.repeat(levels)
    expect(interpolateString(nested(MAX_DEFAULT_NESTING), {})).toMatchObject({ text: 'x', problems: [] })
    const tooDeep = interpolateString(nested(MAX_DEFAULT_NESTING + 1), {})
    expect(tooDeep.problems).toEqual([`defaults nest more than ${MAX_DEFAULT_NESTING} levels deep (\${env:A:-\${env:B:-…}}); write fewer levels`])
    expect(tooDeep.text).toBe(nested(MAX_DEFAULT_NESTING + 1))
  })

  it('refuses 100,000 levels at once, without running out of stack', () => {
    const hostile = '${env:A:-'.repeat(100_000) + 'x'
    const result = interpolateString(hostile, {})
    expect(result.problems).toHaveLength(1)
    expect(result.text).toBe(hostile)
  })

  it.each([
    ['${env:A:-${env:B}', 'unterminated ${env:… expression: add the closing "}"'],
    ['${env:A:-${env:B', 'unterminated ${env:… expression: add the closing "}"'],
    ['${env:A:-${env:bad-name}}', '"${env:bad-name}" is not a valid reference'],
    ['${env:bad-name:-${env:B}}', '"${env:bad-name:-${env:B}}" is not a valid reference'],
  ])('reports %s once, as written', (raw, problem) => {
    const result = interpolateString(raw, { B: 'b' })
    expect(result.problems).toHaveLength(1)
    expect(result.problems[0]).toContain(problem)
    expect(result.wholeExpression).toBe(false)
  })
})
