/**
 * Definition documents for plan/apply fixtures. Every value is written in JSON flow style (YAML
 * reads it as written: a quoted string stays a string), so a fixture says exactly what it sends.
 */

/** One YAML document: `kind`, `provider`, `spec` with one line per field. */
export function definition(kind: string, provider: string, spec: Record<string, unknown>): string {
  const fields = Object.entries(spec).map(([field, value]) => `  ${field}: ${JSON.stringify(value)}`)
  return [`kind: ${kind}`, `provider: ${provider}`, 'spec:', ...fields].join('\n') + '\n'
}

/** Several documents in one file. */
export function documents(...docs: string[]): string {
  return docs.join('---\n')
}

/** A Syllable campaign with the required fields; `fields` add to or replace them. */
export function syllableCampaignDoc(name: string, fields: Record<string, unknown> = {}): string {
  return definition('SyllableCampaign', 'syllable', {
    campaign_name: name,
    caller_id: '+19995550001',
    campaign_variables: {},
    active_days: ['mon', 'tue'],
    ...fields,
  })
}

export function syllableBatchDoc(batchId: string, campaign: string, fields: Record<string, unknown> = {}): string {
  return definition('SyllableBatch', 'syllable', { batch_id: batchId, campaign, ...fields })
}

/**
 * `count` Syllable campaigns named `<name> 000`…, each with a batch `<slug>-000`… under it, in one
 * file `campaigns/<slug>.yaml` (slug: the name in lower case). Caller ids and hourly rates differ
 * per campaign; `callRate` gives each batch's call_rate.
 */
export function campaignsWithBatches(name: string, count: number, callRate: (i: number) => number): Record<string, string> {
  const slug = name.toLowerCase()
  const pad = (i: number) => String(i).padStart(3, '0')
  const docs: string[] = []
  for (let i = 0; i < count; i += 1) {
    docs.push(
      syllableCampaignDoc(`${name} ${pad(i)}`, { caller_id: `+1999555${String(i).padStart(4, '0')}`, hourly_rate: i + 1 }),
      syllableBatchDoc(`${slug}-${pad(i)}`, `${name} ${pad(i)}`, { call_rate: callRate(i) }),
    )
  }
  return { [`campaigns/${slug}.yaml`]: documents(...docs) }
}

/** The start of the Sarvam fixtures: one day after the external sandbox's clock (SANDBOX_NOW). */
export const SARVAM_START = '2026-11-25T00:00:00Z'
/** Seconds from SANDBOX_NOW to a moment when a campaign starting at SARVAM_START is active. */
export const UNTIL_ACTIVE_SECONDS = 2 * 24 * 3600

/** A Sarvam campaign that starts at SARVAM_START and ends 15 days later. */
export function sarvamCampaignDoc(name: string, fields: Record<string, unknown> = {}): string {
  return definition('SarvamCampaign', 'sarvam', {
    name,
    app_config: {
      app_id: 'reminder-agent',
      app_version: 1,
      attempts_per_second: 1,
      connection_configs: [{ connection_id: 'conn-1', phone_numbers: ['+918047168000'] }],
    },
    start_timestamp: SARVAM_START,
    end_timestamp: '2026-12-10T00:00:00Z',
    allowed_schedule: {
      allowed_start_time: '10:00',
      allowed_end_time: '19:00',
      allowed_days: ['Monday', 'Tuesday', 'Wednesday'],
      timezone: 'Asia/Kolkata',
    },
    ...fields,
  })
}
