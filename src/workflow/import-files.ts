/**
 * How imported resources become files: a name derived from the identity that is safe on every
 * system (no separators or control characters, bounded, collisions numbered in address order),
 * and the YAML a user would write (the schema line, identity first, no server fields).
 */
import { dirname, relative } from 'node:path'

import { Document } from 'yaml'

import type { Spec } from '../model/plan.js'

/** The longest stem a file name gets from a resource's name (the rest of the name stays in the file). */
const MAX_STEM = 60

/** A resource's name as a file name stem: lower-case letters and digits joined by dashes. */
export function fileStem(name: string): string {
  const stem = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_STEM)
    .replace(/-+$/g, '')
  return stem === '' ? 'unnamed' : stem
}

/** Unique paths for the stems, in the order given: `a.yaml`, `a-2.yaml`, … (case-insensitively unique). */
export function uniquePaths(candidates: readonly string[], taken: ReadonlySet<string> = new Set()): string[] {
  const used = new Set([...taken].map((path) => path.toLowerCase()))
  return candidates.map((candidate) => {
    let path = `${candidate}.yaml`
    for (let n = 2; used.has(path.toLowerCase()); n += 1) path = `${candidate}-${n}.yaml`
    used.add(path.toLowerCase())
    return path
  })
}

/** One definition document in the file format: kind, provider, then the spec with its identity first. */
export function definitionYaml(documents: readonly { kind: string; provider: string; identityField: string; spec: Spec }[], file: string, schemaFile: string): string {
  const schema = relative(dirname(file), schemaFile).split('\\').join('/')
  const texts = documents.map(({ kind, provider, identityField, spec }) => {
    const { [identityField]: identity, ...rest } = spec
    const doc = new Document({ kind, provider, spec: { [identityField]: identity, ...rest } })
    return doc.toString({ lineWidth: 0 })
  })
  return `# yaml-language-server: $schema=${schema}\n${texts.join('---\n')}`
}

