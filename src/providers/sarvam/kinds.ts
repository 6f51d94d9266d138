/** The kind of the Sarvam platform, declared once (see model/platform.ts). */
import type { KindDeclaration } from '../../model/platform.js'

export const CAMPAIGN_KIND: KindDeclaration = {
  name: 'SarvamCampaign',
  noun: 'campaign',
  identityField: 'name',
  schemaFile: 'sarvam-campaign.schema.json',
  secretPaths: [],
  createOnly: { start_timestamp: 'start_timestamp can only be set when the campaign is created' },
}
