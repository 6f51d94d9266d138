import { kindOf } from '../../platforms.js'
import type { DefinitionDocument } from '../definitions.js'
import type { Rule } from './rule.js'

/** Each resource is declared once: one identity per kind and provider, across all files. */
export const duplicateIdentity: Rule = {
  name: 'duplicate-identity',
  summary: 'a resource (kind + provider + identity) is declared only once across all files',
  check(context) {
    const groups = new Map<string, DefinitionDocument[]>()
    for (const doc of context.documents) {
      const identity = doc.spec[kindOf(doc.kind).identityField]
      if (typeof identity !== 'string' || identity === '' || doc.provider === undefined) continue
      const key = `${doc.kind}\u0000${doc.provider}\u0000${identity}`
      const group = groups.get(key)
      if (group) group.push(doc)
      else groups.set(key, [doc])
    }
    for (const group of groups.values()) {
      if (group.length < 2) continue
      for (const doc of group) {
        const field = kindOf(doc.kind).identityField
        const others = group
          .filter((other) => other !== doc)
          .map((other) => {
            const at = other.source.position(['spec', field])
            return `${other.source.file}:${at.line}`
          })
        context.report(
          doc.source,
          ['spec', field],
          `${doc.kind} ${JSON.stringify(doc.spec[field])} (provider ${doc.provider}) is declared more than once; ` +
            `also at ${others.join(', ')}`,
        )
      }
    }
  },
}
