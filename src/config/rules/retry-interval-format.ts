import { documentsOfKind, stringAt, type Rule } from './rule.js'

const RETRY_INTERVAL = /^[1-9][0-9]*[mhd]$/

/** Syllable's retry_interval is a count and a unit: minutes, hours or days. */
export const retryIntervalFormat: Rule = {
  name: 'retry-interval-format',
  summary: 'retry_interval is <n>m, <n>h or <n>d with n ≥ 1 (e.g. "30m", "12h", "7d")',
  check(context) {
    for (const doc of documentsOfKind(context, 'SyllableCampaign')) {
      const value = stringAt(doc.spec, 'retry_interval')
      if (value === undefined || RETRY_INTERVAL.test(value)) continue
      context.report(
        doc.source,
        ['spec', 'retry_interval'],
        `${JSON.stringify(value)} is not of the form <n>m, <n>h or <n>d (a whole number ≥ 1 and a unit), e.g. "30m", "12h", "7d"`,
      )
    }
  },
}
