/**
 * The schema of cac.yaml: schemas/cac.schema.json holds the common part, and each platform's
 * declaration its own provider fields (model/platform.ts). The schema ajv checks is composed from
 * both at load time; the published file is the same composition, for editors (a unit test keeps
 * the two equal).
 */
import type { JsonSchema, Platform } from '../model/platform.js'
import { isRecord } from '../model/values.js'

/** The `$defs` entry of a platform's provider entries, e.g. `sarvamProvider`. */
export function providerDefinitionName(platform: Pick<Platform, 'type'>): string {
  return `${platform.type}Provider`
}

/** The project schema with the platforms' provider entries composed into `$defs`. */
export function composeProjectSchema(base: JsonSchema, platforms: readonly Platform[]): JsonSchema {
  const defs = isRecord(base.$defs) ? base.$defs : {}
  const common = isRecord(defs.provider) ? defs.provider : {}
  const commonProperties = isRecord(common.properties) ? common.properties : {}
  const typeProperty = isRecord(commonProperties.type) ? commonProperties.type : {}
  const names = platforms.map(providerDefinitionName)
  const provider: JsonSchema = {
    ...common,
    description: `One platform account. The type decides which further settings are allowed; see ${names.join(' and ')}.`,
    properties: { ...commonProperties, type: { ...typeProperty, enum: platforms.map((platform) => platform.type) } },
    allOf: platforms.map((platform) => ({
      if: { properties: { type: { const: platform.type } }, required: ['type'] },
      then: { $ref: `#/$defs/${providerDefinitionName(platform)}` },
    })),
  }
  const others = Object.entries(defs).filter(([name]) => name !== 'provider' && !name.endsWith('Provider'))
  return {
    ...base,
    $defs: {
      provider,
      ...Object.fromEntries(platforms.map((platform) => [providerDefinitionName(platform), providerEntrySchema(platform)])),
      ...Object.fromEntries(others),
    },
  }
}

/** A provider entry of one platform: the common fields, then the platform's own; nothing else. */
function providerEntrySchema(platform: Platform): JsonSchema {
  const fields = platform.providerFields
  return {
    type: 'object',
    additionalProperties: false,
    description: fields.description,
    ...(fields.required && fields.required.length > 0 ? { required: [...fields.required] } : {}),
    properties: {
      type: { const: platform.type, description: fields.typeDescription },
      url: { description: fields.urlDescription },
      api_key: {
        type: 'string',
        description: `API key sent in the ${platform.authHeader} header. Write it as \${env:NAME} and never commit a literal key; it may be empty when url is sandbox.`,
        examples: [`\${env:${platform.type.toUpperCase()}_API_KEY:-}`],
      },
      ...fields.properties,
      timeout: { $ref: '#/$defs/requestTimeout' },
      max_response_mb: { $ref: '#/$defs/maxResponseMb' },
    },
  }
}
