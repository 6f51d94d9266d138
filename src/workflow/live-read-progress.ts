/**
 * How far reading the live state has got, told as it goes, so that a terminal can show a line
 * while the platforms answer. The workflow only tells; the CLI decides whether and how to show it.
 */
export interface LiveReadProgress {
  /** The providers still being read, in the order they were started. */
  reading: readonly string[]
  /** Providers read so far, of `total`. */
  done: number
  total: number
  /** Set once, last, however the read ended (read, failed or interrupted): whatever shows progress is cleared. */
  finished: boolean
}

export type LiveReadListener = (progress: LiveReadProgress) => void

/** One provider's read. */
export interface ProviderRead<T> {
  provider: string
  read: () => Promise<T>
}

/**
 * Runs the reads concurrently and returns their results in order (the first failure rejects, as
 * Promise.all does), telling `listener` when they start, as each one ends, and once when all
 * have settled or one failed.
 */
export async function readTelling<T>(reads: readonly ProviderRead<T>[], listener: LiveReadListener | undefined): Promise<T[]> {
  if (!listener || reads.length === 0) return Promise.all(reads.map((entry) => entry.read()))
  const reading = reads.map((entry) => entry.provider)
  const tell = (finished: boolean) => listener({ reading: [...reading], done: reads.length - reading.length, total: reads.length, finished })
  tell(false)
  try {
    return await Promise.all(
      reads.map(async (entry) => {
        const result = await entry.read()
        reading.splice(reading.indexOf(entry.provider), 1)
        if (reading.length > 0) tell(false)
        return result
      }),
    )
  } finally {
    tell(true)
  }
}
