/**
 * Creating and updating Sarvam campaigns, with the platform's lifecycle rules: PATCH only while
 * scheduled or paused, status actions through PUT …/status, and a create that is never repeated
 * blind (DESIGN.md §6).
 */
import { ConflictError } from '../../http/errors.js'
import { FailureWithWarning } from '../../model/change-warning.js'
import { createSafely } from '../safe-create.js'
import type { FieldChange, ResourceChange, Spec } from '../../model/plan.js'
import { diffSpecs } from '../../model/spec-diff.js'
import type { ApplyContext, ChangeOutcome, LiveResource, PlanOptions } from '../../model/provider.js'
import type { SarvamApi } from './api.js'
import { oneCampaignPerName, toLiveResource } from './live.js'
import { isRecord, setOwn } from '../../model/values.js'
import { changedFields } from '../kind-handler.js'
import { ALLOWED_SCHEDULE_SHAPE, APP_CONFIG_SHAPE, normaliseDesiredCampaign, type FieldShape } from './normalise.js'
import { CREATE_ONLY_REASONS, assessCampaignChange } from './lifecycle-policy.js'
import type { SarvamSession } from './session.js'

type ApplyDeps = SarvamSession

/**
 * POST the campaign (without `paused`, which is not a field of the API), then pause it if the file
 * says so. When the create turns out to have adopted an existing campaign, that campaign is
 * brought to the file with an ordinary update.
 */
export async function createCampaign(deps: ApplyDeps, change: ResourceChange, context: ApplyContext): Promise<ChangeOutcome> {
  const desired = normaliseDesiredCampaign(change.desired)
  const { paused, ...body } = desired
  const created = await createOrAdopt(body, deps)
  if (!created.adopted) {
    const steps: string[] = []
    if (paused === true) {
      await changeStatus(deps.api, created.id, 'pause')
      steps.push('paused')
    }
    return { id: created.id, steps }
  }
  const detail = await deps.api.get(created.id)
  if (!detail) throw new Error(`${change.address}: adopted campaign ${created.id} could not be read back`)
  const live = toLiveResource(deps.provider, detail, true)
  const fields = diffSpecs(live.spec, desired)
  const steps = fields.length > 0 ? await updateTo(live, desired, fields, context.options, deps) : []
  return { id: created.id, adopted: true, steps: [...created.steps, ...steps] }
}

/**
 * POSTs a create; after a failure that leaves it in doubt, looks the name up and adopts the
 * campaign if it is there now, else tries again (bounded, with backoff). Names are unique per
 * workspace, so a 409 means the campaign exists (made by an earlier attempt whose answer was
 * lost, or by another run at the same time): it is adopted, and brought to the file's values.
 */
async function createOrAdopt(body: Spec, deps: ApplyDeps): Promise<{ id: string; adopted: boolean; steps: string[] }> {
  const result = await createSafely<string, string>(
    {
      post: async () => (await deps.api.create(body)).campaign_id,
      find: () => lookUpByName(deps.api, String(body.name)),
      adopt: async (id) => ({ id, steps: [] }),
      uniqueIdentity: true,
    },
    deps.creates,
  )
  return 'created' in result
    ? { id: result.created, adopted: false, steps: [] }
    : { id: String(result.adopted.id), adopted: true, steps: result.adopted.steps }
}

/**
 * The id of the campaign with exactly this name, or undefined. A failed lookup also gives
 * undefined: the next POST then decides (a 409 tells that the campaign exists after all).
 */
async function lookUpByName(api: SarvamApi, name: string): Promise<string | undefined> {
  try {
    return oneCampaignPerName(await api.findByName(name))[0]?.campaign_id
  } catch {
    return undefined
  }
}

export async function updateCampaign(deps: ApplyDeps, change: ResourceChange, context: ApplyContext): Promise<ChangeOutcome> {
  const live = context.live ?? (await readForUpdate(change, deps))
  const desired = normaliseDesiredCampaign(change.desired)
  const steps = await updateTo(live, desired, change.fields, context.options, deps)
  return { id: live.id, steps }
}

async function readForUpdate(change: ResourceChange, deps: ApplyDeps): Promise<LiveResource> {
  const detail = change.liveId === undefined ? undefined : await deps.api.get(String(change.liveId))
  if (!detail) throw new Error(`${change.address}: campaign ${String(change.liveId ?? '(no id)')} no longer exists`)
  return toLiveResource(deps.provider, detail, true)
}

/**
 * Brings a live campaign to the desired spec for the given field diff. The order follows what the
 * platform allows: PATCH needs scheduled or paused; a campaign the file pauses is patched and then
 * paused (or, when it is active, paused first); --pause-to-update wraps the PATCH in pause and resume.
 */
