import { existsSync, readFileSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import { composeProjectSchema } from '../../src/config/project-schema.js'
import { PROJECT_SCHEMA_FILE, SCHEMA_DIR } from '../../src/config/schema-validator.js'
import { KIND_NAMES, KINDS, PLATFORMS, PROVIDER_TYPES } from '../../src/platforms.js'

const load = (file: string): Record<string, unknown> => JSON.parse(readFileSync(SCHEMA_DIR + file, 'utf8')) as Record<string, unknown>

describe('the platforms and the published schemas', () => {
  it('publishes cac.schema.json as the composition of its common part and every platform\'s provider fields', () => {
    const published = load(PROJECT_SCHEMA_FILE)
    // On a failure, write composeProjectSchema(published, PLATFORMS) to the file (2-space JSON).
    expect(published).toEqual(composeProjectSchema(published, PLATFORMS))
  })

  it('names every platform type in cac.schema.json and one provider definition per platform', () => {
    const defs = load(PROJECT_SCHEMA_FILE).$defs as Record<string, { properties?: { type?: { enum?: string[] } } }>
    expect(defs.provider?.properties?.type?.enum).toEqual([...PROVIDER_TYPES])
    expect(Object.keys(defs).filter((name) => name.endsWith('Provider'))).toEqual(PROVIDER_TYPES.map((type) => `${type}Provider`))
  })

  it('dispatches definition.schema.json to the schema of every declared kind, and no other', () => {
    const schema = load('definition.schema.json') as { properties: { kind: { enum: string[] } }; allOf: { if: { properties: { kind: { const: string } } }; then: { $ref: string } }[] }
    expect(schema.properties.kind.enum).toEqual([...KIND_NAMES])
    expect(schema.allOf.map((branch) => [branch.if.properties.kind.const, branch.then.$ref])).toEqual(
      KIND_NAMES.map((name) => [name, `./${KINDS[name]!.schemaFile}`]),
    )
  })

  it('declares each kind once, with a schema file that exists and create-only fields that have a reason', () => {
    const names = PLATFORMS.flatMap((platform) => platform.kinds.map((kind) => kind.name))
    expect(new Set(names).size).toBe(names.length)
    for (const kind of Object.values(KINDS)) {
      expect(existsSync(SCHEMA_DIR + kind.schemaFile), kind.schemaFile).toBe(true)
      for (const [field, reason] of Object.entries(kind.createOnly)) expect(reason, `${kind.name}.${field}`).toContain(field)
    }
  })

  it('reads each platform\'s own provider settings, and only those', () => {
    const entry = { type: 'x', url: 'sandbox', api_key: 'k', actor: 'ci@example.com', org_id: 'acme', workspace_id: 'outbound' }
    expect(Object.fromEntries(PLATFORMS.map((platform) => [platform.type, platform.providerFields.read(entry)]))).toEqual({
      syllable: { actor: 'ci@example.com' },
      sarvam: { orgId: 'acme', workspaceId: 'outbound', actor: 'ci@example.com' },
    })
  })
})
