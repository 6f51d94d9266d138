/**
 * How far V8 lets the heap grow past what its last full collection kept: up to 4× by its own
 * choice. A run holds its whole project until it ends, so on a large one that choice decides the
 * peak, and which 4× it lands on is a matter of timing: the same 100,000 + 100,000 plan peaked
 * anywhere from 880 to 970 MB. Once the heap holds more than LARGE_HEAP_BYTES, the growth is held
 * to 2× (V8's `--heap-growing-percent`, which it reads at each full collection): 730–770 MB there,
 * in the same time. A smaller run keeps V8's own choice (from the start, a fixed factor made a
 * 10,000 + 10,000 plan peak higher, and the heap of one never reaches the threshold).
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8'

export const LARGE_HEAP_BYTES = 128 * 2 ** 20
export const LARGE_HEAP_V8_FLAGS = '--heap-growing-percent=100'

/** A check to call often (it is cheap): the first time the heap is large, it bounds its growth. */
export function heapGrowthBound(usedHeapBytes: () => number, setV8Flags: (flags: string) => void): () => void {
  let bounded = false
  return () => {
    if (bounded || usedHeapBytes() < LARGE_HEAP_BYTES) return
    bounded = true
    setV8Flags(LARGE_HEAP_V8_FLAGS)
  }
}

/** This process's heap (the definition loader calls it between files). */
export const boundHeapGrowthWhenLarge = heapGrowthBound(() => getHeapStatistics().used_heap_size, setFlagsFromString)