async function updateTo(
  live: LiveResource,
  desired: Spec,
  fields: FieldChange[],
  options: PlanOptions,
  deps: ApplyDeps,
  statusReread = false,
): Promise<string[]> {
  const verdict = assessCampaignChange({ live, fields, options })
  if (verdict) throw new Error(`cannot update campaign ${JSON.stringify(live.name)}: ${verdict.reason}`)
  const id = String(live.id)
  const body = patchBody(desired, fields, live.raw)
  const wantPaused = changedFields(fields).has('paused') && typeof desired.paused === 'boolean' ? desired.paused : undefined
  const isPaused = live.status === 'paused'
  const steps: string[] = []

  if (Object.keys(body).length === 0) {
    if (wantPaused !== undefined && wantPaused !== isPaused) steps.push(await toggle(deps.api, id, wantPaused))
    return steps
  }
  if (live.status === 'active') {
    await changeStatus(deps.api, id, 'pause')
    steps.push('paused')
    if (wantPaused === true) {
      await deps.api.patch(id, body)
      return [...steps, 'patched']
    }
    await patchWhilePaused(deps.api, id, body, live.name)
    return [...steps, 'patched', 'resumed']
  }
  try {
    await deps.api.patch(id, body)
  } catch (error) {
    // The status may have moved since the plan read it (the start passed, someone paused it):
    // read it again and redo the update once from what is there now.
    if (!(error instanceof ConflictError) || statusReread) throw error
    const detail = await deps.api.get(id)
    if (!detail || detail.status === live.status) throw error
    return updateTo(toLiveResource(deps.provider, detail, true), desired, fields, options, deps, true)
  }
  steps.push('patched')
  if (wantPaused !== undefined && wantPaused !== isPaused) steps.push(await toggle(deps.api, id, wantPaused))
  return steps
}

async function toggle(api: SarvamApi, id: string, pause: boolean): Promise<string> {
  await changeStatus(api, id, pause ? 'pause' : 'resume')
  return pause ? 'paused' : 'resumed'
}

/**
 * PATCH a campaign that cac paused for the purpose, and resume it whatever the PATCH did: a failed
 * update must not leave a running campaign stopped. The PATCH's error is the one thrown. When the
 * resume fails, the campaign stays paused (calls to people stopped): the error carries a warning
 * that says so, for a marked line of its own in the report; the next plan shows `paused` differing
 * from the file, and apply resumes it.
 */
async function patchWhilePaused(api: SarvamApi, id: string, body: Spec, name: string): Promise<void> {
  let patchError: Error | undefined
  try {
    await api.patch(id, body)
  } catch (error) {
    patchError = error as Error
  }
  try {
    await changeStatus(api, id, 'resume')
  } catch (error) {
    const resumeMessage = (error as Error).message
    const warning =
      `campaign ${JSON.stringify(name)} is LEFT PAUSED: cac paused it for --pause-to-update and could not resume it ` +
      `(${resumeMessage}); resume it on the platform, or run apply again`
    if (patchError) {
      throw new FailureWithWarning(`${patchError.message}; resuming campaign ${JSON.stringify(name)} afterwards failed too, so it is left paused: ${resumeMessage}`, warning, {
        cause: patchError,
      })
    }
    throw new FailureWithWarning(`campaign ${JSON.stringify(name)} was updated but could not be resumed, so it is left paused: ${resumeMessage}`, warning, {
      cause: error,
    })
  }
  if (patchError) throw patchError
}

/**
 * PUT …/status, accepting a 409 when the campaign is already where the action leads: the client
 * retries a PUT whose answer was lost, and the repeat then finds the first attempt's work done.
 */
export async function changeStatus(api: SarvamApi, id: string, action: 'pause' | 'resume'): Promise<void> {
  try {
    await api.setStatus(id, action)
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error
    const current = await api.get(id)
    if (current && reachedBy(action, current.status)) return
    throw error
  }
}

/** Resume leads to active, or back to scheduled before the start. */
function reachedBy(action: 'pause' | 'resume', status: string): boolean {
  return action === 'pause' ? status === 'paused' : status === 'active' || status === 'scheduled'
}

/**
 * The PATCH body: each changed top-level field with its whole desired value (a nested object sent
 * replaces the stored one). `paused` is a status action, not a field; create-only fields cannot be
 * sent. Fields of app_config and allowed_schedule that the live campaign has but cac's file
 * format does not know are carried over from the live object, so that replacing the object does
 * not reset settings made elsewhere.
 */
export function patchBody(desired: Spec, fields: readonly FieldChange[], liveRaw?: unknown): Spec {
  const body: Spec = {}
  const live = isRecord(liveRaw) ? liveRaw : {}
  for (const key of changedFields(fields)) {
    if (key === 'paused') continue
    if (key in CREATE_ONLY_REASONS) throw new Error(CREATE_ONLY_REASONS[key])
    const value = desired[key]
    if (value === undefined) continue
    if (key === 'app_config') body[key] = withUnknownLiveFields(value, live[key], APP_CONFIG_SHAPE)
    else if (key === 'allowed_schedule') body[key] = withUnknownLiveFields(value, live[key], ALLOWED_SCHEDULE_SHAPE)
    else body[key] = value
  }
  return body
}

function withUnknownLiveFields(desired: unknown, live: unknown, shape: FieldShape): unknown {
  if (!isRecord(desired) || !isRecord(live) || !shape.fields) return desired
  const merged: Record<string, unknown> = { ...desired }
  for (const [key, value] of Object.entries(live)) {
    if (!Object.hasOwn(shape.fields, key) && value !== null && value !== undefined) setOwn(merged, key, value)
  }
  return merged
}
