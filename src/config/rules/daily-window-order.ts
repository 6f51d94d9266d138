import { SARVAM_CLOCK, SYLLABLE_CLOCK, parseClockTime, type ClockTimeFormat } from './clock-time.js'
import { documentsOfKind, mappingAt, stringAt, type Rule, type RuleContext } from './rule.js'
import type { DefinitionDocument } from '../definitions.js'

/** A daily calling window opens before it closes (windows across midnight are not supported). */
export const dailyWindowOrder: Rule = {
  name: 'daily-window-order',
  summary: 'a daily calling window starts before it ends',
  check(context) {
    for (const doc of documentsOfKind(context, 'SyllableCampaign')) {
      checkWindow(context, doc, ['spec'], 'daily_start_time', 'daily_end_time', SYLLABLE_CLOCK)
    }
    for (const doc of documentsOfKind(context, 'SarvamCampaign')) {
      checkWindow(context, doc, ['spec', 'allowed_schedule'], 'allowed_start_time', 'allowed_end_time', SARVAM_CLOCK)
    }
  },
}

function checkWindow(
  context: RuleContext,
  doc: DefinitionDocument,
  at: string[],
  startField: string,
  endField: string,
  format: ClockTimeFormat,
): void {
  const container = at.length === 1 ? doc.spec : mappingAt(doc.spec, at[1]!)
  const start = stringAt(container, startField)
  const end = stringAt(container, endField)
  if (start === undefined || end === undefined) return
  const startTime = parseClockTime(start, format)
  const endTime = parseClockTime(end, format)
  if (!startTime.ok || !endTime.ok) return
  if (startTime.seconds < endTime.seconds) return
  context.report(
    doc.source,
    [...at, endField],
    `the window ends at ${end} but starts at ${start} (${startField}); the start must be before the end`,
  )
}
