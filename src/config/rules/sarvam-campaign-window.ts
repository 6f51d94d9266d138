import { documentsOfKind, stringAt, type Rule } from './rule.js'

export const MIN_CAMPAIGN_SECONDS = 120
export const MAX_CAMPAIGN_DAYS = 30

/** Instants in RFC 3339 form with an offset; anything else is left to the schema's format check. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i

/**
 * A Sarvam campaign runs for at least two minutes and at most 30 days after it starts. (Whether
 * the start lies in the future is decided by the platform when the campaign is created, not here:
 * a file must stay valid after its campaign has started.)
 */
export const sarvamCampaignWindow: Rule = {
  name: 'sarvam-campaign-window',
  summary: 'a Sarvam campaign ends at least 120 seconds and at most 30 days after it starts',
  check(context) {
    for (const doc of documentsOfKind(context, 'SarvamCampaign')) {
      const start = stringAt(doc.spec, 'start_timestamp')
      const end = stringAt(doc.spec, 'end_timestamp')
      if (start === undefined || end === undefined || !INSTANT.test(start) || !INSTANT.test(end)) continue
      const startMs = Date.parse(start)
      const endMs = Date.parse(end)
      if (Number.isNaN(startMs) || Number.isNaN(endMs)) continue
      const seconds = (endMs - startMs) / 1000
      if (seconds < MIN_CAMPAIGN_SECONDS) {
        context.report(
          doc.source,
          ['spec', 'end_timestamp'],
          seconds <= 0
            ? `the campaign ends (${end}) before it starts (${start})`
            : `the campaign ends only ${seconds} seconds after it starts; it must run for at least ${MIN_CAMPAIGN_SECONDS} seconds`,
        )
      } else if (seconds > MAX_CAMPAIGN_DAYS * 86400) {
        context.report(
          doc.source,
          ['spec', 'end_timestamp'],
          `the campaign ends ${(seconds / 86400).toFixed(1).replace(/\.0$/, '')} days after it starts; the limit is ${MAX_CAMPAIGN_DAYS} days`,
        )
      }
    }
  },
}
