/**
 * What `cac init` writes for Sarvam: the provider entry (URL, key, organisation and workspace
 * from the environment, the embedded sandbox when they are unset) and one scheduled campaign.
 */
import type { StarterDeclaration } from '../../model/platform.js'

export const sarvamStarter: StarterDeclaration = {
  providerEntry: [
    'type: sarvam',
    'url: ${env:SARVAM_API_URL:-sandbox}',
    'api_key: ${env:SARVAM_API_KEY:-}',
    'org_id: ${env:SARVAM_ORG_ID:-my-org}',
    'workspace_id: ${env:SARVAM_WORKSPACE_ID:-outbound}',
    'actor: cac-ci@example.com',
  ].join('\n'),
  definitions: (calendar) => [
    {
      path: 'sarvam/payment-reminders.yaml',
      text: `# A Sarvam campaign of Hindi payment-reminder calls. The platform accepts edits only while a
# campaign is scheduled or paused: once it runs, \`cac apply --pause-to-update\` pauses, edits, resumes.
kind: SarvamCampaign
provider: sarvam
spec:
  name: payment-reminders
  description: Hindi voice reminders for payments due this week
  app_config:
    app_id: payment-reminder-agent
    app_version: 1                # a committed version of the agent
    attempts_per_second: 1
    connection_configs:
      - connection_id: conn-primary
        phone_numbers: ["+918047160000"]
    retry_config:
      max_retries: 2
      retry_interval_minutes: 60
  # Create-only, and within 7 days of creation: move it forward if you apply this later.
  start_timestamp: "${calendar.at(2, '04:30')}"   # 10:00 IST
  end_timestamp: "${calendar.at(23, '13:30')}"     # at most 30 days after the start
  allowed_schedule:
    allowed_start_time: "10:00"
    allowed_end_time: "19:00"
    allowed_days: [Monday, Tuesday, Wednesday, Thursday, Friday]
    timezone: Asia/Kolkata
  paused: false
`,
    },
  ],
}
