import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { readBlockYaml } from '../../src/config/block-yaml.js'
import { jsYamlWithCoreSchema } from '../../src/config/core-schema.js'
import { REPO_ROOT } from '../helpers/run-cli.js'

/** CAC_PROPERTY_RUNS=N runs the property tests N times as long (for a search longer than the suite's). */
const RUN_FACTOR = Math.max(1, Number(process.env.CAC_PROPERTY_RUNS ?? 1))

/** js-yaml's reading of one document (the reference), or 'error'. */
function reference(text: string): { value: unknown } | 'error' {
  try {
    const value = jsYamlWithCoreSchema().load(text, 'f.yaml')
    return { value: value === undefined ? null : value }
  } catch {
    return 'error'
  }
}

/** Equal as JSON-like values, with Object.is for numbers (-0 and NaN), key order included, prototypes plain. */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b)
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, (b as unknown[])[i]))
  const keysA = Object.keys(a)
  const keysB = Object.keys(b)
  return keysA.length === keysB.length && keysA.every((key, i) => key === keysB[i] && sameValue((a as never)[key], (b as never)[key]))
}

/** The reader either gives up or reads exactly what js-yaml reads; where js-yaml refuses the text, it gives up. */
function expectAgreement(text: string): 'read' | 'gave up' {
  const quick = readBlockYaml(text)
  if (quick === undefined) return 'gave up'
  const expected = reference(text)
  expect(expected, `js-yaml refuses ${JSON.stringify(text)}, which the block reader read`).not.toBe('error')
  if (expected !== 'error' && !sameValue(quick.value, expected.value)) {
    expect.fail(`${JSON.stringify(text)}: block reader ${JSON.stringify(quick.value)}, js-yaml ${JSON.stringify(expected.value)}`)
  }
  return 'read'
}

const CAMPAIGN = `kind: SyllableCampaign
provider: syllable
spec:
  campaign_name: Bench Campaign 7   # the identity
  caller_id: "+19995550007"
  campaign_variables: {region: us-east, cohort: "7", note: 'a, b'}
  active_days: [mon, tue, "wed", 'thu', fri]   # a comment after a flow list

  daily_start_time: "09:00:00"
  hourly_rate: 25
  retry_interval: 30m
  labels:
  - a
  - b
  webhooks:
    - url: https://hooks.example.com/x?a=1#frag
      request_method: POST
      trigger_statuses: [COMPLETED]
      rules:
        - {field: line_type, op: in, values: [mobile, "a, b", [x]]}
        - {field: mcc, values: []}
      nested:
        -
          deep: -1x
        - inner: 2
          more: [x]
    - url: https://hooks.example.com/y
  empty:
  empty_list: []
  empty_map: { }
  text: it's "fine" here
`

