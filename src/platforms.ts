/**
 * The platforms cac manages. Adding one is a folder under src/providers/ with its declaration
 * (see model/platform.ts and the README's Development section) and one line here.
 */
import type { KindDeclaration, Platform } from './model/platform.js'
import { addressOf } from './model/resource.js'
import { sarvamPlatform } from './providers/sarvam/platform.js'
import { syllablePlatform } from './providers/syllable/platform.js'

export const PLATFORMS: readonly Platform[] = [syllablePlatform, sarvamPlatform]

/** A kind with the type of the platform that serves it. */
export interface KindInfo extends KindDeclaration {
  providerType: string
}

/** Every platform type, in the list's order. */
export const PROVIDER_TYPES: readonly string[] = PLATFORMS.map((platform) => platform.type)

/** Every kind, by name. */
export const KINDS: Readonly<Record<string, KindInfo>> = Object.fromEntries(
  PLATFORMS.flatMap((platform) => platform.kinds.map((kind) => [kind.name, { ...kind, providerType: platform.type }])),
)

/** Every kind name, in the list's order. */
export const KIND_NAMES: readonly string[] = Object.keys(KINDS)

export function isKindName(value: unknown): value is string {
  return typeof value === 'string' && Object.hasOwn(KINDS, value)
}

export function isProviderType(value: unknown): value is string {
  return typeof value === 'string' && PROVIDER_TYPES.includes(value)
}

/** The platform of a type; throws for a type no platform declares (callers check types when files are loaded). */
export function platformOf(type: string): Platform {
  const platform = PLATFORMS.find((candidate) => candidate.type === type)
  if (!platform) throw new Error(`no platform of type ${JSON.stringify(type)}; the types are ${PROVIDER_TYPES.join(', ')}`)
  return platform
}

/** The kind of a name; throws for a name no platform declares (callers check names when files are loaded). */
export function kindOf(name: string): KindInfo {
  if (!isKindName(name)) throw new Error(`unknown kind ${JSON.stringify(name)}; the kinds are ${KIND_NAMES.join(', ')}`)
  return KINDS[name]!
}

/** The stable, human-readable address of a resource, e.g. `syllable/campaign/Spring Renewals`. */
export function resourceAddress(provider: string, kind: string, name: string): string {
  return addressOf(provider, kindOf(kind), name)
}

/** The platforms' names as a sentence lists them: `Syllable and Sarvam`. */
export function platformNames(): string {
  const names = PLATFORMS.map((platform) => platform.displayName)
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

/** Where the emulator serves each platform, for help text: `Syllable under /api/v1/outbound, …`. */
export function emulatedPaths(): string {
  return PLATFORMS.map((platform) => `${platform.displayName} under ${platform.sandbox.path}`).join(', ')
}

/** One line per platform for a running emulator at `url`: `  Syllable  http://…/api/v1/outbound`. */
export function emulatedApiLines(url: string, nameWidth: number): string[] {
  return PLATFORMS.map((platform) => `  ${platform.displayName.padEnd(nameWidth)}${url}${platform.sandbox.path}`)
}
