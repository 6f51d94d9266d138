import { createHash } from 'node:crypto'

import { isSecretValue, SecretValue } from '../model/secret.js'
import type { Resource } from '../model/resource.js'
import { DESCEND, mapTree } from '../model/values.js'

/**
 * The embedded sandbox needs no real secrets: an unset secret variable of a resource bound for it
 * is replaced by a stand-in (32 bytes derived from the variable's name, so runs agree). Returns
 * the resources and the names of the variables that were stood in for.
 */
export function standInSandboxSecrets(
  resources: readonly Resource[],
  isSandbox: (provider: string) => boolean,
): { resources: Resource[]; variables: string[] } {
  const variables = new Set<string>()
  const replace = (spec: unknown): unknown =>
    mapTree(spec, (value) => {
      if (!isSecretValue(value)) return DESCEND
      if (value.isSet) return value
      variables.add(value.variable)
      return new SecretValue(value.variable, createHash('sha256').update(`cac-sandbox:${value.variable}`).digest('base64'))
    })
  const out = resources.map((resource) =>
    isSandbox(resource.provider) ? { ...resource, spec: replace(resource.spec) as Resource['spec'] } : resource,
  )
  return { resources: out, variables: [...variables].sort() }
}
