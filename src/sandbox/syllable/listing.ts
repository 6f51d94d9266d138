import type { ApiRequest } from '../http-kit.js'
import { ParameterReader } from '../request-validation.js'
import { ORDER_BY_DIRECTIONS, type OrderByDirection } from './enums.js'

/** The query of a list endpoint, read and checked (shared by campaigns and batches). */
export interface ListQuery<F extends string> {
  page: number
  limit: number
  search: { field: F; value: string | number }[]
  orderBy: F | undefined
  direction: OrderByDirection
  fields: F[]
  start: number | undefined
  end: number | undefined
}

/** What a resource tells the list machinery about its fields. */
export interface ListableFields<F extends string> {
  /** The enum of searchable / orderable / projectable fields (CampaignProperties, BatchProperties). */
  properties: readonly F[]
  /** Integer fields: their search values must be integers and match exactly. */
  integerFields: readonly F[]
  /** Enum-valued fields: matched whole (case-insensitively) rather than as substrings. */
  exactFields: readonly F[]
  /** The timestamp `start_datetime` / `end_datetime` filter on. */
  timestampField: string
}

export interface ListPage {
  items: Record<string, unknown>[]
  page: number
  /** The page size used (the `limit`), the same on every page: total_pages is computed from it. */
  page_size: number
  total_pages: number
  total_count: number
}

/** Reads the documented list parameters; every problem is collected into one 422. */
export function readListQuery<F extends string>(request: ApiRequest, listable: ListableFields<F>): ListQuery<F> {
  const reader = new ParameterReader(request)
  const page = reader.queryInt('page', { default: 0, minimum: 0 })
  const limit = reader.queryInt('limit', { default: 25, minimum: 0 })
  const searchFields = reader.queryList('search_fields', listable.properties)
  const searchValues = reader.queryList('search_field_values')
  const orderBy = reader.queryEnum('order_by', listable.properties)
  const direction = reader.queryEnum('order_by_direction', ORDER_BY_DIRECTIONS) ?? 'asc'
  const fields = reader.queryList('fields', listable.properties)
  const start = reader.queryDateTime('start_datetime')
  const end = reader.queryDateTime('end_datetime')

  const search = pairSearchTerms(reader, request, searchFields, searchValues, listable)
  reader.done()
  return { page, limit, search, orderBy, direction, fields, start, end }
}

/** Pairs search_fields with search_field_values by index; the two lists must be equally long. */
function pairSearchTerms<F extends string>(
  reader: ParameterReader,
  request: ApiRequest,
  fields: F[],
  values: string[],
  listable: ListableFields<F>,
): { field: F; value: string | number }[] {
  const rawFieldCount = request.query.getAll('search_fields').length
  if (rawFieldCount !== values.length) {
    reader.add({
      type: 'value_error',
      loc: ['query', 'search_field_values'],
      msg: `Value error, search_fields and search_field_values correspond by index, so they need the same number of items (got ${rawFieldCount} and ${values.length})`,
      input: values,
    })
    return []
  }
  if (fields.length !== rawFieldCount) return [] // enum errors are already recorded
  return fields.map((field, i) => {
    const value = values[i]!
    if (!listable.integerFields.includes(field)) return { field, value }
    if (/^[+-]?\d+$/.test(value.trim())) return { field, value: Number(value) }
    reader.add({
      type: 'int_parsing',
      loc: ['query', 'search_field_values', i],
      msg: `Input should be a valid integer, unable to parse string as an integer (${field} is an integer field)`,
      input: value,
    })
    return { field, value }
  })
}

/**
 * One page of `stored` records (in the default order), turned into API representations by
 * `toResponse`: filtered by the time window and the search terms (all must match), ordered,
 * sliced, then projected onto `fields`. Only the records of the page are turned into responses:
 * filtering and ordering read the fields through `valueOf` (by default from the response, built
 * once per record), so a search of a large account stays cheap where a kind can read its
 * searchable fields straight from the stored record.
 */
export function listPage<S, F extends string>(
  stored: readonly S[],
  toResponse: (record: S) => Record<string, unknown>,
  query: ListQuery<F>,
  listable: ListableFields<F>,
  valueOf: (record: S, field: string) => unknown = responseField(toResponse),
): ListPage {
  const plain = query.search.length === 0 && query.start === undefined && query.end === undefined && query.orderBy === undefined
  if (plain) return pageOf(defaultOrderPage(stored, query).map(toResponse), query, stored.length)
  const windowed = query.start !== undefined || query.end !== undefined
  // Text is compared in lower case: each search value is lowered once, not once per record.
  const terms = query.search.map((term) => ({ ...term, value: typeof term.value === 'string' ? term.value.toLowerCase() : term.value }))
  const matching = stored.filter(
    (record) =>
      (!windowed || withinWindow(valueOf(record, listable.timestampField), query)) &&
      terms.every((term) => matchesTerm(valueOf(record, term.field), term.value, term.field, listable)),
  )
  const ordered = orderRows(matching, query, valueOf)
  const offset = query.page * query.limit
  const items = query.limit === 0 ? [] : ordered.slice(offset, offset + query.limit).map(toResponse)
  return pageOf(items, query, matching.length)
}

