/**
 * Build step: compiles the published schemas (schemas/, with cac.yaml's schema composed from the
 * platforms as at run time) into standalone ajv code, dist/config/validators.generated.cjs, so the
 * CLI validates without compiling. Any failure exits non-zero and so fails `npm run build`.
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import { schemaFiles, standaloneValidatorsCode } from '../config/schema-compiler.js'
import { PRECOMPILED_VALIDATORS_FILE, SCHEMA_DIR, precompiledValidators } from '../config/schema-validator.js'

const outputPath = fileURLToPath(new URL(`../config/${PRECOMPILED_VALIDATORS_FILE}`, import.meta.url))
writeFileSync(outputPath, standaloneValidatorsCode(SCHEMA_DIR))
// Load what was written, the way the CLI will: a module that does not load fails the build here.
const load = precompiledValidators(outputPath)
for (const file of schemaFiles(SCHEMA_DIR)) load(file)
