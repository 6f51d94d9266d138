import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import Ajv2020Module from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import type { ErrorObject, ValidateFunction } from 'ajv'

import { KINDS, PLATFORMS, kindOf } from '../platforms.js'
import { composeProjectSchema } from './project-schema.js'

// ajv and ajv-formats are CommonJS; under NodeNext their default export is the module object.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ??
  Ajv2020Module) as unknown as typeof Ajv2020Module.default
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as typeof addFormatsModule.default

/** The folder holding the published JSON Schemas; they are the source of truth, read at run time. */
export const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url))

export const PROJECT_SCHEMA_FILE = 'cac.schema.json'

export type SchemaError = ErrorObject

export interface SchemaValidators {
  project: ValidateFunction
  /** The validator of a kind (every platform's kinds are compiled); throws for a kind no platform declares. */
  kind(name: string): ValidateFunction
}

let cached: SchemaValidators | undefined

/** Compiles the schemas once per process (ajv with allErrors, strict mode, formats). */
export function schemaValidators(schemaDir = SCHEMA_DIR): SchemaValidators {
  if (cached && schemaDir === SCHEMA_DIR) return cached
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true })
  addFormats(ajv)
  // Editors show this message for a failed pattern; so do we.
  ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' })
  const ids = new Map<string, string>()
  for (const file of readdirSync(schemaDir).filter((name) => name.endsWith('.schema.json')).sort()) {
    const read = JSON.parse(readFileSync(schemaDir + file, 'utf8')) as Record<string, unknown>
    const schema = file === PROJECT_SCHEMA_FILE ? composeProjectSchema(read, PLATFORMS) : read
    if (typeof schema.$id !== 'string') throw new Error(`schema ${file} has no $id`)
    ajv.addSchema(schema)
    ids.set(file, schema.$id)
  }
  const compile = (file: string): ValidateFunction => {
    const id = ids.get(file)
    if (!id) throw new Error(`schema ${file} is missing from ${schemaDir}`)
    const validate = ajv.getSchema(id)
    if (!validate) throw new Error(`schema ${file} did not compile`)
    return validate
  }
  const kinds = new Map(Object.values(KINDS).map((kind) => [kind.name, compile(kind.schemaFile)]))
  const validators: SchemaValidators = {
    project: compile(PROJECT_SCHEMA_FILE),
    kind: (name) => kinds.get(name) ?? compile(kindOf(name).schemaFile),
  }
  if (schemaDir === SCHEMA_DIR) cached = validators
  return validators
}

/** Runs a compiled validator and returns every error (allErrors). */
export function schemaErrors(validate: ValidateFunction, value: unknown): SchemaError[] {
  return validate(value) ? [] : [...(validate.errors ?? [])]
}
