import type { StarterCalendar } from '../model/platform.js'

const DAY_MS = 86_400_000

/** The calendar a starter project is dated from: the UTC day of `now`. */
export function starterCalendar(now: Date): StarterCalendar {
  const today = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS)
  return {
    today,
    at: (days, time) => {
      const [hours, minutes] = time.split(':').map(Number) as [number, number]
      const instant = new Date(today.getTime() + days * DAY_MS + (hours * 60 + minutes) * 60_000)
      return instant.toISOString().replace('.000Z', 'Z')
    },
  }
}
