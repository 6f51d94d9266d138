import { didYouMean } from '../suggest.js'
import type { DefinitionDocument } from '../definitions.js'
import { documentsOfKind, stringAt, type Rule } from './rule.js'

/** A batch's `campaign` names a SyllableCampaign declared in the files, under the same provider. */
export const batchCampaignReference: Rule = {
  name: 'batch-campaign-reference',
  summary: "a SyllableBatch's campaign is the campaign_name of a SyllableCampaign declared for the same provider",
  check(context) {
    // provider → campaign names, built once; name → providers only for a message, when a batch needs one.
    const campaigns = documentsOfKind(context, 'SyllableCampaign')
    const namesByProvider = new Map<string | undefined, Set<string>>()
    for (const campaign of campaigns) {
      const name = stringAt(campaign.spec, 'campaign_name')
      if (name === undefined) continue
      let names = namesByProvider.get(campaign.provider)
      if (!names) namesByProvider.set(campaign.provider, (names = new Set()))
      names.add(name)
    }
    let byName: Map<string, string[]> | undefined
    const providersByName = () => (byName ??= providersOfNames(campaigns))
    for (const batch of documentsOfKind(context, 'SyllableBatch')) {
      const wanted = stringAt(batch.spec, 'campaign')
      if (wanted === undefined || wanted === '') continue
      const declared = namesByProvider.get(batch.provider)
      if (declared?.has(wanted)) continue
      const elsewhere = providersByName().get(wanted)
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

/** Campaign name → the providers campaigns of that name are declared for. */
function providersOfNames(campaigns: readonly DefinitionDocument[]): Map<string, string[]> {
  const providersByName = new Map<string, string[]>()
  for (const campaign of campaigns) {
    const name = stringAt(campaign.spec, 'campaign_name')
    if (name === undefined || campaign.provider === undefined) continue
    const providers = providersByName.get(name)
    if (providers) providers.push(campaign.provider)
    else providersByName.set(name, [campaign.provider])
  }
  return providersByName
}
