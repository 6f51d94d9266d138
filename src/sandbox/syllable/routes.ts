import { actorForKey } from '../actor.js'
import type { PlatformModule } from '../platform.js'
import { batchRoutes } from './batches.js'
import { campaignRoutes } from './campaigns.js'

/** The Syllable outbound API (campaigns and batches), authenticated by the Syllable-API-Key header. */
export const syllableEmulator: PlatformModule = {
  name: 'syllable',
  unauthenticatedDetail: 'Not authenticated: send the Syllable-API-Key header',
  authenticate(request) {
    const key = request.headers['syllable-api-key']
    return typeof key === 'string' && key.trim() !== '' ? actorForKey(key.trim()) : undefined
  },
  routes: [...campaignRoutes, ...batchRoutes],
}
