import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

import { describe, expect, it } from 'vitest'

import { loadProject } from '../../src/config/load-project.js'
import { RULES } from '../../src/config/rules/index.js'

const FIXTURES = fileURLToPath(new URL('../fixtures/rules/', import.meta.url))

/** `# env: NAME=value` lines of the fixture files. */
function fixtureEnv(...files: string[]): Record<string, string> {
  const env: Record<string, string> = {}
  for (const file of files.filter(existsSync)) {
    for (const match of readFileSync(file, 'utf8').matchAll(/^# env: ([A-Z0-9_]+)=(.*)$/gm)) env[match[1]!] = match[2]!
  }
  return env
}

/** `file:line` of every `# expect: <rule>` marker. */
function expectedReports(rule: string, ...files: string[]): string[] {
  const out: string[] = []
  for (const file of files.filter(existsSync)) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (new RegExp(`#\\s*expect:\\s*${rule}\\s*$`).test(line)) out.push(`${relative(FIXTURES, file)}:${i + 1}`)
      })
  }
  return out.sort()
}

async function check(rule: string, variant: 'valid' | 'invalid') {
  const dir = join(FIXTURES, rule)
  const definitions = join(dir, `${variant}.yaml`)
  const ownConfig = join(dir, `cac.${variant}.yaml`)
  const config = existsSync(ownConfig) ? ownConfig : join(FIXTURES, 'cac.yaml')
  const report = await loadProject({
    cwd: FIXTURES,
    configPath: config,
    paths: [definitions],
    env: fixtureEnv(definitions, config),
    secretsRequired: false,
  })
  return { report, files: [definitions, config] }
}

describe('every rule has a valid and an invalid fixture', () => {
  it('the fixture folders match the rule list', () => {
    const folders = readdirSync(FIXTURES, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'empty')
      .map((entry) => entry.name)
      .sort()
    expect(folders).toEqual(RULES.map((rule) => rule.name).sort())
  })
})

describe.each(RULES.map((rule) => rule.name))('rule %s', (rule) => {
  it('accepts its valid fixture without any diagnostic', async () => {
    const { report } = await check(rule, 'valid')
    expect(report.diagnostics).toEqual([])
  })

  it('reports exactly the marked lines of its invalid fixture, and nothing else', async () => {
    const { report, files } = await check(rule, 'invalid')
    const expected = expectedReports(rule, ...files)
    expect(expected.length).toBeGreaterThan(0)
    const actual = report.diagnostics.map((d) => `${d.file}:${d.line}`).sort()
    expect(report.diagnostics.map((d) => d.code)).toEqual(report.diagnostics.map(() => rule))
    expect(actual).toEqual(expected)
    for (const d of report.diagnostics) {
      expect(d.message.length).toBeGreaterThan(20)
      expect(d.column).toBeGreaterThan(0)
    }
  })
})

describe('the README documents every rule', () => {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8')
  it.each(RULES.map((rule) => rule.name))('%s', (name) => {
    expect(readme).toContain(`| \`${name}\` |`)
  })
})

describe('the messages of the rules that keep what they found between documents', () => {
  it('batch-campaign-reference names the provider a campaign of that name is declared for, or the closest name', async () => {
    const { report } = await check('batch-campaign-reference', 'invalid')
    const messages = report.diagnostics.map((d) => d.message)
    expect(messages).toContainEqual(expect.stringMatching(/no SyllableCampaign named "Spring Renewals" .*declared for provider "syllable", not "syllable-eu"/))
    expect(messages).toContainEqual(expect.stringMatching(/no SyllableCampaign named "Spring Renewal" .*Spring Renewals/))
  })

  it('duplicate-identity points each declaration at the others', async () => {
    const { report } = await check('duplicate-identity', 'invalid')
    expect(report.diagnostics.length).toBeGreaterThan(1)
    for (const d of report.diagnostics) expect(d.message).toMatch(/is declared more than once; also at \S+\.yaml:\d+/)
  })

  it('clock-time and daily-window-order answer the same for a time read again', async () => {
    const first = await check('clock-time', 'invalid')
    const again = await check('clock-time', 'invalid')
    expect(again.report.diagnostics).toEqual(first.report.diagnostics)
    const window = await check('daily-window-order', 'invalid')
    expect(window.report.diagnostics.map((d) => d.message)).toContainEqual(expect.stringMatching(/the window ends at .* but starts at .*; the start must be before the end/))
  })
})
