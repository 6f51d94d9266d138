/**
 * What a platform declares about itself, once, in its provider folder (src/providers/<type>/
 * platform.ts); src/platforms.ts lists the declarations. The core reads platforms only through
 * this contract. A declaration is light: the provider implementation and the emulator are loaded
 * only when a run needs them (`cac validate` loads neither).
 */
import type { PlatformModule } from '../sandbox/platform.js'
import type { PathPattern } from './kinds.js'
import type { PlanTarget } from './plan.js'
import type { Provider, ProviderFactoryInput } from './provider.js'

/** One kind of resource, as its platform declares it. */
export interface KindDeclaration {
  /** The `kind` of a definition document, e.g. `AcmeCampaign`. */
  name: string
  /** Short noun used in resource addresses, e.g. `campaign` in `acme/campaign/renewals`. */
  noun: string
  /** The spec field holding the logical identity (never the server id). */
  identityField: string
  /** File name of the kind's JSON Schema inside `schemas/`. */
  schemaFile: string
  /** Paths (from the document root) of write-only secret values. */
  secretPaths: readonly PathPattern[]
  /** Top-level spec fields that can only be set when the resource is created, each with the reason a plan gives when one differs. */
  createOnly: Readonly<Record<string, string>>
}

/** A JSON Schema (draft 2020-12) object, as ajv compiles it. */
export type JsonSchema = Record<string, unknown>

/** The fields a `providers` entry of cac.yaml has for this platform, besides the common ones. */
export interface ProviderEntryFields<Settings> {
  /** What an entry of this type is, e.g. `Settings of an Acme workspace.` */
  description: string
  /** The `type` field's description, e.g. `Marks this provider as an Acme workspace.` */
  typeDescription: string
  /** The `url` field's description for this platform. */
  urlDescription: string
  /** The platform's own fields that an entry must have. */
  required?: readonly string[]
  /** The platform's own fields (JSON Schema properties, checked by ajv with the rest of cac.yaml). */
  properties: Readonly<Record<string, JsonSchema>>
  /** Reads the platform's own settings from an entry (after the schema check; values may still be missing when it failed). */
  read(entry: Readonly<Record<string, unknown>>): Settings
}

/** The platform's part of the embedded emulator. */
export interface SandboxDeclaration {
  /** Where the emulator serves the platform's API, under its base URL, e.g. `/api/v1/outbound`. */
  path: string
  /** The emulator's routes and authentication for the platform (loaded when a sandbox starts). */
  load(): Promise<PlatformModule>
}

/** A file `cac init` writes, relative to the project folder. */
export interface StarterFile {
  path: string
  text: string
}

/** The days a starter project's definitions are dated from (the day `cac init` runs, in UTC). */
export interface StarterCalendar {
  /** `cac init`'s day at 00:00 UTC; the starter pins the embedded sandbox's clock to it. */
  today: Date
  /** The instant `days` days after today at `time` (HH:MM, UTC), as ISO 8601 without milliseconds. */
  at(days: number, time: string): string
}

/** What `cac init` writes for a platform: its cac.yaml entry and one realistic definition per kind. */
export interface StarterDeclaration {
  /** The body of the platform's `providers` entry in cac.yaml (YAML lines, unindented), with URL and key from `${env:…}` defaulting to the sandbox. */
  providerEntry: string
  /** One definition per kind, under the definitions folder (paths relative to it). */
  definitions(calendar: StarterCalendar): StarterFile[]
}

/** Everything cac knows about one platform. */
export interface Platform<Settings = unknown> {
  /** The `type` of its cac.yaml provider entries, e.g. `acme`. */
  type: string
  /** How people name it, e.g. `Acme`. */
  displayName: string
  kinds: readonly KindDeclaration[]
  providerFields: ProviderEntryFields<Settings>
  /** The request header that carries the API key. */
  authHeader: string
  /** Who the provider acts as, where its settings say (the embedded sandbox is given it as key when api_key is empty). */
  actorOf?(settings: Settings): string | undefined
  /** What a plan's target names of the account besides its URL (e.g. its organisation and workspace). */
  targetScope?(settings: Settings): Pick<PlanTarget, 'orgId' | 'workspaceId'>
  sandbox: SandboxDeclaration
  starter: StarterDeclaration
  /** Builds the provider (its implementation is loaded on first use). */
  createProvider(input: ProviderFactoryInput<Settings>): Promise<Provider>
}
