import { createInterface } from 'node:readline/promises'

/** True when nobody can answer a prompt: no terminal on stdin, or a CI environment. */
export function isNonInteractive(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false'
  return ci || process.stdin.isTTY !== true
}

/** Asks on the terminal; only the word "yes" goes ahead. */
export async function askYes(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr })
  try {
    const answer = await prompt.question(`${question} Only "yes" is accepted: `)
    return answer.trim() === 'yes'
  } finally {
    prompt.close()
  }
}
