import { kindOf } from '../../platforms.js'
import type { DefinitionDocument } from '../definitions.js'
import type { Rule } from './rule.js'

/** Each resource is declared once: one identity per kind and provider, across all files. */
export const duplicateIdentity: Rule = {
  name: 'duplicate-identity',
  summary: 'a resource (kind + provider + identity) is declared only once across all files',
  check(context) {
    // kind → provider → identity → the document that declares it (the documents, once there are two)
    const declared = new Map<string, Map<string, Map<string, Declarations>>>()
    for (const doc of context.documents) {
      const identity = doc.spec[kindOf(doc.kind).identityField]
      if (typeof identity !== 'string' || identity === '' || doc.provider === undefined) continue
      let providers = declared.get(doc.kind)
      if (!providers) declared.set(doc.kind, (providers = new Map()))
      let identities = providers.get(doc.provider)
      if (!identities) providers.set(doc.provider, (identities = new Map()))
      const group = identities.get(identity)
      if (group === undefined) identities.set(identity, doc)
      else if (Array.isArray(group)) group.push(doc)
      else identities.set(identity, [group, doc])
    }
    for (const group of repeatedDeclarations(declared)) {
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

/** One document, or the documents (two or more) that declare the same resource: most resources are declared once. */
type Declarations = DefinitionDocument | DefinitionDocument[]

/** The groups of documents that declare the same resource (more than one each). */
function* repeatedDeclarations(declared: Map<string, Map<string, Map<string, Declarations>>>): Generator<DefinitionDocument[]> {
  for (const providers of declared.values()) {
    for (const identities of providers.values()) {
      for (const group of identities.values()) if (Array.isArray(group)) yield group
    }
  }
}
