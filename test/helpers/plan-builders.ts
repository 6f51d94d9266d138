import type { KindName } from '../../src/model/kinds.js'
import type { Spec } from '../../src/model/plan.js'
import type { Resource } from '../../src/model/resource.js'
import { resourceAddress } from '../../src/platforms.js'
import type { KindPolicy, LiveResource } from '../../src/model/provider.js'

/** A desired resource as the loader would produce it. */
export function desired(kind: KindName, name: string, spec: Spec, provider = kind.startsWith('Sarvam') ? 'sarvam' : 'syllable'): Resource {
  return {
    kind,
    provider,
    name,
    address: resourceAddress(provider, kind, name),
    spec,
    source: { file: 'campaigns/test.yaml', documentIndex: 0, line: 1, column: 1 },
  }
}

/** A live resource whose spec is already normalised. */
export function live(kind: KindName, name: string, spec: Spec, extra: Partial<LiveResource> = {}): LiveResource {
  const provider = extra.provider ?? (kind.startsWith('Sarvam') ? 'sarvam' : 'syllable')
  return { kind, provider, name, address: resourceAddress(provider, kind, name), id: extra.id ?? `${name}-id`, spec, raw: spec, ...extra }
}

/** Rules with nothing special, overridable per test. */
export function plainPolicy(overrides: Partial<KindPolicy> = {}): KindPolicy {
  return { createOnly: [], dependsOn: () => [], assess: () => undefined, ...overrides }
}
