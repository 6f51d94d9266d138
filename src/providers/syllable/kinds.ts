/** The kinds of the Syllable platform, each declared once (see model/platform.ts). */
import type { KindDeclaration } from '../../model/platform.js'

/** Why a plan cannot move a batch to another campaign (the API refuses a changed campaign_id). */
export const BATCH_CAMPAIGN_IS_CREATE_ONLY = "a batch's campaign cannot change after creation; give the batch a new batch_id"

export const CAMPAIGN_KIND: KindDeclaration = {
  name: 'SyllableCampaign',
  noun: 'campaign',
  identityField: 'campaign_name',
  schemaFile: 'syllable-campaign.schema.json',
  secretPaths: [['spec', 'webhooks', '*', 'auth_values', 'hmac_secret']],
  createOnly: {},
}

export const BATCH_KIND: KindDeclaration = {
  name: 'SyllableBatch',
  noun: 'batch',
  identityField: 'batch_id',
  schemaFile: 'syllable-batch.schema.json',
  secretPaths: [],
  createOnly: { campaign: BATCH_CAMPAIGN_IS_CREATE_ONLY },
}
