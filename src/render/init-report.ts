import type { InitOutcome } from '../model/init-report.js'
import type { CommandEnding } from './apply-outcome.js'
import { printable } from './values.js'

/** Quotes a folder for a shell command line when it needs it. */
function shellWord(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`
}

/** What `cac init` wrote and what to run next; or why it wrote nothing (exit 1). */
export function renderInit(outcome: InitOutcome): CommandEnding {
  const dir = printable(outcome.dir)
  if (outcome.kind === 'refused') {
    const lines = [`Error: cac init wrote nothing in ${dir}: ${printable(outcome.reason)}`]
    for (const path of outcome.existing) lines.push(`  ${printable(path)}`)
    if (outcome.existing.length > 0) lines.push('cac init never overwrites a file. Move these away, or run cac init DIR with a new folder.')
    return { stdout: '', stderr: `${lines.join('\n')}\n`, exitCode: 1 }
  }
  const width = Math.max(...outcome.entries.map((entry) => entry.action.length))
  const lines = [`cac project in ${dir}:`]
  for (const entry of outcome.entries) {
    lines.push(`  ${entry.action.padEnd(width)}  ${printable(entry.path)}${entry.detail ? `  (${entry.detail})` : ''}`)
  }
  lines.push('', 'Next:')
  if (outcome.dir !== '.') lines.push(`  cd ${shellWord(outcome.dir)}`)
  if (!outcome.packageListsCac) {
    lines.push('  npm i -D campaigns-as-code   # the workflow installs cac from package.json; commit package-lock.json too')
  }
  lines.push(
    '  npx cac validate             # offline check of the files',
    '  npx cac plan                 # against the embedded sandbox: no credentials needed',
    '  npx cac apply                # then plan again: no changes',
    '',
  )
  return { stdout: lines.join('\n'), stderr: '', exitCode: 0 }
}
