/**
 * undici's Pool, loaded from its own modules: the package's index loads every dispatcher, the
 * fetch implementation and the web APIs (about 60 ms of every command's start), of which cac
 * uses the pool and its `request` alone. The index gives dispatchers their `request` method by
 * assigning it to Dispatcher's prototype; the same assignment is made here, once. The types are
 * the package's (undici is pinned by the lock file; a test checks the pool answers requests).
 */
import { createRequire } from 'node:module'

import type { Dispatcher as UndiciDispatcher, Pool as UndiciPool } from 'undici'

const require = createRequire(import.meta.url)

const dispatcherPrototype = (require('undici/lib/dispatcher/dispatcher.js') as { prototype: Partial<UndiciDispatcher> }).prototype
if (typeof dispatcherPrototype.request !== 'function') {
  dispatcherPrototype.request = require('undici/lib/api/api-request.js') as UndiciDispatcher['request']
}

export const Pool = require('undici/lib/dispatcher/pool.js') as typeof UndiciPool
export type Pool = UndiciPool