describe('the block reader', () => {
  it('reads the shape definition files have, exactly as js-yaml does', () => {
    expect(expectAgreement(CAMPAIGN)).toBe('read')
    expect(readBlockYaml(CAMPAIGN)!.value).toMatchObject({ spec: { campaign_variables: { note: 'a, b' }, labels: ['a', 'b'], empty: null } })
  })

  it('reads every document of the repository examples that it takes exactly as js-yaml does', () => {
    const folder = join(REPO_ROOT, 'campaigns')
    let read = 0
    for (const name of readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((file) => /\.ya?ml$/.test(file))) {
      for (const document of readFileSync(join(folder, name), 'utf8').split(/^---[ ]*$/m)) {
        if (document.includes('${env:')) continue
        if (expectAgreement(document) === 'read') read += 1
      }
    }
    expect(read).toBeGreaterThan(0)
  })

  it('reads a text the same way whatever was read before it (texts it keeps for the next document included)', () => {
    // Pairs that fall in the same kept slot (same length, first and last characters), read in turn.
    const documents = [
      'mon: 25\nman: [mon, man, "mon", \'man\']\n',
      'man: "25"\nmon: \'25\'\nkey: 25\nkay: 2.5\n',
      'a: true\nb: tree\nc: "true"\nd: [true, tree]\n',
      'k: "a\\\\b"\nl: \'a\\\\b\'\nm: \'a\\b\'\nn: "a\\b"\n',
      'on: x:y\nox: 10:00\n',
      'on: [x:y]\n',
    ]
    for (let round = 0; round < 2; round += 1) {
      for (const document of [...documents, ...[...documents].reverse()]) expectAgreement(document)
    }
    expect(readBlockYaml('man: "25"\nmon: 25\n')!.value).toEqual({ man: '25', mon: 25 })
    expect(readBlockYaml('mon: 25\nman: "25"\n')!.value).toEqual({ mon: 25, man: '25' })
  })

  it.each([
    ['a block scalar', 'a: |\n  text\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
    ['an escape', 'a: "x\\ty"\n'],
    ['a doubled quote', "a: 'it''s'\n"],
    ['a repeated key', 'a: 1\na: 2\n'],
    ['a repeated flow key', 'a: {b: 1, b: 2}\n'],
    ['a quoted key', '"a": 1\n'],
    ['a key a core rule would read', 'true: 1\n'],
    ['__proto__', '__proto__: {a: 1}\n'],
    ['a comment after a nested flow collection', 'a: [b, [c]] # note\n'],
    ['a flow mapping with a quoted key', 'a: {"b": 1}\n'],
    ['a comment inside a flow collection', 'a: [b, # note\n'],
    ['a comment after a flow collection holding a quoted bracket', 'a: ["b]", c] # note\n'],
    ['a trailing comma', 'a: [b, ]\n'],
    ['a lone scalar document', 'just text\n'],
    ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['a value after a quoted scalar', 'a: "b" c\n'],
    ['a colon inside a plain value', 'a: b: c\n'],
    ['a sequence of sequences on one line', 'a:\n - - b\n - c\n'],
    ['a carriage return', 'a: 1\r\nb: 2\r\n'],
    ['a key over 256 characters', `${'k'.repeat(300)}: 1\n`],
  ])('gives up on %s', (_what, text) => {
    expect(readBlockYaml(text)).toBeUndefined()
  })

  // Documents built from the pieces definition files are made of, with the characters YAML cares
  // about mixed in: whatever the reader reads, js-yaml reads the same.
  const SCALARS = [
    'text', 'two words', 'a#b', 'a #b', 'x:y', 'a:', ':a', '-a', '- a', '-', '?', '? a', '~', '', ' ', 'null', 'Null', 'true', 'False',
    '0', '-0', '+1', '1.5', '.5', '1e3', '1e400', '0x1F', '0o17', '.inf', '-.Inf', '.nan', '00', '1_000', '2026-01-01T00:00:00Z',
    '09:00', '+19995551234', "it's", 'say "hi"', '"quoted"', "'single'", '"with, comma"', '"a # b"', "''", '""', '"\\n"', '[a, b]',
    '[]', '{}', '{a: 1, b: "x"}', '{a: [1]}', '[a, {b: 1}]', '[ a ,b ]', '{ a : 1 }', '{a:1}', 'é ü ñ', '\u00a0x\u00a0', 'नमस्ते',
    '&anchor', '*alias', '!tag x', '|', '>', '%', '@x', '`x`', 'a\\b', '# only a comment', 'a ,b', '[a b, c]',
  ]
  const KEYS = ['a', 'b', 'key', 'campaign_name', 'x-y', '_k', 'A1', 'true', 'null', '1', '"q"', 'a b', 'k:', '__proto__']
  type Node = { scalar: string } | { mapping: [string, Node][] } | { sequence: Node[]; sameColumn: boolean }
  const { node } = fc.letrec<{ node: Node }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...SCALARS).map((scalar): Node => ({ scalar })),
      fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('node')), { minLength: 1, maxLength: 4 }).map((mapping): Node => ({ mapping })),
      fc.record({ sequence: fc.array(tie('node'), { minLength: 1, maxLength: 3 }), sameColumn: fc.boolean() }),
    ),
  }))
  /** The lines of `value` as the value of something at column `column` (after `key:` or `- `). */
  function render(value: Node, column: number, unit: number, out: string[], lead: string): void {
    const pad = (n: number) => ' '.repeat(n)
    if ('scalar' in value) {
      out.push(`${lead} ${value.scalar}`)
    } else if ('mapping' in value) {
      out.push(lead)
      for (const [key, child] of value.mapping) render(child, column + unit, unit, out, `${pad(column + unit)}${key}:`)
    } else {
      out.push(lead)
      const at = value.sameColumn && lead.trimEnd().endsWith(':') ? column : column + unit
      for (const child of value.sequence) render(child, at + 2, unit, out, `${pad(at)}-`)
    }
  }
  const generatedDocument = fc
    .tuple(fc.constantFrom(1, 2, 3, 4), fc.array(fc.tuple(fc.constantFrom(...KEYS), node), { minLength: 1, maxLength: 5 }), fc.constantFrom('', '# c', '   # c'))
    .map(([unit, entries, extra]) => {
      const out: string[] = []
      for (const [key, value] of entries) render(value, 0, unit, out, `${key}:`)
      out.push(extra)
      return `${out.join('\n')}\n`
    })

  it('agrees with js-yaml on generated documents', { timeout: 10_000 * RUN_FACTOR }, () => {
    let read = 0
    fc.assert(
      fc.property(generatedDocument, (text) => {
        if (expectAgreement(text) === 'read') read += 1
      }),
      { numRuns: 3000 * RUN_FACTOR },
    )
    expect(read).toBeGreaterThan(100)
  })

  it('agrees with js-yaml on definition-shaped documents with characters inserted, removed or replaced', { timeout: 10_000 * RUN_FACTOR }, () => {
    const significant = fc.constantFrom(' ', '  ', '\n', ':', '-', '#', '"', "'", ',', '[', ']', '{', '}', '?', '|', 'x', '0', '.', '\u00a0', '\\')
    const edit = fc.tuple(fc.nat(CAMPAIGN.length), fc.nat(3), significant)
    let read = 0
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let text = CAMPAIGN
        for (const [at, removed, inserted] of edits) {
          const position = at % (text.length + 1)
          text = text.slice(0, position) + inserted + text.slice(position + removed)
        }
        if (expectAgreement(text) === 'read') read += 1
      }),
      { numRuns: 5000 * RUN_FACTOR },
    )
    expect(read).toBeGreaterThan(100)
  })
})

