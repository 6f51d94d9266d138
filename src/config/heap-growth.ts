/**
 * How a run of a large project lets V8 grow its heap. A run holds its whole project until it ends,
 * so on a large one V8's own growth choices decide the peak:
 *
 * - The young generation: V8 doubles it (up to 2 × 16 MB) while most of what it holds survives,
 *   which is all a loader does: everything it reads is kept. A bigger young generation then only
 *   copies the same objects in bigger steps, and its pages stay committed. From a project of
 *   LARGE_PROJECT_FILES files on, the run holds it at the size it has when loading starts
 *   (`--semi-space-growth-factor=1`, which V8 reads each time it would grow it): a 10,000 + 10,000
 *   plan peaks ~150 MB instead of ~180, in the same time. Smaller projects keep V8's choice. Once
 *   the heap is large (below), the growth comes back: held to the end, a 100,000 + 100,000 plan
 *   took a quarter longer (hundreds of small collections over a large old generation).
 * - The old generation: V8 lets it grow up to 4× past what its last full collection kept, and
 *   which 4× a run lands on is a matter of timing (the same 100,000 + 100,000 plan peaked anywhere
 *   from 880 to 970 MB). Once the heap holds LARGE_HEAP_BYTES, the growth is held to 2×
 *   (`--heap-growing-percent`, read at each full collection): 730–770 MB there, in the same time.
 *   (From the start, a fixed factor made a 10,000 + 10,000 plan peak higher.)
 *
 * Both are V8 flags, so they hold for the rest of the process: a CLI run is one project.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8'

export const LARGE_PROJECT_FILES = 16
export const LARGE_PROJECT_V8_FLAGS = '--semi-space-growth-factor=1'
export const LARGE_HEAP_BYTES = 128 * 2 ** 20
export const LARGE_HEAP_V8_FLAGS = '--heap-growing-percent=100 --semi-space-growth-factor=2'

/** Called once the loader knows how many definition files it will read. */
export function youngGenerationBound(setV8Flags: (flags: string) => void): (files: number) => void {
  let bounded = false
  return (files) => {
    if (bounded || files < LARGE_PROJECT_FILES) return
    bounded = true
    setV8Flags(LARGE_PROJECT_V8_FLAGS)
  }
}

/** A check to call often (it is cheap): the first time the heap is large, it bounds its growth. */
export function heapGrowthBound(usedHeapBytes: () => number, setV8Flags: (flags: string) => void): () => void {
  let bounded = false
  return () => {
    if (bounded || usedHeapBytes() < LARGE_HEAP_BYTES) return
    bounded = true
    setV8Flags(LARGE_HEAP_V8_FLAGS)
  }
}

/** This process's young generation (the definition loader calls it before reading the files). */
export const boundYoungGenerationForProject = youngGenerationBound(setFlagsFromString)

/** This process's heap (the definition loader calls it between files). */
export const boundHeapGrowthWhenLarge = heapGrowthBound(() => getHeapStatistics().used_heap_size, setFlagsFromString)
