/**
 * The rule build-bundle.ts holds each output file of the bundle to: everything of cac's own that
 * it imports is in the bundle. A path left to run time, or an `import()` of a name computed at run
 * time, would load a module of dist/ beside its bundled copy (two registries of secrets, two of
 * every class); packages are left to node_modules on purpose.
 */

/** An import of an output file, as esbuild's metafile lists it. */
export interface BundleImport {
  path: string
  external?: boolean
}

/** `import(` followed by anything but a string: a module esbuild could not have bundled. */
const COMPUTED_IMPORT = /\bimport\(\s*[^"'`\s]/

/** Why an output file breaks the rule, or undefined when it keeps it. */
export function bundleProblem(file: string, imports: readonly BundleImport[], text: string): string | undefined {
  const local = imports.find((entry) => entry.external === true && /^[./]/.test(entry.path))
  if (local) return `${file} leaves ${local.path} to be loaded at run time`
  if (COMPUTED_IMPORT.test(text)) return `${file} imports a module named at run time`
  return undefined
}
