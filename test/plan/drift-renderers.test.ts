import { describe, expect, it } from 'vitest'

import type { DriftEntry, DriftReport } from '../../src/model/drift.js'
import { SecretValue } from '../../src/model/secret.js'
import { formatDriftGithub, formatDriftMarkdown } from '../../src/render/drift-annotated.js'
import { driftToJson, formatDriftText } from '../../src/render/drift-report.js'
import { createStyle } from '../../src/render/style.js'

function drifted(i: number, value: unknown): DriftEntry {
  return {
    address: `crm/campaign/Campaign ${i}`,
    kind: 'Campaign',
    provider: 'crm',
    name: `Campaign ${i}`,
    state: 'drifted',
    fields: [{ path: ['description'], kind: 'change', file: value, live: `${String(value)} (edited)`, sensitive: false, line: 7 }],
    ignored: 0,
    changedBy: 'someone@example.com',
    changedAt: '2026-11-24T00:00:00Z',
    source: { file: 'campaigns/a.yaml', line: 1 },
  }
}

function report(entries: DriftEntry[]): DriftReport {
  return {
    targets: [{ provider: 'crm', type: 'crm', target: 'https://api.example.com' }],
    entries,
    summary: { drifted: entries.length, missing: 0, pending: 0, unmanaged: 0, error: 0, inSync: 0, ignored: 0 },
    withoutActor: [],
    unusedIgnores: [],
  }
}

describe('drift renderers', () => {
  it('markdown stays under 65,000 characters, the summary first, and says how many sections it left out', () => {
    const text = formatDriftMarkdown(report(Array.from({ length: 3000 }, (_, i) => drifted(i, 'x'.repeat(100)))))
    expect(text.length).toBeLessThanOrEqual(65_000)
    expect(text.split('\n')[0]).toBe('### Drift: 3000 drifted, 0 missing, 0 pending, 0 unmanaged, 0 in sync.')
    expect(text).toMatch(/> \*\*Note:\*\* \d+ more sections are not shown/)
  })

  it('a secret is never shown, in any format, and a sensitive field reads (sensitive)', () => {
    const secret = new SecretValue('HOOK_SECRET', 'do-not-print-me-0001')
    const entry: DriftEntry = { ...drifted(1, 'a'), fields: [{ path: ['webhooks', 0, 'auth_values', 'hmac_secret'], kind: 'change', file: secret, live: secret, sensitive: true }] }
    const outputs = [formatDriftText(report([entry]), createStyle(false)), driftToJson(report([entry])), formatDriftMarkdown(report([entry])), formatDriftGithub(report([entry]))]
    for (const output of outputs) {
      expect(output).not.toContain('do-not-print-me')
      expect(output).toContain('(sensitive)')
    }
  })

  it('github annotations escape what would end the command or its properties', () => {
    const entry: DriftEntry = { ...drifted(1, 'line one\nline two: 100%'), source: { file: 'campaigns/a,b.yaml', line: 1 } }
    const [first] = formatDriftGithub(report([entry])).split('\n')
    expect(first).toMatch(/^::warning file=campaigns\/a%2Cb\.yaml,line=7,title=cac drift%3A drifted::/)
    expect(first).not.toContain('\n')
    expect(first).toContain('100%25')
  })
})
