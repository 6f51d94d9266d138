import { valueAt } from '../../model/values.js'
import { projectSecretPaths, secretPathsOf } from '../secret-paths.js'
import type { DataPath, SourceDocument } from '../yaml-source.js'
import type { Rule, RuleContext } from './rule.js'

const SINGLE_REFERENCE = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-)?\}$/
const REFERENCE_WITH_DEFAULT = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*):-(.+)\}$/s

/**
 * Secrets (provider api_key, webhook hmac_secret) come from the environment, never from git: the
 * value must be exactly one `${env:NAME}` reference (an empty default, `${env:NAME:-}`, is allowed).
 * The literal is never repeated in the message.
 */
export const secretLiteral: Rule = {
  name: 'secret-literal',
  summary: 'secrets (api_key, hmac_secret) are written as ${env:NAME}, never as literal values',
  check(context) {
    const project = context.project
    if (project) {
      for (const path of projectSecretPaths(project.source.value)) checkSecret(context, project.source, path)
    }
    for (const doc of context.documents) {
      for (const path of secretPathsOf(doc)) checkSecret(context, doc.source, path)
    }
  },
}

function checkSecret(context: RuleContext, source: SourceDocument, path: DataPath): void {
  const record = source.interpolationAt(path)
  const suggestion = `\${env:${suggestedVariable(path)}}`
  if (!record) {
    const value = valueAt(source.value, path)
    if (value === null || value === undefined || value === '') return // Nothing stored in the file.
    context.report(
      source,
      path,
      `written as a literal value; secrets must not be stored in files: write ${suggestion} ` +
        'and set the variable where cac runs (rotate the secret if this file was committed)',
    )
    return
  }
  if (SINGLE_REFERENCE.test(record.raw)) return
  const withDefault = REFERENCE_WITH_DEFAULT.exec(record.raw)
  if (withDefault && withDefault[2]!.includes('${env:')) {
    context.report(
      source,
      path,
      `a secret comes from one variable: the fallback to another variable in \${env:${withDefault[1]}:-…} is not allowed here; write \${env:${withDefault[1]}}`,
    )
    return
  }
  if (withDefault) {
    context.report(
      source,
      path,
      `the default after ":-" in \${env:${withDefault[1]}:-…} is a literal secret in the file; remove it (write \${env:${withDefault[1]}})`,
    )
    return
  }
  context.report(
    source,
    path,
    `must be exactly one environment reference such as ${suggestion}, with no literal text around it`,
  )
}

function suggestedVariable(path: DataPath): string {
  if (path[0] === 'providers') return `${String(path[1]).toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_API_KEY`
  return 'WEBHOOK_HMAC_SECRET'
}
