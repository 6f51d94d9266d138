/**
 * undici's Pool, loaded from its own modules: the package's index loads every dispatcher, the
 * fetch implementation and the web APIs (about 60 ms of every command's start), of which cac
 * uses the pool and its `request` alone. The index gives dispatchers their `request` method by
 * assigning it to Dispatcher's prototype; the same assignment is made here, once. The types are
 * the package's (undici is pinned by the lock file; a test checks the pool answers requests).
 */
import { createRequire } from 'node:module'
import { setFlagsFromString } from 'node:v8'

import type { Dispatcher as UndiciDispatcher, Pool as UndiciPool } from 'undici'

const require = createRequire(import.meta.url)

/**
 * undici parses HTTP with llhttp compiled to WebAssembly. V8 runs it as baseline code first and,
 * once a function has run about 1.8 MB's worth, compiles it again with its optimising compiler on
 * a background thread: for a moment 20–40 MB of compiler memory, and a core. A command reads too
 * little HTTP to earn that back, and the moment is the worst one: a 10,000 + 10,000 plan reads its
 * lists at its memory peak, which was 17 MB higher for it, with the same wall time. The budget
 * before that compile is set to the most V8 takes (2^31 − 1 bytes: no command reads that much),
 * before any pool exists (undici compiles llhttp when its first connection opens).
 */
const WASM_TIERING_FLAGS = '--wasm-tiering-budget=2147483647'
setFlagsFromString(WASM_TIERING_FLAGS)

const dispatcherPrototype = (require('undici/lib/dispatcher/dispatcher.js') as { prototype: Partial<UndiciDispatcher> }).prototype
if (typeof dispatcherPrototype.request !== 'function') {
  dispatcherPrototype.request = require('undici/lib/api/api-request.js') as UndiciDispatcher['request']
}

export const Pool = require('undici/lib/dispatcher/pool.js') as typeof UndiciPool
export type Pool = UndiciPool
