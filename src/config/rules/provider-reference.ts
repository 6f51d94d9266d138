import { kindOf } from '../../platforms.js'
import { didYouMean } from '../suggest.js'
import type { Rule } from './rule.js'

/** Every definition names a provider declared in cac.yaml, of the type its kind needs. */
export const providerReference: Rule = {
  name: 'provider-reference',
  summary: 'a definition names a provider declared in cac.yaml, of the platform its kind belongs to',
  check(context) {
    const providers = context.project?.providers
    if (!providers) return
    const names = Object.keys(providers)
    for (const doc of context.documents) {
      if (doc.provider === undefined) continue
      const provider = providers[doc.provider]
      const needed = kindOf(doc.kind).providerType
      if (!provider) {
        const sameType = names.filter((name) => providers[name]!.type === needed)
        context.report(
          doc.source,
          ['provider'],
          `${JSON.stringify(doc.provider)} is not declared in ${context.project!.displayFile}` +
            `${didYouMean(doc.provider, names)}; ${
              sameType.length > 0 ? `${needed} providers declared: ${sameType.join(', ')}` : `declare a provider of type ${needed}`
            }`,
        )
      } else if (provider.type !== needed) {
        context.report(
          doc.source,
          ['provider'],
          `${JSON.stringify(doc.provider)} is a ${provider.type} provider, but ${doc.kind} needs a ${needed} provider`,
        )
      }
    }
  },
}
