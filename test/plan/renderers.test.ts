import { describe, expect, it } from 'vitest'

import type { Plan, ResourceChange } from '../../src/model/plan.js'
import { SecretValue, SENSITIVE } from '../../src/model/secret.js'
import { planToJson } from '../../src/render/plan-json.js'
import { formatPlanMarkdown, MARKDOWN_LIMIT } from '../../src/render/plan-markdown.js'
import { formatPlanSummary, formatPlanText } from '../../src/render/plan-text.js'

const SECRET = 'dG9wLXNlY3JldC12YWx1ZS10aGF0LW11c3Qtbm90LWxlYWstb3V0LQ=='

function change(overrides: Partial<ResourceChange>): ResourceChange {
  return { address: 'syllable/campaign/A', kind: 'SyllableCampaign', provider: 'syllable', name: 'A', action: 'noop', fields: [], desired: {}, dependsOn: [], ...overrides }
}

function planOf(changes: ResourceChange[]): Plan {
  const count = (action: string) => changes.filter((c) => c.action === action).length
  return {
    targets: [{ provider: 'syllable', type: 'syllable', target: 'sandbox (.cac/sandbox.json)' }],
    changes,
    unmanaged: [{ address: 'syllable/campaign/Legacy', kind: 'SyllableCampaign', provider: 'syllable', name: 'Legacy', id: 12 }],
    summary: { create: count('create'), update: count('update'), blocked: count('blocked'), error: count('error'), noop: count('noop'), unmanaged: 1 },
  }
}

const SAMPLE = planOf([
  change({ address: 'syllable/campaign/New', action: 'create', fields: [{ path: ['hourly_rate'], kind: 'add', after: 5 }], desired: { hook: new SecretValue('S', SECRET) } }),
  change({
    address: 'syllable/campaign/Old',
    action: 'update',
    fields: [
      { path: ['hourly_rate'], kind: 'change', before: 25, after: 30 },
      { path: ['webhooks', 0, 'auth_values', 'hmac_secret'], kind: 'add', after: SENSITIVE, sensitive: true },
    ],
  }),
  change({ address: 'sarvam/campaign/hi', action: 'blocked', reason: 'campaign is active' }),
  change({ address: 'syllable/campaign/Same' }),
])

describe('text plan', () => {
  it('names the targets, shows each change with before → after, unmanaged resources, and the summary', () => {
    const text = formatPlanText(SAMPLE, { color: false })
    expect(text).toContain('Targets:\n  syllable → sandbox (.cac/sandbox.json)')
    expect(text).toContain('+ create  syllable/campaign/New\n      hourly_rate: 5')
    expect(text).toContain('~ update  syllable/campaign/Old\n      hourly_rate: 25 → 30\n      webhooks[0].auth_values.hmac_secret: (none) → (sensitive)')
    expect(text).toContain('! blocked  sarvam/campaign/hi: campaign is active')
    expect(text).not.toContain('syllable/campaign/Same')
    expect(text).toContain('Unmanaged (on the platform, in no file; left alone):\n  syllable/campaign/Legacy  (id 12)')
    expect(text.trimEnd().split('\n').pop()).toBe('Plan: 1 to create, 1 to update, 1 blocked, 1 unchanged.')
    expect(text).not.toContain(SECRET)
    expect(text).not.toMatch(/\u001b\[/)
  })

  it('says "No changes." when nothing is pending', () => {
    expect(formatPlanSummary(planOf([change({})]))).toBe('No changes. Plan: 0 to create, 0 to update, 1 unchanged.')
  })

  it('colours only when asked', () => {
    expect(formatPlanText(SAMPLE, { color: true })).toMatch(/\u001b\[32m\+ create/)
  })
})

describe('JSON plan', () => {
  it('is a versioned envelope with a stable key order, noop included, secrets masked', () => {
    const json = planToJson(SAMPLE)
    const body = JSON.parse(json) as Record<string, unknown>
    expect(Object.keys(body)).toEqual(['format_version', 'targets', 'summary', 'changes', 'unmanaged'])
    expect(body.summary).toEqual({ create: 1, update: 1, blocked: 1, error: 0, noop: 1, unmanaged: 1 })
    expect((body.changes as unknown[])[1]).toEqual({
      address: 'syllable/campaign/Old',
      kind: 'SyllableCampaign',
      provider: 'syllable',
      name: 'A',
      action: 'update',
      reason: null,
      live_id: null,
      live_status: null,
      notice: null,
      fields: [
        { path: 'hourly_rate', kind: 'change', before: 25, after: 30, sensitive: false },
        { path: 'webhooks[0].auth_values.hmac_secret', kind: 'add', before: null, after: '(sensitive)', sensitive: true },
      ],
    })
    expect(json).not.toContain(SECRET)
  })
})

describe('markdown plan', () => {
  it('puts the summary first and a collapsible section per changed resource', () => {
    const text = formatPlanMarkdown(SAMPLE)
    expect(text.split('\n')[0]).toBe('### Plan: 1 to create, 1 to update, 1 blocked, 1 unchanged.')
    expect(text).toContain('<details><summary>🟡 <b>update</b> <code>syllable/campaign/Old</code></summary>')
    expect(text).toContain('| <code>hourly_rate</code> | <code>25</code> | <code>30</code> |')
    expect(text).not.toContain(SECRET)
  })

  it('stays under the limit and says how many sections were left out', () => {
    const many = planOf(
      Array.from({ length: 3000 }, (_, i) =>
        change({ address: `syllable/campaign/C${i}`, action: 'update', fields: [{ path: ['description'], kind: 'change', before: 'x'.repeat(40), after: 'y'.repeat(40) }] }),
      ),
    )
    const text = formatPlanMarkdown(many)
    expect(text.length).toBeLessThanOrEqual(MARKDOWN_LIMIT)
    expect(text).toMatch(/> \*\*Note:\*\* \d+ more sections are not shown: a comment is limited to 65,000 characters/)
  })

  it('escapes table-breaking characters', () => {
    const text = formatPlanMarkdown(planOf([change({ action: 'update', fields: [{ path: ['description'], kind: 'change', before: 'a|b', after: '<script>' }] })]))
    expect(text).toContain('&quot;a&#124;b&quot;'.replace(/&quot;/g, '"'))
    expect(text).toContain('&lt;script&gt;')
  })
})
