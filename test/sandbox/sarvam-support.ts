/**
 * Shared pieces of the Sarvam sandbox tests: paths, a valid-campaign builder, and a client that
 * checks every response against the documented shapes (sarvam-responses.schema.json), so that each
 * request any test sends is also a shape test.
 */
import { readFileSync } from 'node:fs'

import Ajv2020Module from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { expect } from 'vitest'

import type { SandboxOptions } from '../../src/sandbox/index.js'
import { useSandbox, type RequestOptions, type SandboxReply } from '../helpers/sandbox.js'

const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ??
  Ajv2020Module) as unknown as typeof Ajv2020Module.default
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as typeof addFormatsModule.default

export const T0 = '2026-11-23T00:00:00Z'
export const SECOND = 1000
export const MINUTE = 60 * SECOND
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

export const workspacePath = (org: string, workspace: string): string => `/api/scheduling/v1/orgs/${org}/workspaces/${workspace}`
export const BASE = workspacePath('acme', 'outbound')

export const iso = (ms: number): string => new Date(ms).toISOString()

export type Json = Record<string, unknown>

export interface Summary {
  name: string
  campaign_id: string
  status: string
  app_id: string
  created_by: string
  created_at: string
  updated_at: string
  description: string | null
  app_type?: string
  app_version?: number | null
  updated_by?: string | null
}

export interface Detail extends Summary {
  app_config: Json
  start_timestamp: string
  end_timestamp: string
  allowed_schedule: Json
  webhook_config: Json | null
}

export interface Page {
  items: Summary[]
  total: number
  limit: number
  offset: number
  next_page_uri: string | null
  prev_page_uri: string | null
}

export interface ValidationEntry {
  type: string
  loc: (string | number)[]
  msg: string
  input: unknown
}

const schemaUrl = new URL('./sarvam-responses.schema.json', import.meta.url)
const responseSchema = JSON.parse(readFileSync(schemaUrl, 'utf8')) as Json
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true })
addFormats(ajv)
ajv.addSchema(responseSchema)
const schemaId = responseSchema.$id as string

export type ResponseShape = 'CampaignSummary' | 'CampaignDetail' | 'CampaignPage' | 'ValidationErrorBody' | 'ErrorBody'

/** Validates a body against one of the documented shapes; returns ajv's complaints ('' when valid). */
export function shapeProblems(shape: ResponseShape, body: unknown): string {
  const validate = ajv.getSchema(`${schemaId}#/$defs/${shape}`)
  if (!validate) throw new Error(`no schema for ${shape}`)
  return validate(body) ? '' : ajv.errorsText(validate.errors, { dataVar: shape })
}

/** The shape a response must have, from its method, path and status. */
export function expectedShape(method: string, path: string, status: number): ResponseShape {
  if (status === 422) return 'ValidationErrorBody'
  if (status !== 200) return 'ErrorBody'
  if (method === 'GET') return /\/campaigns\/?$/.test(path) ? 'CampaignPage' : 'CampaignDetail'
  return 'CampaignSummary'
}

/** Counts how many responses were shape-checked, so a suite can prove it checked every endpoint. */
export const checkedShapes = new Map<string, number>()

/**
 * A sandbox for one describe block whose `request` checks the shape of every reply and, for
 * /api/scheduling paths, records `METHOD route status` in `checkedShapes`.
 */
export function useSarvamSandbox(options: SandboxOptions = { now: T0 }) {
  const { sandbox, request: send } = useSandbox(options)
  async function request(method: string, path: string, requestOptions: RequestOptions = {}): Promise<SandboxReply> {
    const reply = await send(method, path, requestOptions)
    const shape = expectedShape(method, path.split('?')[0]!, reply.status)
    expect(shapeProblems(shape, reply.body), `${method} ${path} → ${reply.status} ${reply.text}`).toBe('')
    const key = `${method} ${path.replace(/camp-[0-9a-f]+/, '{id}').split('?')[0]} ${reply.status}`
    checkedShapes.set(key, (checkedShapes.get(key) ?? 0) + 1)
    return reply
  }
  return { sandbox, request }
}

/** A valid CreateCampaign body starting an hour after `now` and lasting a week, with overrides. */
export function campaignBody(now: number, overrides: Json = {}): Json {
  const start = now + HOUR
  return {
    name: 'renewals-hi',
    description: 'Hindi reminders for renewals due this week',
    app_config: {
      app_id: 'payment-reminder-agent',
      app_version: 2,
      attempts_per_second: 2,
      connection_configs: [{ connection_id: 'conn-exotel-001', phone_numbers: ['+918047168000'] }],
      retry_config: { max_retries: 3, retry_interval_minutes: 30 },
    },
    start_timestamp: iso(start),
    end_timestamp: iso(start + 7 * DAY),
    allowed_schedule: {
      allowed_start_time: '10:00',
      allowed_end_time: '19:00',
      allowed_days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
      timezone: 'Asia/Kolkata',
    },
    ...overrides,
  }
}

type Request = (method: string, path: string, options?: RequestOptions) => Promise<SandboxReply>

/** Creates a campaign and returns its summary, failing the test with the reply when it is refused. */
export async function createCampaign(request: Request, base: string, body: Json): Promise<Summary> {
  const reply = await request('POST', `${base}/campaigns`, { json: body })
  expect(reply.status, reply.text).toBe(200)
  return reply.body as Summary
}

export async function getCampaign(request: Request, base: string, id: string): Promise<Detail> {
  const reply = await request('GET', `${base}/campaigns/${id}`)
  expect(reply.status, reply.text).toBe(200)
  return reply.body as Detail
}

export async function setStatus(request: Request, base: string, id: string, action: string): Promise<SandboxReply> {
  return request('PUT', `${base}/campaigns/${id}/status`, { json: { action } })
}

/** The 422 entries of a reply (failing when it is not a 422). */
export function validationEntries(reply: SandboxReply): ValidationEntry[] {
  expect(reply.status, reply.text).toBe(422)
  return (reply.body as { detail: ValidationEntry[] }).detail
}

/** The entry at `loc`, which must exist. */
export function entryAt(reply: SandboxReply, loc: (string | number)[]): ValidationEntry {
  const entries = validationEntries(reply)
  const entry = entries.find((candidate) => JSON.stringify(candidate.loc) === JSON.stringify(loc))
  expect(entry, `no 422 entry at ${JSON.stringify(loc)} in ${reply.text}`).toBeDefined()
  return entry!
}
