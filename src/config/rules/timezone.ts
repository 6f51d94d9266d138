import { closestMatch } from '../suggest.js'
import { documentsOfKind, mappingAt, stringAt, type Rule } from './rule.js'

/** Each path segment of an IANA zone name starts with a capital (e.g. America/Port-au-Prince, Etc/GMT+5). */
const IANA_SHAPE = /^[A-Z][A-Za-z0-9_+-]*(\/[A-Z][A-Za-z0-9_+-]*)*$/

/**
 * True when the name is an IANA time zone the runtime knows, spelled with its exact case (the
 * platforms' servers look zones up case-sensitively, while Intl does not).
 */
export function isIanaTimeZone(name: string): boolean {
  if (!IANA_SHAPE.test(name)) return false
  // The runtime's own list answers most names at once; another name (an alias such as US/Eastern)
  // is asked of a formatter, whose first construction costs ten times more than the whole list.
  const listed = listedZones().get(name.toLowerCase())
  if (listed !== undefined) return listed === name // A listed zone in another case is a typo.
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name })
    return true
  } catch {
    return false
  }
}

/** Current names the runtime accepts but lists under an older name (Asia/Calcutta) or not at all (UTC). */
const RENAMED_ZONES = ['UTC', 'Asia/Kolkata', 'Europe/Kyiv', 'America/Nuuk']

let zones: ReadonlyMap<string, string> | undefined

/** The zone names the runtime lists, and RENAMED_ZONES: each in its exact case, by its name in lower case. */
function listedZones(): ReadonlyMap<string, string> {
  zones ??= new Map([...Intl.supportedValuesOf('timeZone'), ...RENAMED_ZONES].map((zone) => [zone.toLowerCase(), zone]))
  return zones
}

/** The closest valid zone name, for a "did you mean". */
export function suggestTimeZone(name: string): string | undefined {
  const recased = name
    .split('/')
    .map((part) => part.replace(/(^|[_-])([a-z])/g, (_m, sep: string, letter: string) => sep + letter.toUpperCase()))
    .join('/')
  if (recased !== name && isIanaTimeZone(recased)) return recased
  const match = closestMatch(name, [...listedZones().values()])
  return match !== undefined && isIanaTimeZone(match) ? match : undefined
}

/** Sarvam's allowed_schedule.timezone is a real IANA time zone name. */
export const timezone: Rule = {
  name: 'timezone',
  summary: 'allowed_schedule.timezone is an IANA time zone name such as Asia/Kolkata',
  check(context) {
    for (const doc of documentsOfKind(context, 'SarvamCampaign')) {
      const value = stringAt(mappingAt(doc.spec, 'allowed_schedule'), 'timezone')
      if (value === undefined || isIanaTimeZone(value)) continue
      const suggestion = suggestTimeZone(value)
      context.report(
        doc.source,
        ['spec', 'allowed_schedule', 'timezone'],
        `${JSON.stringify(value)} is not an IANA time zone name` +
          (suggestion ? ` (did you mean ${JSON.stringify(suggestion)}?)` : '; use a name such as "Asia/Kolkata" or "UTC"'),
      )
    }
  },
}
