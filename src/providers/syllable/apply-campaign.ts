/** Applying a SyllableCampaign change: a safe create (with adoption) or a full-replacement update. */
import type { ResourceChange, Spec } from '../../model/plan.js'
import { diffSpecs } from '../../model/spec-diff.js'
import { addressOf } from '../../model/resource.js'
import type { ApplyContext, ChangeOutcome, FollowUp } from '../../model/provider.js'
import type { ApiCampaign, SyllableApi } from './api.js'
import { campaignCreateBody, campaignUpdateBody } from './bodies.js'
import { createSafely, type AdoptContext, type AdoptResult, type CreateResult, type CreateRetryPolicy } from '../safe-create.js'
import { CAMPAIGN_KIND } from './kinds.js'
import { normaliseDesiredCampaign, normaliseLiveCampaign } from './normalise.js'
import type { SyllableSession } from './session.js'

/**
 * Campaign names are not unique on the platform, so two runs (two CI jobs, two machines) can
 * create the same campaign at once. Every run settles it the same way: of the campaigns of one
 * name, the first (the lowest id) is the one, and a run whose create made a later copy removes
 * it, before any batch is attached, and adopts the first. However many runs race, one is left.
 */
export async function createCampaign(session: SyllableSession, desired: Spec): Promise<ChangeOutcome> {
  const { api, creates: policy, lateCopies } = session
  const name = String(desired.campaign_name)
  const result = await createSafely<ApiCampaign, ApiCampaign>(
    {
      post: () => api.createCampaign(campaignCreateBody(desired)),
      find: async () => firstCopy(await api.campaignsNamed(name)),
      adopt: (found, context) => adoptCampaign(api, policy, lateCopies, found, desired, context),
      uniqueIdentity: false,
      confirm: (created) => keepFirstCopy(api, created, desired),
    },
    policy,
  )
  if ('created' in result) return { id: result.created.id }
  return { id: result.adopted.id, adopted: true, steps: result.adopted.steps }
}

/** The campaign all runs agree on among copies of one name: the first created (lowest id). */
export function firstCopy(copies: readonly ApiCampaign[]): ApiCampaign | undefined {
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
  const steps = ['adopted the first copy, made by another run at the same time', `removed this run's second copy (id ${created.id})`]
  return { adopted: { id: first.id, steps: [...steps, ...adopted.steps] } }
}

/**
 * Takes over a campaign found after a create that failed. When the request was left in doubt, the
 * platform may still commit it after this run found another copy: a watch is started for the rest
 * of the settle time (in the background, so that batches need not wait), which removes any copy
 * that is not the first. A second copy is removed by whichever run sees it first; the others find
 * it gone.
 */
async function adoptCampaign(
  api: SyllableApi,
  policy: CreateRetryPolicy,
  lateCopies: LateCopyWatch,
  found: ApiCampaign,
  desired: Spec,
  context: AdoptContext,
): Promise<AdoptResult> {
  if (context.why !== 'in-doubt') return bringToFile(api, found, desired)
  const copies = await api.campaignsNamed(found.campaign_name)
  const first = firstCopy([found, ...copies])!
  const removed = await removeLaterCopies(api, first, copies)
  const adopted = await bringToFile(api, first, desired)
  lateCopies.watch(api, policy, first, context.settleRemainingMs)
  const steps = removed.length > 0 ? [`removed a second copy (id ${removed.join(', ')})`, ...adopted.steps] : adopted.steps
  return { id: first.id, steps }
}

/** Removes every copy of the name but the first; a copy that cannot be removed is reported. */
async function removeLaterCopies(api: SyllableApi, first: ApiCampaign, copies: readonly ApiCampaign[]): Promise<(string | number)[]> {
  const removed: (string | number)[] = []
  const stuck: string[] = []
  for (const copy of copies.filter((candidate) => candidate.id !== first.id)) {
    try {
      await api.deleteCampaign(copy.id)
      removed.push(copy.id)
    } catch (error) {
      stuck.push(`id ${copy.id}: ${(error as Error).message}`)
    }
  }
  if (stuck.length > 0) {
    throw new Error(
      `the create of campaign "${first.campaign_name}" failed without an answer, and ${copies.length} campaigns of that name now exist; ` +
        `cac keeps id ${first.id}, the first, and could not remove the others (${stuck.join('; ')}): ` +
        'delete the extra ones on the platform, then apply again',
    )
  }
  return removed
}

/**
 * The watches for late copies that creates left in doubt have started: each waits out the rest
 * of the settle time, then removes any copy of its name that is not the first. `settle` waits
 * for them all and says what they did.
 */
export class LateCopyWatch {
  private readonly running: Promise<FollowUp | undefined>[] = []

  constructor(private readonly provider: string) {}

  watch(api: SyllableApi, policy: CreateRetryPolicy, first: ApiCampaign, waitMs: number): void {
    const address = addressOf(this.provider, CAMPAIGN_KIND, first.campaign_name)
    const task = (async (): Promise<FollowUp | undefined> => {
      if (waitMs > 0) await policy.sleep(waitMs)
      const copies = await api.campaignsNamed(first.campaign_name)
      const removed = await removeLaterCopies(api, first, copies)
      if (removed.length === 0) return undefined
      return { address, message: `removed a second copy (id ${removed.join(', ')}) that the platform committed late`, warning: false }
    })().catch((error: unknown) => ({ address, message: (error as Error).message, warning: true }))
    this.running.push(task)
  }

  async settle(): Promise<FollowUp[]> {
    const outcomes = await Promise.all(this.running.splice(0))
    return outcomes.filter((outcome): outcome is FollowUp => outcome !== undefined)
  }
}

/** A PUT to the file's values when the live campaign differs from them. */
async function bringToFile(api: SyllableApi, found: ApiCampaign, desired: Spec): Promise<AdoptResult> {
  const differences = diffSpecs(normaliseLiveCampaign(found), normaliseDesiredCampaign(desired))
  if (differences.length === 0) return { id: found.id, steps: [] }
  await api.replaceCampaign(found.id, campaignUpdateBody(desired, found))
  return { id: found.id, steps: ['updated'] }
}

export async function updateCampaign(session: SyllableSession, change: ResourceChange, context: ApplyContext): Promise<ChangeOutcome> {
  const live = (context.live?.raw as ApiCampaign | undefined) ?? (await readCampaign(session.api, change))
  await session.api.replaceCampaign(live.id, campaignUpdateBody(change.desired, live))
  return { id: live.id }
}

/** The live campaign when the executor has none at hand (the update needs it whole). */
async function readCampaign(api: SyllableApi, change: ResourceChange): Promise<ApiCampaign> {
  if (change.liveId === undefined) throw new Error(`${change.address}: an update needs the live campaign's id`)
  const campaign = await api.getCampaign(change.liveId)
  if (!campaign) throw new Error(`${change.address}: campaign ${change.liveId} no longer exists; plan again`)
  return campaign
}
