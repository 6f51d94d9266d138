import { describe, expect, it } from 'vitest'

import { isIanaTimeZone, suggestTimeZone } from '../../src/config/rules/timezone.js'

describe('IANA time zone names', () => {
  it('knows the names the runtime lists, and the current names it lists under older ones', () => {
    for (const name of ['Asia/Calcutta', 'America/New_York', 'Europe/Paris', 'UTC', 'Asia/Kolkata', 'Europe/Kyiv', 'America/Nuuk']) {
      expect(isIanaTimeZone(name), name).toBe(true)
    }
  })

  it('asks the runtime about names its list leaves out (aliases and fixed offsets)', () => {
    const listed = new Set(Intl.supportedValuesOf('timeZone'))
    for (const name of ['US/Eastern', 'Etc/GMT+5', 'Etc/UTC']) {
      expect(listed.has(name), `${name} is not in the runtime's list`).toBe(false)
      expect(isIanaTimeZone(name), name).toBe(true)
    }
  })

  it('refuses wrong case, unknown names and other shapes', () => {
    for (const name of ['asia/kolkata', 'ASIA/KOLKATA', 'Asia/Atlantis', 'Mars/Olympus', 'utc', '+05:30', '', 'Asia//Kolkata']) {
      expect(isIanaTimeZone(name), name).toBe(false)
    }
  })

  it('suggests the spelling the platforms want', () => {
    expect(suggestTimeZone('asia/kolkata')).toBe('Asia/Kolkata')
    expect(suggestTimeZone('Europe/Pariss')).toBe('Europe/Paris')
  })
})
