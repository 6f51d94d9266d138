import type { SandboxClock } from './clock.js'
import type { ApiRequest, RouteDefinition } from './http-kit.js'
import type { SandboxStore } from './store.js'

/** What a platform's handlers get besides the request. */
export interface PlatformContext {
  store: SandboxStore
  clock: SandboxClock
  /** Who is calling, derived from the API key (used for created_by / last_updated_by). */
  actor: string
}

/** One emulated platform: how it authenticates, and its routes (its declaration loads it, see model/platform.ts). */
export interface PlatformModule {
  /** The platform's type. */
  name: string
  /** Returns the caller's identity, or undefined when the request carries no usable credentials (→ 401). */
  authenticate(request: ApiRequest): string | undefined
  /** The `detail` of the 401 answer. */
  unauthenticatedDetail: string
  routes: RouteDefinition<PlatformContext>[]
}
