import { rememberingAnswers } from '../../model/values.js'
import { documentsOfKind, mappingAt, stringAt, type Rule } from './rule.js'

export interface ClockTimeFormat {
  /** Accept `HH:MM:SS` as well as `HH:MM`. */
  seconds: boolean
  /** Require a two-digit hour (`09:00`, not `9:00`). */
  twoDigitHour: boolean
  example: string
}

export const SYLLABLE_CLOCK: ClockTimeFormat = { seconds: true, twoDigitHour: false, example: '09:00:00' }
export const SARVAM_CLOCK: ClockTimeFormat = { seconds: false, twoDigitHour: true, example: '09:30' }

export type ClockTimeResult = Readonly<{ ok: true; seconds: number } | { ok: false; reason: string }>

const WITH_SECONDS = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/
const WITHOUT_SECONDS = /^(\d{1,2}):(\d{2})$/

/** Parses a wall-clock time into seconds after midnight, or says what is wrong with it (the answer is shared: not to be changed). */
export function parseClockTime(text: string, format: ClockTimeFormat): ClockTimeResult {
  // The same few times come back in file after file, and two rules ask about each one.
  let parse = parsers.get(format)
  if (!parse) parsers.set(format, (parse = rememberingAnswers((time) => parseUnknownClockTime(time, format), MAX_KNOWN_TIMES)))
  return parse(text)
}

/** Per format, the parser that keeps its answers: at most MAX_KNOWN_TIMES each (files may hold any text). */
const parsers = new Map<ClockTimeFormat, (text: string) => ClockTimeResult>()
const MAX_KNOWN_TIMES = 1024

function parseUnknownClockTime(text: string, format: ClockTimeFormat): ClockTimeResult {
  const match = (format.seconds ? WITH_SECONDS : WITHOUT_SECONDS).exec(text)
  const forms = format.seconds ? 'HH:MM or HH:MM:SS' : 'HH:MM'
  if (!match) return { ok: false, reason: `is not a clock time; write ${forms} in 24-hour form, e.g. "${format.example}"` }
  const [, h, m, s] = match
  if (format.twoDigitHour && h!.length !== 2) {
    return { ok: false, reason: `needs a two-digit hour; write "${h!.padStart(2, '0')}:${m}"` }
  }
  const hours = Number(h)
  const minutes = Number(m)
  const seconds = s === undefined ? 0 : Number(s)
  if (hours > 23) return { ok: false, reason: 'is not a valid clock time: hours run from 00 to 23' }
  if (minutes > 59) return { ok: false, reason: 'is not a valid clock time: minutes run from 00 to 59' }
  if (seconds > 59) return { ok: false, reason: 'is not a valid clock time: seconds run from 00 to 59' }
  return { ok: true, seconds: hours * 3600 + minutes * 60 + seconds }
}

/** Daily-window fields are real wall-clock times in the form each platform accepts. */
export const clockTime: Rule = {
  name: 'clock-time',
  summary: 'daily window times are valid 24-hour clock times (Syllable HH:MM[:SS], Sarvam HH:MM)',
  check(context) {
    for (const doc of documentsOfKind(context, 'SyllableCampaign')) {
      for (const field of ['daily_start_time', 'daily_end_time']) {
        const value = stringAt(doc.spec, field)
        if (value === undefined) continue
        const parsed = parseClockTime(value, SYLLABLE_CLOCK)
        if (!parsed.ok) context.report(doc.source, ['spec', field], `${JSON.stringify(value)} ${parsed.reason}`)
      }
    }
    for (const doc of documentsOfKind(context, 'SarvamCampaign')) {
      const schedule = mappingAt(doc.spec, 'allowed_schedule')
      for (const field of ['allowed_start_time', 'allowed_end_time']) {
        const value = stringAt(schedule, field)
        if (value === undefined) continue
        const parsed = parseClockTime(value, SARVAM_CLOCK)
        if (!parsed.ok) {
          context.report(doc.source, ['spec', 'allowed_schedule', field], `${JSON.stringify(value)} ${parsed.reason}`)
        }
      }
    }
  },
}
