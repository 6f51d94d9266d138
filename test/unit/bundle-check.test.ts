import { describe, expect, it } from 'vitest'

import { bundleProblem } from '../../src/cli/bundle-check.js'

describe('the bundle of the quick run holds all of cac\'s own code', () => {
  it('accepts chunks of its own and packages left to node_modules', () => {
    const text = 'import { a } from "./chunk-ABC.js";\nconst b = await import("./plan-XYZ.js");\nimport { Pool } from "undici";'
    const imports = [{ path: 'dist/bundle/chunk-ABC.js' }, { path: 'dist/bundle/plan-XYZ.js' }, { path: 'undici', external: true }, { path: 'node:fs', external: true }]
    expect(bundleProblem('dist/bundle/quick-run.js', imports, text)).toBeUndefined()
  })

  it.each([['../config/load-project.js'], ['./missing.js'], ['/abs/dist/model/secret-scrubber.js']])('refuses %s left to run time', (path) => {
    expect(bundleProblem('dist/bundle/x.js', [{ path, external: true }], '')).toBe(`dist/bundle/x.js leaves ${path} to be loaded at run time`)
  })

  it.each([['import(target)'], ['import( moduleUrl.href )'], ['await import(QUICK_RUN_BUNDLE)']])('refuses a computed %s', (call) => {
    expect(bundleProblem('dist/bundle/x.js', [], `const m = ${call};`)).toBe('dist/bundle/x.js imports a module named at run time')
  })

  it('does not take a word ending in "import" for a call', () => {
    expect(bundleProblem('dist/bundle/x.js', [], 'reimport(x); runImport(flags)')).toBeUndefined()
  })
})
