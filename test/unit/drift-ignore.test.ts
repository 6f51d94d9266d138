import { describe, expect, it } from 'vitest'

import { ignoreRule } from '../../src/workflow/drift-project.js'

describe('drift ignore patterns (ADDRESS_GLOB:FIELD_PATH)', () => {
  it('match the field and what lies below it, at addresses the glob matches', () => {
    const rule = ignoreRule('crm/campaign/*:webhooks')
    expect(rule.matches('crm/campaign/Spring', 'webhooks')).toBe(true)
    expect(rule.matches('crm/campaign/Spring', 'webhooks[0].url')).toBe(true)
    expect(rule.matches('crm/campaign/Spring', 'webhooks_extra')).toBe(false)
    expect(rule.matches('crm/batch/b-1', 'webhooks')).toBe(false)
  })

  it('split at the last colon, so a name may hold one', () => {
    const rule = ignoreRule('crm/campaign/Q1: renewals:hourly_rate')
    expect(rule.matches('crm/campaign/Q1: renewals', 'hourly_rate')).toBe(true)
    expect(rule.matches('crm/campaign/Q1: renewals', 'caller_id')).toBe(false)
  })

  it('treat the address as a whole-string glob', () => {
    const rule = ignoreRule('crm/campaign/Spring:labels')
    expect(rule.matches('crm/campaign/Spring Renewals', 'labels')).toBe(false)
    expect(rule.matches('crm/campaign/Spring', 'labels["team a"]')).toBe(true)
  })
})
