import { documentsOfKind, type Rule } from './rule.js'

/** A batch's automatic call rate is derived from its deadline, so it needs one. */
export const autoCallRateExpiry: Rule = {
  name: 'auto-call-rate-expiry',
  summary: 'a SyllableBatch with auto_call_rate: true also sets expires_on',
  check(context) {
    for (const doc of documentsOfKind(context, 'SyllableBatch')) {
      if (doc.spec.auto_call_rate !== true) continue
      const expires = doc.spec.expires_on
      if (typeof expires === 'string' && expires !== '') continue
      context.report(
        doc.source,
        ['spec', 'auto_call_rate'],
        'auto_call_rate derives the rate from the time left until expires_on, so expires_on must be set too',
      )
    }
  },
}
