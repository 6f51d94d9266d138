import { describe, expect, it } from 'vitest'

import { diffSpecs, specAsAdditions } from '../../src/model/spec-diff.js'
import { formatFieldPath } from '../../src/model/values.js'
import { SENSITIVE } from '../../src/model/secret.js'

describe('diffSpecs', () => {
  it('reports nothing for equal specs, whatever the key order', () => {
    expect(diffSpecs({ a: 1, b: { x: 1, y: 2 } }, { b: { y: 2, x: 1 }, a: 1 })).toEqual([])
  })

  it('never reports a field the file does not declare', () => {
    expect(diffSpecs({ hourly_rate: 1, description: 'live only' }, { hourly_rate: 1 })).toEqual([])
  })

  it('reports a changed scalar with before and after', () => {
    expect(diffSpecs({ hourly_rate: 25 }, { hourly_rate: 30 })).toEqual([{ path: ['hourly_rate'], kind: 'change', before: 25, after: 30 }])
  })

  it('reports a declared field the platform lacks as an add', () => {
    expect(diffSpecs({}, { description: 'new' })).toEqual([{ path: ['description'], kind: 'add', after: 'new' }])
  })

  it('treats a list of scalars as one value', () => {
    expect(diffSpecs({ active_days: ['mon', 'tue'] }, { active_days: ['mon', 'tue', 'wed'] })).toEqual([
      { path: ['active_days'], kind: 'change', before: ['mon', 'tue'], after: ['mon', 'tue', 'wed'] },
    ])
    expect(diffSpecs({ labels: null }, { labels: ['a'] })).toEqual([{ path: ['labels'], kind: 'change', before: null, after: ['a'] }])
  })

  it('compares mappings inside a declared field key by key, including keys the file dropped', () => {
    expect(diffSpecs({ target_filters: { match: 'all', rules: [] } }, { target_filters: { match: 'any' } })).toEqual([
      { path: ['target_filters', 'match'], kind: 'change', before: 'all', after: 'any' },
      { path: ['target_filters', 'rules'], kind: 'remove', before: [] },
    ])
  })

  it('compares lists of mappings item by item', () => {
    const live = { webhooks: [{ url: 'https://a', request_method: 'POST' }] }
    const desired = { webhooks: [{ url: 'https://b', request_method: 'POST' }, { url: 'https://c', request_method: 'PUT' }] }
    expect(diffSpecs(live, desired)).toEqual([
      { path: ['webhooks', 0, 'url'], kind: 'change', before: 'https://a', after: 'https://b' },
      { path: ['webhooks', 1], kind: 'add', after: { url: 'https://c', request_method: 'PUT' } },
    ])
  })

  it('marks changes that involve a secret as sensitive', () => {
    const changes = diffSpecs({ webhooks: [{ auth_values: null }] }, { webhooks: [{ auth_values: { hmac_secret: SENSITIVE } }] })
    expect(changes).toEqual([{ path: ['webhooks', 0, 'auth_values'], kind: 'change', before: null, after: { hmac_secret: SENSITIVE }, sensitive: true }])
  })
})

describe('specAsAdditions', () => {
  it('lists every leaf of a spec to create, mappings flattened', () => {
    expect(specAsAdditions({ name: 'x', schedule: { start: '10:00' }, days: ['Monday'] }).map((c) => formatFieldPath(c.path))).toEqual([
      'days',
      'name',
      'schedule.start',
    ])
  })
})
