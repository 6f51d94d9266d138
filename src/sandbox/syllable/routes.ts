import { actorForKey } from '../actor.js'
import type { PlatformModule } from '../platform.js'

export const syllablePlatform: PlatformModule = {
  name: 'syllable',
  unauthenticatedDetail: 'Not authenticated: send the Syllable-API-Key header',
  authenticate(request) {
    const key = request.headers['syllable-api-key']
    return typeof key === 'string' && key.trim() !== '' ? actorForKey(key.trim()) : undefined
  },
  routes: [],
}
