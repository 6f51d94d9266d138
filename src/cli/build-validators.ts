/**
 * Build step: compiles the published schemas (schemas/, with cac.yaml's schema composed from the
 * platforms as at run time) into standalone ajv code, dist/config/validators.generated.cjs, so the
 * CLI validates without compiling. Any failure exits non-zero and so fails `npm run build`.
 * Arguments (for tests): another schema folder and output file.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import { schemaFiles, standaloneValidatorsCode } from '../config/schema-compiler.js'
import { PRECOMPILED_VALIDATORS_FILE, SCHEMA_DIR, precompiledValidators } from '../config/schema-validator.js'

const [schemaDir = SCHEMA_DIR, outputPath = fileURLToPath(new URL(`../config/${PRECOMPILED_VALIDATORS_FILE}`, import.meta.url))] =
  process.argv.slice(2)
try {
  writeFileSync(outputPath, standaloneValidatorsCode(schemaDir))
  // Load what was written, the way the CLI will: a module that does not load fails the build here.
  const load = precompiledValidators(outputPath)
  for (const file of schemaFiles(schemaDir)) load(file)
} catch (error) {
  rmSync(outputPath, { force: true })
  process.stderr.write(`build: cannot generate the schema validators from ${schemaDir}: ${(error as Error).message}\n`)
  process.exit(1)
}
