import type { Platform } from '../model/platform.js'

/** A platform's declaration, its settings type checked where it is written and erased for the list of platforms. */
export function definePlatform<Settings>(platform: Platform<Settings>): Platform {
  return platform as unknown as Platform
}

