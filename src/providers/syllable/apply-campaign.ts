/** Applying a SyllableCampaign change: a safe create (with adoption) or a full-replacement update. */
import type { ResourceChange, Spec } from '../../model/plan.js'
import { diffSpecs } from '../../plan/diff.js'
import type { ApplyContext, ApplyOutcome } from '../provider.js'
import type { ApiCampaign, SyllableApi } from './api.js'
import { campaignCreateBody, campaignUpdateBody } from './bodies.js'
import { createSafely, type AdoptReason, type AdoptResult, type CreateResult, type CreateRetryPolicy } from '../safe-create.js'
import { normaliseDesiredCampaign, normaliseLiveCampaign } from './normalise.js'

export async function applyCampaignChange(
  api: SyllableApi,
  policy: CreateRetryPolicy,
  change: ResourceChange,
  context: ApplyContext,
): Promise<ApplyOutcome> {
  if (change.action === 'create') return createCampaign(api, policy, change.desired)
  if (change.action === 'update') return updateCampaign(api, change, context)
  throw new Error(`${change.address}: a ${change.action} change cannot be applied`)
}

/**
 * Campaign names are not unique on the platform, so two runs (two CI jobs, two machines) can
 * create the same campaign at once. Every run settles it the same way: of the campaigns of one
 * name, the first (the lowest id) is the one, and a run whose create made a later copy removes
 * it, before any batch is attached, and adopts the first. However many runs race, one is left.
 */
async function createCampaign(api: SyllableApi, policy: CreateRetryPolicy, desired: Spec): Promise<ApplyOutcome> {
  const name = String(desired.campaign_name)
  const result = await createSafely<ApiCampaign, ApiCampaign>(
    {
      post: () => api.createCampaign(campaignCreateBody(desired)),
      find: async () => firstCopy(await api.campaignsNamed(name)),
      adopt: (found, why) => adoptCampaign(api, policy, found, desired, why),
      uniqueIdentity: false,
      confirm: (created) => keepFirstCopy(api, created, desired),
    },
    policy,
  )
  if ('created' in result) return { id: result.created.id }
  return { id: result.adopted.id, adopted: true, steps: ['adopted', ...result.adopted.steps] }
}

/** The campaign all runs agree on among copies of one name: the first created (lowest id). */
function firstCopy(copies: readonly ApiCampaign[]): ApiCampaign | undefined {
  return copies.reduce<ApiCampaign | undefined>((first, copy) => (first === undefined || copy.id < first.id ? copy : first), undefined)
}

/** After a create: is this run's campaign the first of its name? If not, remove it and adopt the first. */
async function keepFirstCopy(api: SyllableApi, created: ApiCampaign, desired: Spec): Promise<CreateResult<ApiCampaign>> {
  const copies = await api.campaignsNamed(String(desired.campaign_name))
  const first = firstCopy([created, ...copies])!
  if (first.id === created.id) return { created }
  try {
    await api.deleteCampaign(created.id)
  } catch (error) {
    throw new Error(
      `campaign "${created.campaign_name}" was created as id ${created.id}, but id ${first.id} of that name was created first ` +
        `(by another run at the same time); removing this run's copy failed (${(error as Error).message}): ` +
        `delete campaign ${created.id} on the platform`,
      { cause: error },
    )
  }
  const adopted = await bringToFile(api, first, desired)
  return { adopted: { id: first.id, steps: [`removed this run's second copy (id ${created.id})`, ...adopted.steps] } }
}

/**
 * Takes over a campaign found after a create whose answer was lost. Other copies of the name that
 * are still there after a while cannot be told apart from the one this run may have made: they
 * are reported, never guessed at.
 */
async function adoptCampaign(
  api: SyllableApi,
  policy: CreateRetryPolicy,
  found: ApiCampaign,
  desired: Spec,
  why: AdoptReason,
): Promise<AdoptResult> {
  const adopted = await bringToFile(api, found, desired)
  if (why !== 'lost-answer') return adopted
  let others = (await api.campaignsNamed(found.campaign_name)).filter((copy) => copy.id !== found.id)
  if (others.length > 0) {
    // A concurrent run removes its own second copy: give it the time to.
    await policy.sleep(policy.settleDelaysMs.at(-1) ?? 0)
    others = (await api.campaignsNamed(found.campaign_name)).filter((copy) => copy.id !== found.id)
  }
  if (others.length > 0) {
    const ids = [found, ...others].map((copy) => copy.id).join(', ')
    throw new Error(
      `the create of campaign "${found.campaign_name}" failed without an answer, and ${others.length + 1} campaigns of that name now exist ` +
        `(ids ${ids}); cac kept id ${found.id}, the first, and cannot tell which of the others it made: ` +
        'delete the extra ones on the platform, then apply again',
    )
  }
  return adopted
}

/** A PUT to the file's values when the live campaign differs from them. */
async function bringToFile(api: SyllableApi, found: ApiCampaign, desired: Spec): Promise<AdoptResult> {
  const differences = diffSpecs(normaliseLiveCampaign(found), normaliseDesiredCampaign(desired))
  if (differences.length === 0) return { id: found.id, steps: [] }
  await api.replaceCampaign(found.id, campaignUpdateBody(desired, found))
  return { id: found.id, steps: ['updated'] }
}

async function updateCampaign(api: SyllableApi, change: ResourceChange, context: ApplyContext): Promise<ApplyOutcome> {
  const live = (context.live?.raw as ApiCampaign | undefined) ?? (await readCampaign(api, change))
  await api.replaceCampaign(live.id, campaignUpdateBody(change.desired, live))
  return { id: live.id }
}

/** The live campaign when the executor has none at hand (the update needs it whole). */
async function readCampaign(api: SyllableApi, change: ResourceChange): Promise<ApiCampaign> {
  if (change.liveId === undefined) throw new Error(`${change.address}: an update needs the live campaign's id`)
  const campaign = await api.getCampaign(change.liveId)
  if (!campaign) throw new Error(`${change.address}: campaign ${change.liveId} no longer exists; plan again`)
  return campaign
}
