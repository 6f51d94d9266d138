import { didYouMean } from '../suggest.js'
import { documentsOfKind, stringAt, type Rule } from './rule.js'

/** A batch's `campaign` names a SyllableCampaign declared in the files, under the same provider. */
export const batchCampaignReference: Rule = {
  name: 'batch-campaign-reference',
  summary: "a SyllableBatch's campaign is the campaign_name of a SyllableCampaign declared for the same provider",
  check(context) {
    const campaigns = documentsOfKind(context, 'SyllableCampaign')
    for (const batch of documentsOfKind(context, 'SyllableBatch')) {
      const wanted = stringAt(batch.spec, 'campaign')
      if (wanted === undefined || wanted === '') continue
      const sameProvider = campaigns
        .filter((c) => c.provider === batch.provider)
        .map((c) => stringAt(c.spec, 'campaign_name'))
        .filter((name): name is string => name !== undefined)
      if (sameProvider.includes(wanted)) continue
      const elsewhere = campaigns.find((c) => stringAt(c.spec, 'campaign_name') === wanted)
      const detail = elsewhere
        ? `; a campaign of that name is declared for provider ${JSON.stringify(elsewhere.provider)}, not ${JSON.stringify(batch.provider)}`
        : `${didYouMean(wanted, sameProvider)}`
      context.report(
        batch.source,
        ['spec', 'campaign'],
        `no SyllableCampaign named ${JSON.stringify(wanted)} is declared in these files${detail}`,
      )
    }
  },
}
