import { appendFile } from 'node:fs/promises'

import { scrubOutput } from '../output.js'
import type { CommandIo } from '../command-io.js'

/**
 * In a GitHub Actions job (`$GITHUB_STEP_SUMMARY` names a file), a command's Markdown report is
 * appended there too, scrubbed like every output, so the run's summary page shows it.
 */
export async function appendStepSummary(io: CommandIo, markdown: () => string): Promise<void> {
  const file = io.env.GITHUB_STEP_SUMMARY
  if (file === undefined || file === '') return
  await appendFile(file, `${scrubOutput(markdown())}\n`)
}

/** Text output as a Markdown block (for the commands whose report is text). */
export function asMarkdownBlock(title: string, text: string): string {
  return `### ${title}\n\n\`\`\`\n${text.replace(/\u001b\[[0-9;]*m/g, '').replace(/```/g, '``\u200b`')}\`\`\`\n`
}