describe('readBlockYaml: what a read value holds on to', () => {
  // V8 cuts longer texts out of a string as views of it: a value kept that way would keep its
  // whole file in memory for as long as a plan runs. Measured in a process of its own, where a
  // full collection can be asked for.
  it('keeps no file text alive through the values it read (plain, quoted and inside flow collections)', () => {
    const script = `
      const { readBlockYaml } = await import(${JSON.stringify(join(REPO_ROOT, 'dist/config/block-yaml.js'))})
      const used = () => { globalThis.gc(); globalThis.gc(); return process.memoryUsage().heapUsed }
      const kept = []
      const before = used()
      for (let file = 0; file < 16; file += 1) {
        // About 1 MB of text per file, most of it comments; the values are the only thing kept.
        const text = 'spec:\\n  campaign_name: Campaign number ' + file + ' of sixteen\\n' +
          '  description: "A longer quoted description ' + file + '"\\n' +
          '  campaign_variables: {region: a-region-named-at-length-' + file + '}\\n' +
          '  # a comment line that pads the file out to a size worth measuring\\n'.repeat(15000)
        kept.push(readBlockYaml(text).value)
      }
      process.stdout.write(JSON.stringify({ grownMb: (used() - before) / 2 ** 20, names: kept.map((v) => v.spec.campaign_name) }))
    `
    const run = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 })
    expect(run.stderr).toBe('')
    const { grownMb, names } = JSON.parse(run.stdout) as { grownMb: number; names: string[] }
    expect(names[15]).toBe('Campaign number 15 of sixteen')
    // Sixteen files' texts would be 16 MB; their values are a few hundred bytes (the last text read
    // may still be held by the script itself).
    expect(grownMb).toBeLessThan(3)
  })
})
