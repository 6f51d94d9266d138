import { autoCallRateExpiry } from './auto-call-rate-expiry.js'
import { batchCampaignReference } from './batch-campaign-reference.js'
import { clockTime } from './clock-time.js'
import { dailyWindowOrder } from './daily-window-order.js'
import { deprecatedField } from './deprecated-field.js'
import { duplicateIdentity } from './duplicate-identity.js'
import { hmacSecretEncoding } from './hmac-secret-encoding.js'
import { providerReference } from './provider-reference.js'
import { retryIntervalFormat } from './retry-interval-format.js'
import type { Rule } from './rule.js'
import { sarvamAppTarget } from './sarvam-app-target.js'
import { sarvamCampaignWindow } from './sarvam-campaign-window.js'
import { secretLiteral } from './secret-literal.js'
import { timezone } from './timezone.js'
import { webhookHttps } from './webhook-https.js'

/** Every semantic rule, run in this order after the schemas. */
export const RULES: readonly Rule[] = [
  providerReference,
  duplicateIdentity,
  batchCampaignReference,
  clockTime,
  dailyWindowOrder,
  retryIntervalFormat,
  timezone,
  webhookHttps,
  secretLiteral,
  hmacSecretEncoding,
  sarvamCampaignWindow,
  sarvamAppTarget,
  autoCallRateExpiry,
  deprecatedField,
]

export { runRules, type Rule, type RuleContext } from './rule.js'
