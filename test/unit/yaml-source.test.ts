import { describe, expect, it } from 'vitest'

import { interpolateDocument } from '../../src/config/interpolate.js'
import { Diagnostics } from '../../src/model/diagnostic.js'
import { materialise, parseYamlDocuments } from '../../src/config/yaml-source.js'

function parse(text: string) {
  const diagnostics = new Diagnostics()
  const documents = parseYamlDocuments('f.yaml', text, diagnostics)
  return { documents, diagnostics: diagnostics.sorted() }
}

const CAMPAIGN = `kind: SyllableCampaign
provider: syllable
spec:
  campaign_name: Spring
  active_days: [mon, tue]
  webhooks:
    - url: https://a.example.com
      trigger_statuses: [COMPLETED]
`

describe('SourceDocument positions', () => {
  it('maps data paths to the line and column of values and keys', () => {
    const [doc] = parse(CAMPAIGN).documents
    expect(doc!.position(['spec', 'campaign_name'])).toEqual({ line: 4, column: 18 })
    expect(doc!.position(['spec', 'campaign_name'], { key: true })).toEqual({ line: 4, column: 3 })
    expect(doc!.position(['spec', 'active_days', 1])).toEqual({ line: 5, column: 22 })
    expect(doc!.position(['spec', 'webhooks', 0, 'trigger_statuses', 0])).toEqual({ line: 8, column: 26 })
  })

  it('falls back to the nearest enclosing node for paths not in the source', () => {
    const [doc] = parse(CAMPAIGN).documents
    expect(doc!.position(['spec', 'caller_id'])).toEqual({ line: 4, column: 3 })
    expect(doc!.position(['spec', 'webhooks', 0, 'request_method'])).toEqual({ line: 7, column: 7 })
  })

  it('numbers lines across documents of one file', () => {
    const { documents } = parse(`${CAMPAIGN}---\nkind: SyllableBatch\nspec:\n  batch_id: b\n`)
    expect(documents[1]!.start).toEqual({ line: 10, column: 1 })
    expect(documents[1]!.position(['spec', 'batch_id'])).toEqual({ line: 12, column: 13 })
  })

  it('follows aliases to where the anchored value is written', () => {
    const [doc] = parse('base: &hook {url: https://x.example.com}\nspec:\n  webhooks: [*hook]\n').documents
    expect(doc!.position(['spec', 'webhooks', 0, 'url'])).toEqual({ line: 1, column: 19 })
  })

  it('keeps the source text of a node for messages', () => {
    const [doc] = parse('caller_id: +19995551234\n').documents
    expect(doc!.sourceTextAt(['caller_id'])).toBe('+19995551234')
  })
})

describe('parseYamlDocuments', () => {
  it('reports duplicate keys with the key and its position', () => {
    const { diagnostics, documents } = parse('kind: A\nspec: {}\nkind: B\n')
    expect(documents).toEqual([])
    expect(diagnostics).toEqual([
      expect.objectContaining({ line: 3, column: 1, code: 'yaml', message: expect.stringContaining('duplicate key "kind"') }),
    ])
  })

  it('explains tabs used for indentation', () => {
    const { diagnostics } = parse('spec:\n\tname: x\n')
    expect(diagnostics[0]).toMatchObject({ line: 2, column: 1, message: expect.stringMatching(/tab character/) })
  })

  it('refuses mapping keys that are collections', () => {
    const { diagnostics } = parse('? [a, b]\n: 1\n')
    expect(diagnostics[0]).toMatchObject({ line: 1, message: expect.stringMatching(/plain scalars/) })
  })

  it('does not resolve YAML 1.1 tags such as !!binary', () => {
    const { documents, diagnostics } = parse('a: !!binary aGVsbG8=\n')
    expect(diagnostics[0]).toMatchObject({ severity: 'warning', message: expect.stringMatching(/unsupported tag/) })
    materialise(documents[0]!, new Diagnostics())
    expect(documents[0]!.value).toEqual({ a: 'aGVsbG8=' })
  })

  it('supports merge keys', () => {
    const { documents } = parse('base: &b {hourly_rate: 5}\nspec:\n  <<: *b\n  retry_count: 1\n')
    materialise(documents[0]!, new Diagnostics())
    expect(documents[0]!.value).toEqual({ base: { hourly_rate: 5 }, spec: { hourly_rate: 5, retry_count: 1 } })
  })
})

describe('materialise', () => {
  it('stops an alias bomb with a clear message', () => {
    let text = 'a: &a [x, x, x, x, x, x, x, x, x, x]\n'
    let previous = 'a'
    for (const name of ['b', 'c', 'd', 'e', 'f', 'g']) {
      text += `${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]\n`
      previous = name
    }
    const { documents } = parse(text)
    const diagnostics = new Diagnostics()
    expect(materialise(documents[0]!, diagnostics)).toBe(false)
    expect(diagnostics.sorted()[0]).toMatchObject({ line: 2, message: expect.stringMatching(/anchors and aliases expand too much/) })
  })
})

describe('interpolateDocument', () => {
  it('gives a plain whole-expression scalar the type of its value, and keeps quoted ones as text', () => {
    const { documents } = parse('a: ${env:RATE}\nb: "${env:RATE}"\nc: ${env:FLAG}\nd: rate-${env:RATE}\ne: ${env:PHONE}\n')
    const problems = interpolateDocument(documents[0]!, { RATE: '25', FLAG: 'true', PHONE: '+19995551234' })
    materialise(documents[0]!, new Diagnostics())
    expect(problems).toEqual([])
    expect(documents[0]!.value).toEqual({ a: 25, b: '25', c: true, d: 'rate-25', e: 19995551234 })
  })

  it('reports unset variables and bad references at their data path', () => {
    const { documents } = parse('spec:\n  list: [ok, "${env:NOPE}"]\n  bad: ${env:no-good}\n')
    const problems = interpolateDocument(documents[0]!, {})
    expect(problems).toEqual([
      expect.objectContaining({ path: ['spec', 'list', 1], kind: 'unset', variable: 'NOPE' }),
      expect.objectContaining({ path: ['spec', 'bad'], kind: 'syntax' }),
    ])
  })

  it('remembers which values came from the environment', () => {
    const { documents } = parse('spec:\n  secret: ${env:S}\n  plain: x\n')
    interpolateDocument(documents[0]!, { S: 'value' })
    expect(documents[0]!.interpolationAt(['spec', 'secret'])).toMatchObject({ raw: '${env:S}' })
    expect(documents[0]!.interpolationAt(['spec', 'plain'])).toBeUndefined()
    expect(documents[0]!.isFromEnvironment(['spec'])).toBe(true)
  })
})
