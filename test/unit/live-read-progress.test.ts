import { describe, expect, it } from 'vitest'

import type { CommandIo } from '../../src/cli/command-io.js'
import { formatLiveReadLine, liveReadLine } from '../../src/cli/live-read-progress.js'
import { readTelling, type LiveReadProgress } from '../../src/workflow/live-read-progress.js'

/** A read that ends when `finish` is called (with a value, or an error). */
function pendingRead<T>(provider: string) {
  let finish!: (outcome: T | Error) => void
  const done = new Promise<T>((resolve, reject) => {
    finish = (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome))
  })
  return { entry: { provider, read: () => done }, finish }
}

describe('readTelling: the progress of reading the live state, as it goes', () => {
  it('tells when the reads start, as each ends, and once at the end; results keep their order', async () => {
    const told: LiveReadProgress[] = []
    const syllable = pendingRead<string>('syllable')
    const sarvam = pendingRead<string>('sarvam')
    const reading = readTelling([syllable.entry, sarvam.entry], (progress) => told.push(progress))

    expect(told).toEqual([{ reading: ['syllable', 'sarvam'], done: 0, total: 2, finished: false }])
    sarvam.finish('sarvam list')
    await Promise.resolve()
    syllable.finish('syllable list')

    expect(await reading).toEqual(['syllable list', 'sarvam list'])
    expect(told).toEqual([
      { reading: ['syllable', 'sarvam'], done: 0, total: 2, finished: false },
      { reading: ['syllable'], done: 1, total: 2, finished: false },
      { reading: [], done: 2, total: 2, finished: true },
    ])
  })

  it('a failed read still ends with `finished`, and the failure is what the caller gets', async () => {
    const told: LiveReadProgress[] = []
    const failing = pendingRead<string>('syllable')
    const reading = readTelling([failing.entry], (progress) => told.push(progress))
    failing.finish(new Error('syllable → https://api.example: GET /campaigns → 503'))

    await expect(reading).rejects.toThrow('→ 503')
    expect(told.at(-1)).toMatchObject({ finished: true })
    expect(told.filter((progress) => progress.finished)).toHaveLength(1)
  })

  it('without a listener, or with nothing to read, nothing is told', async () => {
    expect(await readTelling([{ provider: 'syllable', read: () => Promise.resolve(1) }], undefined)).toEqual([1])
    const told: LiveReadProgress[] = []
    expect(await readTelling([], (progress) => told.push(progress))).toEqual([])
    expect(told).toEqual([])
  })
})

describe('the line on a terminal', () => {
  it('names the providers still being read, then how many are done', () => {
    expect(formatLiveReadLine({ reading: ['syllable', 'sarvam'], done: 0, total: 2, finished: false })).toBe('Reading live state from syllable, sarvam…')
    expect(formatLiveReadLine({ reading: ['sarvam'], done: 1, total: 2, finished: false })).toBe('Reading live state from sarvam… (1/2 providers read)')
  })

  it('never wraps (only one line is erased) and never prints a control character from a name', () => {
    const many = Array.from({ length: 12 }, (_, i) => `provider-${i}`)
    expect(formatLiveReadLine({ reading: many, done: 0, total: 12, finished: false })).toBe('Reading live state from 12 providers…')
    expect(formatLiveReadLine({ reading: ['evil\u001b[2J'], done: 0, total: 1, finished: false })).toBe('Reading live state from evil\\u{001b}[2J…')
  })

  /** A stderr that records what is written, on a terminal or not. */
  function streams(isTTY: boolean, env: NodeJS.ProcessEnv = {}): { io: Pick<CommandIo, 'stderr' | 'env'>; written: string[] } {
    const written: string[] = []
    return { io: { env, stderr: { isTTY, write: (text) => void written.push(text) } }, written }
  }

  it('is drawn in place on a terminal and erased when the read ends', () => {
    const { io, written } = streams(true)
    const listener = liveReadLine(io, 'text')!
    listener({ reading: ['syllable', 'sarvam'], done: 0, total: 2, finished: false })
    listener({ reading: ['sarvam'], done: 1, total: 2, finished: false })
    listener({ reading: [], done: 2, total: 2, finished: true })

    expect(written).toEqual([
      '\r\u001b[KReading live state from syllable, sarvam…',
      '\r\u001b[KReading live state from sarvam… (1/2 providers read)',
      '\r\u001b[K',
    ])
  })

  it.each([
    ['stderr is not a terminal', false, {}, 'text'],
    ['CI is set', true, { CI: 'true' }, 'text'],
    ['the output is JSON', true, {}, 'json'],
    ['the output is Markdown', true, {}, 'markdown'],
  ])('is not drawn when %s', (_, isTTY, env, format) => {
    expect(liveReadLine(streams(isTTY, env).io, format)).toBeUndefined()
  })

  it('CI=false is no CI', () => {
    expect(liveReadLine(streams(true, { CI: 'false' }).io, 'text')).toBeDefined()
  })
})
