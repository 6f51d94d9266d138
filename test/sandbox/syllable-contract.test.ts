import { readFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'

import Ajv2020Module from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { describe, expect, it } from 'vitest'

import { useSandbox, type SandboxReply } from '../helpers/sandbox.js'
import { describeWithSharedFile, SYLLABLE_OPENAPI_PATH } from '../helpers/shared-contract.js'

/**
 * Every Syllable route's 200 (and 422) bodies, in several states, checked against the response
 * schema of that operation in the published OpenAPI document, with formats on (date-times need an
 * offset) and enums closed, as the vendor's SDKs parse them.
 */

const SPEC_ID = 'https://sandbox.test/syllable-openapi-outbound.json'

const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as unknown as typeof Ajv2020Module.default
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as typeof addFormatsModule.default

interface Operation {
  operationId: string
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> }
}

const OFFSET_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/
const DATE_TIME_KEYS = new Set(['created_at', 'updated_at', 'expires_on', 'deleted_at', 'last_updated_at', 'sent_at'])

function loadContract() {
  const spec = JSON.parse(readFileSync(SYLLABLE_OPENAPI_PATH, 'utf8')) as OpenApiDocument
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats(ajv)
  ajv.addSchema(spec as object, SPEC_ID)

  const schemaOf = (operationId: string, status: string): Record<string, unknown> => {
    for (const methods of Object.values(spec.paths)) {
      for (const operation of Object.values(methods)) {
        if (operation.operationId !== operationId) continue
        const schema = operation.responses[status]?.content?.['application/json']?.schema
        if (!schema) throw new Error(`${operationId} documents no JSON ${status} response`)
        return schema
      }
    }
    throw new Error(`no operation ${operationId} in the spec`)
  }

  /** A 200 typed `anyOf[X, null]` is X here: the SDKs never accept the null. */
  const withoutNullBranch = (schema: Record<string, unknown>): Record<string, unknown> => {
    const branches = schema.anyOf as Record<string, unknown>[] | undefined
    const nonNull = branches?.filter((branch) => branch.type !== 'null')
    return nonNull?.length === 1 ? nonNull[0]! : schema
  }

  const anchored = (schema: unknown): unknown =>
    JSON.parse(JSON.stringify(schema), (key, value: unknown) =>
      key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `${SPEC_ID}${value}` : value,
    )

  const validators = new Map<string, ReturnType<typeof ajv.compile>>()
  const validatorFor = (operationId: string, status: string) => {
    const key = `${operationId} ${status}`
    let validate = validators.get(key)
    if (!validate) {
      validate = ajv.compile(anchored(withoutNullBranch(schemaOf(operationId, status))) as object)
      validators.set(key, validate)
    }
    return validate
  }

  return {
    /** Whether a body satisfies the operation's documented 200 schema (for the checker's own test). */
    conforms(operationId: string, body: unknown): boolean {
      return validatorFor(operationId, '200')(body) === true
    },
    /** The reply is a 200 whose body satisfies the operation's documented response schema. */
    expectConforms(operationId: string, reply: SandboxReply): void {
      expect(reply.status, reply.text).toBe(200)
      expect(reply.headers.get('content-type')).toBe('application/json')
      const validate = validatorFor(operationId, '200')
      expect(validate(reply.body) ? [] : validate.errors, `${operationId}: ${reply.text}`).toEqual([])
      expectOffsetDateTimes(reply.body)
    },
    /** The reply is a 422 in the documented HTTPValidationError shape. */
    expectValidationError(operationId: string, reply: SandboxReply): void {
      expect(reply.status, reply.text).toBe(422)
      const validate = validatorFor(operationId, '422')
      expect(validate(reply.body) ? [] : validate.errors, reply.text).toEqual([])
    },
    /** Every property the named schema declares is present (null where unset), not just the required ones. */
    expectEveryDeclaredProperty(schemaName: string, body: unknown): void {
      const declared = Object.keys(spec.components.schemas[schemaName]?.properties ?? {})
      expect(declared.length).toBeGreaterThan(0)
      expect(declared.filter((key) => !(key in (body as Record<string, unknown>)))).toEqual([])
    },
  }
}

/** Date-time values anywhere in a body carry an explicit offset (the TS SDK refuses naive ones). */
function expectOffsetDateTimes(value: unknown, path = '$'): void {
  if (Array.isArray(value)) return value.forEach((item, i) => expectOffsetDateTimes(item, `${path}[${i}]`))
  if (value === null || typeof value !== 'object') return
  for (const [key, item] of Object.entries(value)) {
    if (DATE_TIME_KEYS.has(key) && item !== null) expect(item, `${path}.${key}`).toMatch(OFFSET_DATE_TIME)
    expectOffsetDateTimes(item, `${path}.${key}`)
  }
}

const CAMPAIGNS = '/api/v1/outbound/campaigns'
const BATCHES = '/api/v1/outbound/batches'

