import { didYouMean } from '../suggest.js'
import { documentsOfKind, stringAt, type Rule } from './rule.js'

/** A batch's `campaign` names a SyllableCampaign declared in the files, under the same provider. */
export const batchCampaignReference: Rule = {
  name: 'batch-campaign-reference',
  summary: "a SyllableBatch's campaign is the campaign_name of a SyllableCampaign declared for the same provider",
  check(context) {
    // provider → campaign names, and name → providers (for a helpful message), built once.
    const namesByProvider = new Map<string | undefined, Set<string>>()
    const providersByName = new Map<string, string[]>()
    for (const campaign of documentsOfKind(context, 'SyllableCampaign')) {
      const name = stringAt(campaign.spec, 'campaign_name')
      if (name === undefined) continue
      if (!namesByProvider.has(campaign.provider)) namesByProvider.set(campaign.provider, new Set())
      namesByProvider.get(campaign.provider)!.add(name)
      if (campaign.provider === undefined) continue
      const providers = providersByName.get(name)
      if (providers) providers.push(campaign.provider)
      else providersByName.set(name, [campaign.provider])
    }
    for (const batch of documentsOfKind(context, 'SyllableBatch')) {
      const wanted = stringAt(batch.spec, 'campaign')
      if (wanted === undefined || wanted === '') continue
      const declared = namesByProvider.get(batch.provider)
      if (declared?.has(wanted)) continue
      const elsewhere = providersByName.get(wanted)
      const detail = elsewhere
        ? `; a campaign of that name is declared for provider ${elsewhere.map((p) => JSON.stringify(p)).join(', ')}, ` +
          `not ${JSON.stringify(batch.provider)}`
        : didYouMean(wanted, [...(declared ?? [])])
      context.report(
        batch.source,
        ['spec', 'campaign'],
        `no SyllableCampaign named ${JSON.stringify(wanted)} is declared in these files${detail}`,
      )
    }
  },
}
