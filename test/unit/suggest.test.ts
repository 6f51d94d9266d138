import { describe, expect, it } from 'vitest'

import { closestMatch, editDistance } from '../../src/config/suggest.js'

describe('closestMatch', () => {
  it.each([
    ['caler_id', ['campaign_name', 'caller_id', 'campaign_variables'], 'caller_id'],
    ['hourly_rat', ['hourly_rate', 'retry_count'], 'hourly_rate'],
    ['SyllableCampain', ['SyllableCampaign', 'SyllableBatch', 'SarvamCampaign'], 'SyllableCampaign'],
    ['syllablecampaign', ['SyllableCampaign', 'SyllableBatch'], 'SyllableCampaign'],
    ['monday', ['mon', 'tue', 'wed'], 'mon'],
    ['Mon', ['Monday', 'Tuesday'], 'Monday'],
    ['campaign-name', ['campaign_name', 'caller_id'], 'campaign_name'],
    ['COMPLETE', ['COMPLETED', 'FAILED'], 'COMPLETED'],
  ])('suggests a near miss: %s → %s', (input, candidates, expected) => {
    expect(closestMatch(input, candidates)).toBe(expected)
  })

  it.each([
    ['GET', ['POST', 'PUT', 'PATCH']],
    ['completely_unrelated', ['caller_id', 'hourly_rate']],
    ['', ['a']],
  ])('stays quiet when nothing is close: %s', (input, candidates) => {
    expect(closestMatch(input, candidates)).toBeUndefined()
  })
})

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and transpositions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(editDistance('caller_id', 'caler_id')).toBe(1)
    expect(editDistance('ab', 'ba')).toBe(1)
    expect(editDistance('', 'abc')).toBe(3)
  })
})
