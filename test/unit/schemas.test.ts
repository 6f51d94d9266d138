import { readFileSync, readdirSync } from 'node:fs'

import { describe, expect, it } from 'vitest'

import { SCHEMA_DIR, schemaValidators } from '../../src/config/schema-validator.js'
import { describeWithSharedFile, SYLLABLE_OPENAPI_PATH } from '../helpers/shared-contract.js'

type Schema = Record<string, unknown>

const files = readdirSync(SCHEMA_DIR).filter((name) => name.endsWith('.schema.json'))
const load = (file: string): Schema => JSON.parse(readFileSync(SCHEMA_DIR + file, 'utf8')) as Schema

/** Every subschema with its JSON Pointer, for structural checks. */
function* subschemas(node: unknown, pointer = ''): Generator<[string, Schema]> {
  if (node === null || typeof node !== 'object') return
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* subschemas(item, `${pointer}/${i}`)
    return
  }
  const schema = node as Schema
  yield [pointer, schema]
  for (const [key, value] of Object.entries(schema)) {
    // `if` conditions only select a branch; they are not shapes of the data.
    if (['examples', 'default', 'enum', 'const', 'if'].includes(key)) continue
    yield* subschemas(value, `${pointer}/${key}`)
  }
}

/** Objects that are free-form maps on purpose. */
const FREE_MAPS = ['/campaign_variables', '/voicemailDetection', '/metadata']

describe('published JSON Schemas', () => {
  it('has one schema per kind, one for cac.yaml, and a dispatcher', () => {
    expect(files.sort()).toEqual([
      'cac.schema.json',
      'definition.schema.json',
      'sarvam-campaign.schema.json',
      'syllable-batch.schema.json',
      'syllable-campaign.schema.json',
    ])
  })

  it('compiles in ajv strict mode', () => {
    expect(() => schemaValidators()).not.toThrow()
  })

  describe.each(files)('%s', (file) => {
    const schema = load(file)

    it('is draft 2020-12 with an $id named after the file', () => {
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
      expect(schema.$id).toBe(`https://campaigns-as-code.dev/schemas/${file}`)
      expect(schema.description).toEqual(expect.any(String))
    })

    it('describes every property, for editor hover', () => {
      const missing: string[] = []
      for (const [pointer, node] of subschemas(schema)) {
        for (const [name, property] of Object.entries((node.properties as Schema | undefined) ?? {})) {
          const p = property as Schema
          if (typeof p.description !== 'string' && typeof p.$ref !== 'string') missing.push(`${pointer}/properties/${name}`)
        }
      }
      expect(missing).toEqual([])
    })

    it('gives every pattern a human message and avoids oneOf/anyOf/not', () => {
      for (const [pointer, node] of subschemas(schema)) {
        if ('pattern' in node) expect(node.patternErrorMessage, pointer).toEqual(expect.any(String))
        for (const keyword of ['oneOf', 'anyOf', 'not']) expect(node, pointer).not.toHaveProperty(keyword)
      }
    })

    it('rejects unknown keys in every fixed-shape object', () => {
      if (file === 'definition.schema.json') return // dispatches to the strict kind schemas
      for (const [pointer, node] of subschemas(schema)) {
        if (!node.properties || FREE_MAPS.some((suffix) => pointer.endsWith(suffix))) continue
        if (pointer === '/$defs/provider') continue // dispatches to the strict provider types
        expect(node.additionalProperties, pointer).toBe(false)
      }
    })
  })
})

/**
 * The file format uses the platforms' own field names: the Syllable kinds must accept what the
 * published spec accepts (server-owned fields aside). CI always has ../shared beside the clone.
 */
const SPEC = SYLLABLE_OPENAPI_PATH

describeWithSharedFile('Syllable schemas against the published OpenAPI spec', SPEC, () => {
  const spec = JSON.parse(readFileSync(SPEC, 'utf8')) as { components: { schemas: Record<string, Schema> } }
  const platform = (name: string) => spec!.components.schemas[name]!
  const campaign = load('syllable-campaign.schema.json')
  const batch = load('syllable-batch.schema.json')
  const defs = (s: Schema) => s.$defs as Record<string, Schema>
  const names = (s: Schema) => Object.keys(s.properties as Schema).sort()
  const enumOf = (s: Schema) => [...((s.enum as string[]) ?? (s.items as Schema).enum as string[])].sort()

  it('campaign spec has exactly the fields of OutboundCampaignInput', () => {
    expect(names(defs(campaign).spec!)).toEqual(names(platform('OutboundCampaignInput')))
    expect((defs(campaign).spec!.required as string[]).sort()).toEqual((platform('OutboundCampaignInput').required as string[]).sort())
  })

  it('webhooks have the input fields except the server id', () => {
    expect(names(defs(campaign).webhook!)).toEqual(names(platform('OutboundCampaignWebhookInput')).filter((n) => n !== 'id'))
  })

  it('enums match the platform (trigger statuses accept every value of the spec)', () => {
    expect(enumOf(defs(campaign).dayOfWeek!)).toEqual(enumOf(platform('DaysOfWeek')))
    expect(enumOf(defs(campaign).lineType!)).toEqual(enumOf(platform('LineTypeBucket')))
    expect(enumOf(defs(campaign).channelManagerStatus!)).toEqual(expect.arrayContaining(enumOf(platform('ChannelManagerStatus'))))
  })

  it('hourly_rate has the platform range', () => {
    const platformRate = (platform('OutboundCampaignInput').properties as Record<string, Schema>).hourly_rate!
    const ours = (defs(campaign).spec!.properties as Record<string, Schema>).hourly_rate!
    expect([ours.minimum, ours.maximum]).toEqual([platformRate.minimum, platformRate.maximum])
  })

  it('batch spec has the input fields, with campaign (by name) in place of campaign_id', () => {
    const expected = names(platform('CommunicationBatchInput')).map((n) => (n === 'campaign_id' ? 'campaign' : n))
    expect(names(defs(batch).spec ?? (batch.properties as Record<string, Schema>).spec!)).toEqual(
      expect.arrayContaining(expected),
    )
  })
})
