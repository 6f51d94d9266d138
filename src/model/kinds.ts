/**
 * The kinds of resource a definition file can declare, and what cac needs to know about each:
 * which provider type serves it, which spec field is its identity, where its schema lives,
 * and which of its fields are secrets.
 */
export type ProviderType = 'syllable' | 'sarvam'

export const KIND_NAMES = ['SyllableCampaign', 'SyllableBatch', 'SarvamCampaign'] as const
export type KindName = (typeof KIND_NAMES)[number]

/** A path pattern over a parsed document; `'*'` matches any key or index at that depth. */
export type PathPattern = readonly (string | number)[]

export interface KindInfo {
  name: KindName
  providerType: ProviderType
  /** Short noun used in resource addresses, e.g. `syllable/campaign/Spring Renewals`. */
  noun: string
  /** The spec field holding the logical identity (never the server id). */
  identityField: string
  /** File name of the kind's JSON Schema inside `schemas/`. */
  schemaFile: string
  /** Paths (from the document root) of write-only secret values. */
  secretPaths: readonly PathPattern[]
}

export const KINDS: Record<KindName, KindInfo> = {
  SyllableCampaign: {
    name: 'SyllableCampaign',
    providerType: 'syllable',
    noun: 'campaign',
    identityField: 'campaign_name',
    schemaFile: 'syllable-campaign.schema.json',
    secretPaths: [['spec', 'webhooks', '*', 'auth_values', 'hmac_secret']],
  },
  SyllableBatch: {
    name: 'SyllableBatch',
    providerType: 'syllable',
    noun: 'batch',
    identityField: 'batch_id',
    schemaFile: 'syllable-batch.schema.json',
    secretPaths: [],
  },
  SarvamCampaign: {
    name: 'SarvamCampaign',
    providerType: 'sarvam',
    noun: 'campaign',
    identityField: 'name',
    schemaFile: 'sarvam-campaign.schema.json',
    secretPaths: [],
  },
}

/** Secret paths of the project file `cac.yaml`. */
export const PROJECT_SECRET_PATHS: readonly PathPattern[] = [['providers', '*', 'api_key']]

export function isKindName(value: unknown): value is KindName {
  return typeof value === 'string' && (KIND_NAMES as readonly string[]).includes(value)
}

export function matchesPathPattern(path: readonly (string | number)[], pattern: PathPattern): boolean {
  if (path.length !== pattern.length) return false
  return pattern.every((part, i) => part === '*' || part === path[i])
}

export function isSecretPath(path: readonly (string | number)[], patterns: readonly PathPattern[]): boolean {
  return patterns.some((pattern) => matchesPathPattern(path, pattern))
}