const minimalCampaign = { campaign_name: 'Contract minimal', campaign_variables: {}, caller_id: '+19995551234', active_days: ['mon', 'tue'] }

/** A campaign that uses every optional field, a webhook with a secret, and the newer nested objects. */
const fullCampaign = (secret: string) => ({
  campaign_name: 'Contract full',
  description: 'every field set',
  mode: 'voice',
  sms_session_ttl: 720,
  label: 'legacy',
  labels: ['renewals', 'q4'],
  campaign_variables: { region: 'us-east' },
  daily_start_time: '09:00:00',
  daily_end_time: '17:00:00',
  source: '+19032900844',
  caller_id: '19995551234',
  hourly_rate: 25,
  max_daily_calls: 2500,
  retry_count: 1,
  retry_interval: '30m',
  active_days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  voicemail_detection: { mode: 'v2', voicemail_detection_overall_timeout: 30, voicemail_detection_pre_speech_timeout: 3.5 },
  allowed_line_types: ['mobile', 'voip'],
  include_unknown_line_types: false,
  target_filters: { match: 'any', rules: [{ field: 'line_type', op: 'in', values: ['mobile'] }, { field: 'mcc', op: 'exists' }] },
  webhooks: [
    { trigger_statuses: ['COMPLETED', 'NO-ANSWER'], url: 'https://hooks.example.com/a', request_method: 'POST', auth_values: { hmac_secret: secret } },
    { trigger_statuses: ['FAILED'], url: 'https://hooks.example.com/b', request_method: 'PUT' },
  ],
})

