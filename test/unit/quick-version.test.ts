import { fileURLToPath } from 'node:url'

import { Config } from '@oclif/core'
import { describe, expect, it } from 'vitest'

import { quickVersionLine } from '../../src/cli/quick-version.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

describe('the version answered before oclif loads', () => {
  it('is the line oclif prints for --version', async () => {
    const config = await Config.load(ROOT)
    expect(quickVersionLine(['--version'])).toBe(config.userAgent)
  })

  it('answers every way of asking for the version that oclif answers', () => {
    const line = quickVersionLine(['--version'])
    expect(line).toMatch(/^campaigns-as-code\/\d+\.\d+\.\d+ \S+-\S+ node-v\d+/)
    for (const argv of [['-v'], ['version'], ['--version', 'anything'], ['-v', '--json']]) expect(quickVersionLine(argv), argv.join(' ')).toBe(line)
  })

  it('leaves everything else to oclif', () => {
    for (const argv of [[], ['validate'], ['version', '--help'], ['version', '-h'], ['validate', '--version'], ['--help'], ['ver']]) {
      expect(quickVersionLine(argv), argv.join(' ')).toBeUndefined()
    }
  })
})
