import { actorForKey } from '../actor.js'
import type { PlatformModule } from '../platform.js'

export const sarvamPlatform: PlatformModule = {
  name: 'sarvam',
  unauthenticatedDetail: 'Provide a Bearer token or X-API-Key header',
  authenticate(request) {
    const key = request.headers['x-api-key']
    if (typeof key === 'string' && key.trim() !== '') return actorForKey(key.trim())
    const bearer = /^Bearer\s+(\S+)$/i.exec(String(request.headers.authorization ?? ''))
    return bearer ? actorForKey(bearer[1]!) : undefined
  },
  routes: [],
}
