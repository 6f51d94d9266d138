/**
 * The validators of cac.yaml and of each kind. The built CLI loads them precompiled
 * (dist/config/validators.generated.cjs, written by `npm run build` from the same schemas and
 * composition), so no command pays for compiling schemas; from sources (tests), or when schemas/
 * changed since the build, they are compiled.
 */
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

import type { ErrorObject, ValidateFunction } from 'ajv'

import { KINDS, kindOf } from '../platforms.js'
import { compileSchemas, PROJECT_SCHEMA_FILE, SCHEMAS_DIGEST_EXPORT, schemasDigest, validatorExportName } from './schema-compiler.js'

export { PROJECT_SCHEMA_FILE } from './schema-compiler.js'

/** The folder holding the published JSON Schemas; they are the source of truth (editors read them too). */
export const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url))

/** Where the build writes the precompiled validators: dist/config/, beside this module. */
export const PRECOMPILED_VALIDATORS_FILE = 'validators.generated.cjs'

// Named from dist/ (not from this module's folder), so that the bundled copy of this module finds the same file.
const PRECOMPILED_VALIDATORS_PATH = fileURLToPath(new URL(`../config/${PRECOMPILED_VALIDATORS_FILE}`, import.meta.url))

export type SchemaError = ErrorObject

export interface SchemaValidators {
  project: ValidateFunction
  /** The validator of a kind (every platform's kinds have one); throws for a kind no platform declares. */
  kind(name: string): ValidateFunction
}

/** Validators by schema file name, however they were made. */
export type ValidatorsByFile = (file: string) => ValidateFunction

let cached: SchemaValidators | undefined

/** The validators of the published schemas (loaded once per process), or compiled from another folder. */
export function schemaValidators(schemaDir = SCHEMA_DIR): SchemaValidators {
  if (schemaDir !== SCHEMA_DIR) return validatorsOf(compiledValidators(schemaDir))
  cached ??= validatorsOf(runsFromSources() ? compiledValidators(SCHEMA_DIR) : currentValidators(PRECOMPILED_VALIDATORS_PATH, SCHEMA_DIR))
  return cached
}

/** Groups validators by file into the project one and one per kind. */
export function validatorsOf(byFile: ValidatorsByFile): SchemaValidators {
  const kinds = new Map(Object.values(KINDS).map((kind) => [kind.name, byFile(kind.schemaFile)]))
  return {
    project: byFile(PROJECT_SCHEMA_FILE),
    kind: (name) => kinds.get(name) ?? byFile(kindOf(name).schemaFile),
  }
}

/** Compiles a folder's schemas now. */
export function compiledValidators(schemaDir: string): ValidatorsByFile {
  const { validators } = compileSchemas(schemaDir)
  return (file) => {
    const validate = validators.get(file)
    if (!validate) throw new Error(`schema ${file} is missing from ${schemaDir}`)
    return validate
  }
}

/**
 * The validators the build generated, when schemas/ still holds what they were built from; after a
 * schema was edited and not rebuilt, the schemas are compiled now (slower, never stale).
 */
export function currentValidators(modulePath: string, schemaDir: string): ValidatorsByFile {
  const exported = loadPrecompiledModule(modulePath)
  if (exported[SCHEMAS_DIGEST_EXPORT] !== schemasDigest(schemaDir)) return compiledValidators(schemaDir)
  return validatorsByFileOf(exported)
}

type PrecompiledModule = Record<string, unknown>

/** Loads the validators the build generated; a build without them is broken, and says so. */
export function precompiledValidators(modulePath = PRECOMPILED_VALIDATORS_PATH): ValidatorsByFile {
  return validatorsByFileOf(loadPrecompiledModule(modulePath))
}

function loadPrecompiledModule(modulePath: string): PrecompiledModule {
  try {
    return createRequire(import.meta.url)(modulePath) as PrecompiledModule
  } catch (error) {
    throw new Error(`cannot load the precompiled schema validators (${modulePath}); run npm run build: ${(error as Error).message}`)
  }
}

function validatorsByFileOf(exported: PrecompiledModule): ValidatorsByFile {
  return (file) => {
    const validate = exported[validatorExportName(file)]
    if (typeof validate !== 'function') throw new Error(`the precompiled schema validators have none for ${file}; run npm run build`)
    return validate as ValidateFunction
  }
}

/** True when this module is the TypeScript source (tests), which has no generated validators beside it. */
function runsFromSources(): boolean {
  return import.meta.url.endsWith('.ts')
}

/** Runs a validator and returns every error (allErrors). */
export function schemaErrors(validate: ValidateFunction, value: unknown): SchemaError[] {
  return validate(value) ? [] : [...(validate.errors ?? [])]
}