/** The page of unfiltered records in the default order or its reverse: a slice, whatever the collection's size. */
function defaultOrderPage<S, F extends string>(stored: readonly S[], query: ListQuery<F>): S[] {
  const offset = query.page * query.limit
  if (query.limit === 0) return []
  if (query.direction === 'asc') return stored.slice(offset, offset + query.limit)
  const end = Math.max(0, stored.length - offset)
  return stored.slice(Math.max(0, end - query.limit), end).reverse()
}

/** Reads a field from the record's response, building each response once. */
function responseField<S>(toResponse: (record: S) => Record<string, unknown>): (record: S, field: string) => unknown {
  const built = new Map<S, Record<string, unknown>>()
  return (record, field) => {
    let response = built.get(record)
    if (!response) built.set(record, (response = toResponse(record)))
    return response[field]
  }
}

function pageOf<F extends string>(items: Record<string, unknown>[], query: ListQuery<F>, total: number): ListPage {
  return {
    items: query.fields.length > 0 ? items.map((item) => project(item, query.fields)) : items,
    page: query.page,
    page_size: query.limit,
    total_pages: query.limit === 0 ? 0 : Math.ceil(total / query.limit),
    total_count: total,
  }
}

/** Inclusive on both ends; a row without the timestamp is outside any window. */
function withinWindow(timestamp: unknown, query: { start: number | undefined; end: number | undefined }): boolean {
  if (query.start === undefined && query.end === undefined) return true
  if (typeof timestamp !== 'string') return false
  const at = Date.parse(timestamp)
  return (query.start === undefined || at >= query.start) && (query.end === undefined || at <= query.end)
}

/**
 * Search semantics (the spec names the parameters, not how they match; `wanted` is in lower case): integer fields match
 * exactly, enum fields match whole and case-insensitively, text matches as a case-insensitive
 * substring, a list when any element matches, an object when any key or value matches; null never
 * matches.
 */
function matchesTerm<F extends string>(actual: unknown, wanted: string | number, field: F, listable: ListableFields<F>): boolean {
  if (actual === null || actual === undefined) return false
  if (typeof wanted === 'number') return actual === wanted
  if (listable.exactFields.includes(field)) return String(actual).toLowerCase() === wanted
  return containsText(actual, wanted)
}

function containsText(actual: unknown, wanted: string): boolean {
  if (actual === null || actual === undefined) return false
  if (Array.isArray(actual)) return actual.some((item) => containsText(item, wanted))
  if (typeof actual === 'object') {
    return Object.entries(actual).some(([key, value]) => key.toLowerCase().includes(wanted) || containsText(value, wanted))
  }
  return String(actual).toLowerCase().includes(wanted)
}

/**
 * Orders by `order_by` (nulls last ascending, first descending, as PostgreSQL does), ties broken by
 * the default order, so `desc` is exactly the reverse of `asc`; without `order_by`, `desc` reverses
 * the default order.
 */
function orderRows<S, F extends string>(rows: S[], query: ListQuery<F>, valueOf: (record: S, field: string) => unknown): S[] {
  const sign = query.direction === 'desc' ? -1 : 1
  const orderBy = query.orderBy
  const indexed = rows.map((row, index) => ({ row, index, key: orderBy === undefined ? undefined : valueOf(row, orderBy) }))
  indexed.sort((a, b) => {
    const byField = orderBy === undefined ? 0 : compareValues(a.key, b.key)
    return byField !== 0 ? sign * byField : sign * (a.index - b.index)
  })
  return indexed.map(({ row }) => row)
}

/**
 * Text is ordered like a database with an English locale collation ("alpha" < "Beta" < "gamma"),
 * not by code unit, which would put every capitalised name first.
 */
const TEXT_ORDER = new Intl.Collator('en', { sensitivity: 'variant', numeric: false })

/** Numbers numerically; everything else by its text. */
function compareValues(a: unknown, b: unknown): number {
  const aMissing = a === null || a === undefined
  const bMissing = b === null || b === undefined
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  return TEXT_ORDER.compare(sortText(a), sortText(b))
}

const sortText = (value: unknown): string => (typeof value === 'object' ? JSON.stringify(value) : String(value))

function project(item: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((field) => field in item).map((field) => [field, item[field]]))
}
