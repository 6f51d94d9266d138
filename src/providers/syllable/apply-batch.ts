/** Applying a SyllableBatch change: a safe create (with adoption) or a partial update of its setters. */
import type { FieldChange, ResourceChange, Spec } from '../../model/plan.js'
import { addressOf } from '../../model/resource.js'
import { diffSpecs } from '../../model/spec-diff.js'
import type { ApplyContext, ChangeOutcome } from '../../model/provider.js'
import type { ApiBatch } from './api.js'
import { batchCreateBody, batchUpdateBody } from './bodies.js'
import { changedFields } from '../kind-handler.js'
import { createSafely, type AdoptResult } from '../safe-create.js'
import { CAMPAIGN_KIND } from './kinds.js'
import { BATCH_SETTER_FIELDS, normaliseDesiredBatch, normaliseLiveBatch } from './normalise.js'
import type { SyllableSession } from './session.js'

type BatchApplyDeps = SyllableSession

/**
 * The campaign id a batch is created under: the campaign may exist already or have been created
 * earlier in this run; either way the executor knows its id by address.
 */
function campaignIdOf(change: ResourceChange, context: ApplyContext): number | undefined {
  const id = Number(context.resolveId(addressOf(change.provider, CAMPAIGN_KIND, String(change.desired.campaign))))
  // Syllable campaign ids are integers; anything else cannot name one.
  return Number.isSafeInteger(id) ? id : undefined
}

export async function createBatch(deps: BatchApplyDeps, change: ResourceChange, context: ApplyContext): Promise<ChangeOutcome> {
  const desired = change.desired
  const campaignId = campaignIdOf(change, context)
  if (campaignId === undefined) {
    throw new Error(
      `${change.address}: campaign "${String(desired.campaign)}" has no id: it does not exist on the platform and was not created in this run`,
    )
  }
  const batchId = String(desired.batch_id)
  const result = await createSafely<ApiBatch, ApiBatch>(
    {
      post: () => deps.api.createBatch(batchCreateBody(desired, campaignId)),
      find: () => deps.api.getBatch(batchId),
      adopt: (found) => adoptBatch(deps, found, desired, campaignId),
      // batch_id is unique: a 409 means the batch exists (made by an earlier attempt or another run).
      uniqueIdentity: true,
    },
    deps.creates,
  )
  if ('created' in result) return { id: result.created.batch_id }
  return { id: result.adopted.id, adopted: true, steps: result.adopted.steps }
}

/** Takes over a batch that exists already (a lost answer, or another run), if it is under the intended campaign. */
async function adoptBatch(deps: BatchApplyDeps, found: ApiBatch, desired: Spec, campaignId: number): Promise<AdoptResult> {
  if (Number(found.campaign_id) !== campaignId) {
    throw new Error(
      `batch "${found.batch_id}" already exists under campaign id ${found.campaign_id}, ` +
        `not under "${String(desired.campaign)}" (id ${campaignId}); a batch cannot move, so give this one a new batch_id`,
    )
  }
  const live = normaliseLiveBatch(found, new Map([[campaignId, String(desired.campaign)]]))
  const changed = changedSetters(diffSpecs(live, normaliseDesiredBatch(desired)))
  if (changed.length === 0) return { id: found.batch_id, steps: [] }
  await deps.api.updateBatch(found.batch_id, batchUpdateBody(desired, found, campaignId, deps.actor, changed))
  return { id: found.batch_id, steps: ['updated'] }
}

export async function updateBatch(deps: BatchApplyDeps, change: ResourceChange, context: ApplyContext): Promise<ChangeOutcome> {
  const live = (context.live?.raw as ApiBatch | undefined) ?? (await readBatch(deps, change))
  const changed = changedSetters(fieldsOf(change, context))
  // Nothing a batch PUT can set differs: sending one would only touch last_updated_*.
  if (changed.length === 0) return { id: live.batch_id }
  const campaignId = campaignIdOf(change, context) ?? Number(live.campaign_id)
  await deps.api.updateBatch(live.batch_id, batchUpdateBody(change.desired, live, campaignId, deps.actor, changed))
  return { id: live.batch_id }
}

/** The plan's field changes; recomputed from the live batch if an executor passes none. */
function fieldsOf(change: ResourceChange, context: ApplyContext): FieldChange[] {
  if (change.fields.length > 0 || !context.live) return change.fields
  return diffSpecs(context.live.spec, normaliseDesiredBatch(change.desired))
}

/** The setter fields (paused, expires_on, call_rate, auto_call_rate) that field changes touch. */
export function changedSetters(fields: readonly FieldChange[]): string[] {
  const touched = changedFields(fields)
  return BATCH_SETTER_FIELDS.filter((field) => touched.has(field))
}

async function readBatch(deps: BatchApplyDeps, change: ResourceChange): Promise<ApiBatch> {
  const batchId = String(change.liveId ?? change.desired.batch_id)
  const batch = await deps.api.getBatch(batchId)
  if (!batch) throw new Error(`${change.address}: batch ${batchId} no longer exists; plan again`)
  return batch
}
