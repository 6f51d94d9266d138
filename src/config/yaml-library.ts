/**
 * The `yaml` library (the full parser), loaded the first time something calls into it. Most
 * projects never do: the fast path (plain-yaml.ts) reads plain files, cac.yaml included, and the
 * library's syntax tree is built only for a file the fast path does not take or a problem to
 * point at. Loading it costs more than validating a small project.
 *
 * The same names as the library's, so the modules that work on its syntax tree read as if they
 * imported it.
 */
import { createRequire } from 'node:module'

import type * as Yaml from 'yaml'

export type { Alias, Document, LineCounter, Node, ParsedNode, Scalar, YAMLError } from 'yaml'

let library: typeof Yaml | undefined

function yaml(): typeof Yaml {
  library ??= createRequire(import.meta.url)('yaml') as typeof Yaml
  return library
}

export const isAlias = (node: unknown): node is Yaml.Alias => yaml().isAlias(node)
export const isMap = (node: unknown): node is Yaml.YAMLMap => yaml().isMap(node)
export const isPair = (node: unknown): node is Yaml.Pair => yaml().isPair(node)
export const isScalar = (node: unknown): node is Yaml.Scalar => yaml().isScalar(node)
export const isSeq = (node: unknown): node is Yaml.YAMLSeq => yaml().isSeq(node)

export const parse = (text: string, options?: Yaml.ParseOptions & Yaml.DocumentOptions & Yaml.SchemaOptions & Yaml.ToJSOptions): unknown => yaml().parse(text, options)
export const parseAllDocuments: typeof Yaml.parseAllDocuments = (...args: Parameters<typeof Yaml.parseAllDocuments>) => yaml().parseAllDocuments(...args)

export function newLineCounter(): Yaml.LineCounter {
  return new (yaml().LineCounter)()
}

/** The library's `visit`, with its BREAK and SKIP signals. */
export const visit = Object.defineProperties((node: Parameters<typeof Yaml.visit>[0], visitor: Parameters<typeof Yaml.visit>[1]) => yaml().visit(node, visitor), {
  BREAK: { get: () => yaml().visit.BREAK },
  SKIP: { get: () => yaml().visit.SKIP },
}) as ((node: Parameters<typeof Yaml.visit>[0], visitor: Parameters<typeof Yaml.visit>[1]) => void) & { readonly BREAK: symbol; readonly SKIP: symbol }
