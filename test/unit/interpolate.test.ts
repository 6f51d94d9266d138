import { describe, expect, it } from 'vitest'

import { interpolateString } from '../../src/config/interpolate.js'

describe('interpolateString', () => {
  it('replaces a set variable', () => {
    const result = interpolateString('region-${env:REGION}', { REGION: 'us-east' })
    expect(result.text).toBe('region-us-east')
    expect(result.references).toEqual([{ name: 'REGION', defaultValue: undefined, resolution: 'variable' }])
    expect(result.wholeExpression).toBe(false)
  })

  it('uses the default when the variable is unset or empty, as POSIX shells do', () => {
    expect(interpolateString('${env:RATE:-25}', {}).text).toBe('25')
    expect(interpolateString('${env:RATE:-25}', { RATE: '' }).text).toBe('25')
    expect(interpolateString('${env:RATE:-25}', { RATE: '40' }).text).toBe('40')
    expect(interpolateString('${env:KEY:-}', {}).text).toBe('')
  })

  it('keeps everything after ":-" as the default, colons included', () => {
    expect(interpolateString('${env:URL:-https://api.example.com:8443}', {}).text).toBe('https://api.example.com:8443')
  })

  it('records an unset variable without a default', () => {
    const result = interpolateString('${env:MISSING}', {})
    expect(result.text).toBe('')
    expect(result.references).toEqual([{ name: 'MISSING', defaultValue: undefined, resolution: 'unset' }])
  })

  it('counts an empty variable without a default as unset (CI passes an unconfigured secret as "")', () => {
    expect(interpolateString('${env:SECRET}', { SECRET: '' }).references).toEqual([{ name: 'SECRET', defaultValue: undefined, resolution: 'unset' }])
    expect(interpolateString('${env:SECRET:-}', { SECRET: '' }).references).toEqual([{ name: 'SECRET', defaultValue: '', resolution: 'default' }])
  })

  it('expands several references in one string', () => {
    const result = interpolateString('${env:A}/${env:B:-b}/${env:C}', { A: 'a', C: 'c' })
    expect(result.text).toBe('a/b/c')
    expect(result.references.map((ref) => ref.resolution)).toEqual(['variable', 'default', 'variable'])
  })

  it('marks a string that is exactly one expression', () => {
    expect(interpolateString('${env:RATE}', { RATE: '1' }).wholeExpression).toBe(true)
    expect(interpolateString(' ${env:RATE}', { RATE: '1' }).wholeExpression).toBe(false)
  })

  it('writes a literal ${env: for $${env:', () => {
    const result = interpolateString('$${env:NOT_EXPANDED}', { NOT_EXPANDED: 'x' })
    expect(result.text).toBe('${env:NOT_EXPANDED}')
    expect(result.references).toEqual([])
  })

  it('leaves other ${…} text alone (message templates)', () => {
    const result = interpolateString('Hi ${first_name}, your ${env:PRODUCT} policy', { PRODUCT: 'home' })
    expect(result.text).toBe('Hi ${first_name}, your home policy')
    expect(result.problems).toEqual([])
  })

  it('reports malformed references instead of guessing', () => {
    expect(interpolateString('${env:bad-name}', {}).problems[0]).toMatch(/not a valid reference/)
    expect(interpolateString('${env:}', {}).problems[0]).toMatch(/not a valid reference/)
    expect(interpolateString('${env:NAME', {}).problems[0]).toMatch(/unterminated/)
  })
})
