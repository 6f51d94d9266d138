import { createInterface } from 'node:readline/promises'

/** True when nobody can answer a prompt: no terminal on stdin, or a CI environment. */
export function isNonInteractive(env: NodeJS.ProcessEnv = process.env): boolean {
  return runsInCi(env) || process.stdin.isTTY !== true
}

/** CI is set to anything but empty, 0 or false. */
export function runsInCi(env: NodeJS.ProcessEnv): boolean {
  return env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false'
}

/**
 * Asks on the terminal; only the word "yes" goes ahead. Ctrl+C (a key on a terminal in raw
 * mode, not a signal), Ctrl+D (the end of input) and `signal` all answer no: the prompt always
 * settles, so the caller can say that nothing was changed.
 */
export async function askYes(question: string, signal?: AbortSignal): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr })
  let onAbort: (() => void) | undefined
  try {
    const answer = await new Promise<string | undefined>((resolve) => {
      prompt.once('close', () => resolve(undefined))
      prompt.once('SIGINT', () => resolve(undefined))
      onAbort = () => resolve(undefined)
      if (signal?.aborted) onAbort()
      signal?.addEventListener('abort', onAbort, { once: true })
      prompt.question(`${question} Only "yes" is accepted: `).then(resolve, () => resolve(undefined))
    })
    // The cursor is still on the prompt's line after Ctrl+C or Ctrl+D.
    if (answer === undefined) process.stderr.write('\n')
    return answer?.trim() === 'yes'
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort)
    prompt.close()
  }
}