describeWithSharedFile('Syllable sandbox responses conform to the published OpenAPI document', SYLLABLE_OPENAPI_PATH, () => {
  const { request } = useSandbox({ now: '2026-11-23T00:00:00Z' })
  const contract = loadContract()
  const secret = randomBytes(32).toString('base64')

  it('the checker itself rejects what the SDKs would reject (seed-only enum value, naive date-time, missing field)', async () => {
    const created = await request('POST', CAMPAIGNS, { json: { ...minimalCampaign, campaign_name: 'Checker' } })
    const batch = await request('POST', BATCHES, { json: { batch_id: 'checker.1', campaign_id: (created.body as { id: number }).id } })
    const good = batch.body as Record<string, unknown>
    expect(contract!.conforms('outbound_batch_create', good)).toBe(true)
    expect(contract!.conforms('outbound_batch_create', { ...good, status: 'IDLE' })).toBe(false)
    expect(contract!.conforms('outbound_batch_create', { ...good, created_at: '2026-11-23T00:00:00' })).toBe(false)
    expect(contract!.conforms('outbound_batch_create', { ...good, last_updated_by: undefined })).toBe(false)
    expect(contract!.conforms('outbound_campaign_create', { ...(created.body as object), active_days: ['monday'] })).toBe(false)
    expect(contract!.conforms('outbound_campaign_create', null)).toBe(false)
  })

  it('campaigns: create (minimal and full), get, update, list, delete', async () => {
    const minimal = await request('POST', CAMPAIGNS, { json: minimalCampaign })
    contract!.expectConforms('outbound_campaign_create', minimal)
    contract!.expectEveryDeclaredProperty('OutboundCampaign', minimal.body)

    const full = await request('POST', CAMPAIGNS, { json: fullCampaign(secret) })
    contract!.expectConforms('outbound_campaign_create', full)
    contract!.expectEveryDeclaredProperty('OutboundCampaign', full.body)
    const id = (full.body as { id: number }).id

    const fetched = await request('GET', `${CAMPAIGNS}/${id}`)
    contract!.expectConforms('outbound_campaign_get_by_id', fetched)
    const webhooks = (fetched.body as { webhooks: { id: number }[] }).webhooks
    contract!.expectEveryDeclaredProperty('OutboundCampaignWebhookResponse', webhooks[0])

    const updated = await request('PUT', `${CAMPAIGNS}/${id}`, {
      json: { ...fullCampaign(secret), hourly_rate: 40, webhooks: [{ ...fullCampaign(secret).webhooks[0], id: webhooks[0]!.id, auth_values: { hmac_secret: null } }] },
    })
    contract!.expectConforms('outbound_campaign_update', updated)

    const list = await request('GET', CAMPAIGNS, { query: { limit: 1, page: 1 } })
    contract!.expectConforms('outbound_campaign_list', list)
    contract!.expectEveryDeclaredProperty('ListResponse_OutboundCampaign_', list.body)
    contract!.expectConforms('outbound_campaign_list', await request('GET', CAMPAIGNS, { query: { page: 9 } }))
    contract!.expectConforms('outbound_campaign_list', await request('GET', CAMPAIGNS, { query: { order_by: 'campaign_name', order_by_direction: 'desc' } }))

    contract!.expectConforms('outbound_campaign_delete', await request('DELETE', `${CAMPAIGNS}/${(minimal.body as { id: number }).id}`))
    expect(JSON.stringify([minimal.body, full.body, fetched.body, updated.body, list.body])).not.toContain(secret)
  })

  it('batches: create, details (empty, with requests), update, results, list, remove, delete', async () => {
    const campaign = await request('POST', CAMPAIGNS, { json: { ...minimalCampaign, campaign_name: 'Contract batches' } })
    const campaignId = (campaign.body as { id: number }).id

    const created = await request('POST', BATCHES, { json: { batch_id: 'contract.1', campaign_id: campaignId, paused: true, call_rate: 20 } })
    contract!.expectConforms('outbound_batch_create', created)
    contract!.expectEveryDeclaredProperty('CommunicationBatch', created.body)
    const withExpiry = await request('POST', BATCHES, {
      json: { batch_id: 'contract.2', campaign_id: campaignId, expires_on: '2026-12-31T00:00:00+05:30', auto_call_rate: true },
    })
    contract!.expectConforms('outbound_batch_create', withExpiry)

    const empty = await request('GET', `${BATCHES}/contract.1`)
    contract!.expectConforms('outbound_batch_get_by_id', empty)
    contract!.expectEveryDeclaredProperty('BatchDetails', empty.body)

    for (const [reference, target] of [['r1', '+15125550001'], ['r2', '+15125550002'], ['r1', '+15125550003']] as const) {
      const added = await request('POST', `${BATCHES}/contract.1/requests`, {
        json: { reference_id: reference, target, request_variables: { first_name: 'Ann' } },
      })
      contract!.expectConforms('outbound_batch_add', added)
    }
    const details = await request('GET', `${BATCHES}/contract.1`)
    contract!.expectConforms('outbound_batch_get_by_id', details)
    expect(details.body).toMatchObject({ status_counts: { PENDING: 2, DUPLICATE: 1 }, detailed_status_counts: { DUPLICATE: { total_count: 1 } } })

    const updated = await request('PUT', `${BATCHES}/contract.1`, { json: { paused: false, expires_on: '2027-01-01T00:00:00Z' } })
    contract!.expectConforms('outbound_batch_update', updated)
    expect(updated.body).toMatchObject({ status: 'ACTIVE' })

    const results = await request('GET', `${BATCHES}/contract.1/results`)
    contract!.expectConforms('outbound_batch_results', results)
    contract!.expectEveryDeclaredProperty('CommunicationRequestResult', (results.body as unknown[])[0])
    contract!.expectConforms('outbound_batch_results', await request('GET', `${BATCHES}/contract.1/results`, { query: { status: 'DUPLICATE' } }))

    const list = await request('GET', BATCHES, { query: { search_fields: ['campaign_id'], search_field_values: [String(campaignId)] } })
    contract!.expectConforms('outbound_batch_list', list)
    expect((list.body as { total_count: number }).total_count).toBe(2)

    contract!.expectConforms('outbound_batch_remove', await request('POST', `${BATCHES}/contract.1/remove-requests`, { json: ['r2'] }))
    const deleted = await request('DELETE', `${BATCHES}/contract.1`, { form: { delete_reason: 'contract test' } })
    contract!.expectConforms('outbound_batch_delete', deleted)
    // The delete answer is typed "any JSON"; the sandbox returns the batch, which is a CommunicationBatch.
    contract!.expectConforms('outbound_batch_update', deleted)
    expect(deleted.body).toMatchObject({ status: 'CANCELED', deleted_reason: 'contract test' })
  })

  it('an expired batch still conforms', async () => {
    const campaign = await request('POST', CAMPAIGNS, { json: { ...minimalCampaign, campaign_name: 'Contract expiry' } })
    const campaignId = (campaign.body as { id: number }).id
    await request('POST', BATCHES, { json: { batch_id: 'contract.expired', campaign_id: campaignId, expires_on: '2026-11-22T00:00:00Z' } })
    const expired = await request('GET', `${BATCHES}/contract.expired`)
    contract!.expectConforms('outbound_batch_get_by_id', expired)
    expect(expired.body).toMatchObject({ status: 'EXPIRED' })
  })

  it('422 answers have the documented HTTPValidationError shape', async () => {
    contract!.expectValidationError('outbound_campaign_create', await request('POST', CAMPAIGNS, { json: { campaign_name: 3 } }))
    contract!.expectValidationError('outbound_campaign_get_by_id', await request('GET', `${CAMPAIGNS}/abc`))
    contract!.expectValidationError('outbound_campaign_list', await request('GET', CAMPAIGNS, { query: { order_by: 'nope' } }))
    contract!.expectValidationError('outbound_batch_create', await request('POST', BATCHES, { json: { batch_id: '', campaign_id: 'x' } }))
    contract!.expectValidationError('outbound_batch_delete', await request('DELETE', `${BATCHES}/contract.2`, { form: {} }))
  })
})
