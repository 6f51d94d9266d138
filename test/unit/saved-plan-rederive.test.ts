import { describe, expect, it } from 'vitest'

import type { Plan, ResourceChange } from '../../src/model/plan.js'
import { resourceAddress } from '../../src/platforms.js'
import { buildPlan } from '../../src/plan/build-plan.js'
import type { KindPolicy, LiveResource, Provider } from '../../src/model/provider.js'
import { dependenciesToLookUp, rederivePlan, withRecomputedDependencies } from '../../src/workflow/saved-plan-rederive.js'
import { desired, live, plainPolicy } from '../helpers/plan-builders.js'

/** Batches depend on their campaign, as Syllable's policy says; specs are their own normal form. */
const batchPolicy: KindPolicy = plainPolicy({
  dependsOn: (resource) => [resourceAddress(resource.provider, 'SyllableCampaign', String(resource.spec.campaign))],
})
const provider = {
  name: 'syllable',
  normaliseDesired: (resource: { spec: Record<string, unknown> }) => resource.spec,
  policy: (kind: string) => (kind === 'SyllableBatch' ? batchPolicy : plainPolicy()),
} as unknown as Provider
const providers = new Map([['syllable', provider]])
const OPTIONS = { pauseToUpdate: false }

const campaignLive = live('SyllableCampaign', 'Alpha', { campaign_name: 'Alpha', hourly_rate: 10 }, { id: 4 })

/** Alpha is updated (rate 10 → 12), its batch b1 created: as the planner makes it, then as saved (no dependencies). */
function savedPlan(): Plan {
  const plan = buildPlan({
    targets: [],
    desired: [
      { resource: desired('SyllableCampaign', 'Alpha', { campaign_name: 'Alpha', hourly_rate: 12 }), normalised: { campaign_name: 'Alpha', hourly_rate: 12 } },
      { resource: desired('SyllableBatch', 'b1', { batch_id: 'b1', campaign: 'Alpha' }), normalised: { batch_id: 'b1', campaign: 'Alpha' } },
    ],
    live: [campaignLive],
    managedKinds: [{ provider: 'syllable', kind: 'SyllableCampaign' }],
    policy: (_provider, kind) => provider.policy(kind),
    options: OPTIONS,
  })
  return { ...plan, changes: plan.changes.map((change) => ({ ...change, dependsOn: [] })) }
}

function byAddress(plan: Plan, address: string): ResourceChange {
  return plan.changes.find((change) => change.address === address)!
}

const liveNow = () => new Map<string, LiveResource>([[campaignLive.address, campaignLive]])

describe('saved plan re-derivation', () => {
  it('recomputes dependencies from the kind rules, whatever the file said', () => {
    const plan = savedPlan()
    byAddress(plan, 'syllable/batch/b1').dependsOn = ['syllable/campaign/Elsewhere']
    const recomputed = withRecomputedDependencies(plan, providers)
    expect(byAddress(recomputed, 'syllable/batch/b1').dependsOn).toEqual(['syllable/campaign/Alpha'])
    expect(byAddress(recomputed, 'syllable/campaign/Alpha').dependsOn).toEqual([])
  })

  it('looks up dependencies the plan does not write (their ids come from the platform, not the file)', () => {
    const plan = withRecomputedDependencies(savedPlan(), providers)
    expect(dependenciesToLookUp(plan)).toEqual([])
    byAddress(plan, 'syllable/campaign/Alpha').action = 'noop'
    expect(dependenciesToLookUp(plan)).toEqual(['syllable/campaign/Alpha'])
  })

  it('accepts an untampered plan: the same actions and field changes follow from its specs', () => {
    const plan = withRecomputedDependencies(savedPlan(), providers)
    const result = rederivePlan({ plan, live: liveNow(), providers, options: OPTIONS })
    expect(result.problems).toEqual([])
    expect(result.plan.changes.map((change) => [change.address, change.action, change.fields.length, change.dependsOn])).toEqual([
      ['syllable/batch/b1', 'create', 2, ['syllable/campaign/Alpha']],
      ['syllable/campaign/Alpha', 'update', 1, []],
    ])
  })

  it('refuses field changes that do not follow from the desired spec (a diff that hides what is sent), naming the field only', () => {
    const plan = withRecomputedDependencies(savedPlan(), providers)
    byAddress(plan, 'syllable/campaign/Alpha').desired.hourly_rate = 3000
    const { problems } = rederivePlan({ plan, live: liveNow(), providers, options: OPTIONS })
    expect(problems).toEqual([
      "changes[1] (syllable/campaign/Alpha): the plan's field changes do not follow from its desired spec and the live resource (they differ at hourly_rate)",
    ])
  })

  it('refuses an action the specs do not give (an update with nothing to change)', () => {
    const plan = withRecomputedDependencies(savedPlan(), providers)
    byAddress(plan, 'syllable/campaign/Alpha').desired.hourly_rate = 10
    const { problems } = rederivePlan({ plan, live: liveNow(), providers, options: OPTIONS })
    expect(problems).toEqual(['changes[1] (syllable/campaign/Alpha): the plan says update, but its desired spec against the live resource now gives noop'])
  })

  it('refuses a live id that is not the id of the resource at the address', () => {
    const plan = withRecomputedDependencies(savedPlan(), providers)
    byAddress(plan, 'syllable/campaign/Alpha').liveId = 99
    const { problems } = rederivePlan({ plan, live: liveNow(), providers, options: OPTIONS })
    expect(problems).toEqual(['changes[1] (syllable/campaign/Alpha): live_id 99 is not the id of the resource at this address'])
  })

  it('refuses a create whose dependency neither exists nor is written by the plan', () => {
    const plan = withRecomputedDependencies(savedPlan(), providers)
    byAddress(plan, 'syllable/campaign/Alpha').action = 'noop'
    const { problems } = rederivePlan({ plan, live: new Map(), providers, options: OPTIONS })
    expect(problems).toEqual([
      'changes[0] (syllable/batch/b1): it needs syllable/campaign/Alpha, which neither exists nor is created or updated by the plan',
    ])
  })
})
