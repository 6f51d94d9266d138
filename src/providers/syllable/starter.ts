/**
 * What `cac init` writes for Syllable: the provider entry (URL and key from the environment,
 * the embedded sandbox when they are unset) and a voice campaign with one batch.
 */
import type { StarterDeclaration } from '../../model/platform.js'

export const syllableStarter: StarterDeclaration = {
  providerEntry: [
    'type: syllable',
    'url: ${env:SYLLABLE_API_URL:-sandbox}   # "sandbox" = the embedded emulator (no credentials needed)',
    'api_key: ${env:SYLLABLE_API_KEY:-}',
    'actor: cac-ci@example.com              # who your API key acts as: drift tells its changes from others\'',
  ].join('\n'),
  definitions: (calendar) => [
    {
      path: 'syllable/appointment-reminders.yaml',
      text: `# A Syllable voice campaign and its first batch of calls. The batch names the campaign;
# cac resolves the campaign's numeric id when it applies.
kind: SyllableCampaign
provider: syllable
spec:
  campaign_name: Appointment Reminders
  description: Calls that confirm tomorrow's appointments
  mode: voice
  caller_id: "+19995550100"
  labels: [appointments]
  campaign_variables:
    clinic: downtown
    reschedule_url: https://clinic.example.com/reschedule
  active_days: [mon, tue, wed, thu, fri]
  daily_start_time: "09:00:00"
  daily_end_time: "18:00:00"
  hourly_rate: 60
  retry_count: 1
  retry_interval: "2h"
  webhooks:
    - url: https://hooks.example.com/syllable/appointments
      request_method: POST
      trigger_statuses: [COMPLETED, NO-ANSWER, FAILED]
      # Write-only on the platform: always from the environment, never written here.
      # Against the embedded sandbox an unset variable gets a stand-in value.
      auth_values: {hmac_secret: "\${env:SYLLABLE_WEBHOOK_SECRET}"}
---
kind: SyllableBatch
provider: syllable
spec:
  batch_id: "appointment-reminders-${calendar.at(0, '00:00').slice(0, 7)}"   # client-chosen and permanent: a new batch gets a new id
  campaign: Appointment Reminders
  expires_on: "${calendar.at(30, '23:00')}"
  paused: false
  call_rate: 30                   # per hour; overrides the campaign's hourly_rate for this batch
`,
    },
  ],
}
