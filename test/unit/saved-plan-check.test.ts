import { describe, expect, it } from 'vitest'

import { loadProject } from '../../src/config/load-project.js'
import type { ProjectConfig } from '../../src/config/project-config.js'
import type { Plan, PlanTarget, ResourceChange } from '../../src/model/plan.js'
import type { Resource } from '../../src/model/resource.js'
import { SecretValue } from '../../src/model/secret.js'
import { checkSavedPlan, targetDifferences } from '../../src/workflow/saved-plan-check.js'
import { documents, sarvamCampaignDoc, syllableBatchDoc, syllableCampaignDoc } from '../helpers/definitions.js'
import { tempProject } from '../helpers/temp-project.js'

const HOOK = Buffer.alloc(32, 3).toString('base64')

/** The project: campaign Alpha (its webhook secret from HOOK), its batch, and a Sarvam campaign. */
async function project(): Promise<{ config: ProjectConfig; resources: Resource[] }> {
  const dir = await tempProject({
    'campaigns/syllable.yaml': documents(
      syllableCampaignDoc('Alpha', {
        webhooks: [{ url: 'https://hooks.example.com/a', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_values: { hmac_secret: '${env:HOOK}' } }],
      }),
      syllableBatchDoc('alpha-1', 'Alpha'),
    ),
    'campaigns/sarvam.yaml': sarvamCampaignDoc('reminders-hi'),
  })
  const load = await loadProject({ cwd: dir, env: { HOOK }, secretsRequired: false })
  expect(load.diagnostics).toEqual([])
  return { config: load.config!, resources: load.resources }
}

/** A plan creating exactly what the files declare (specs copied, so tests may edit them). */
function planOf(resources: readonly Resource[], pick: (resource: Resource) => boolean = () => true): Plan {
  const sorted = [...resources].sort((a, b) => (a.address < b.address ? -1 : 1))
  const changes: ResourceChange[] = sorted.filter(pick).map((resource) => ({
    address: resource.address,
    kind: resource.kind,
    provider: resource.provider,
    name: resource.name,
    action: 'create',
    fields: [],
    desired: copySpec(resource.spec),
    dependsOn: [],
  }))
  return { targets: [], changes, unmanaged: [], summary: { create: changes.length, update: 0, blocked: 0, error: 0, noop: 0, unmanaged: 0 } }
}

function copySpec(value: unknown): Record<string, unknown> {
  const copy = (v: unknown): unknown => {
    if (v instanceof SecretValue) return v
    if (Array.isArray(v)) return v.map(copy)
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, copy(item)]))
    return v
  }
  return copy(value) as Record<string, unknown>
}

function alphaOf(plan: Plan): ResourceChange {
  return plan.changes.find((change) => change.address === 'syllable/campaign/Alpha')!
}

function hookOf(plan: Plan): Record<string, unknown> {
  return ((alphaOf(plan).desired.webhooks as Record<string, unknown>[])[0]!.auth_values as Record<string, unknown>)
}

describe('checkSavedPlan', () => {
  it('finds nothing wrong with a plan made from the files', async () => {
    const { config, resources } = await project()
    expect(checkSavedPlan({ plan: planOf(resources), config, resources })).toEqual([])
  })

  it('runs the kind schema on each desired spec and names the change and the field', async () => {
    const { config, resources } = await project()
    const plan = planOf(resources)
    alphaOf(plan).desired.hourly_rate = 5000
    delete alphaOf(plan).desired.caller_id
    expect(checkSavedPlan({ plan, config, resources })).toEqual([
      'changes[2] (syllable/campaign/Alpha): spec.caller_id: missing required field "caller_id"',
      'changes[2] (syllable/campaign/Alpha): spec.hourly_rate: must be between 1 and 3600, got 5000',
    ])
  })

  it('runs the named rules, cross-document ones over the plan and the files together', async () => {
    const { config, resources } = await project()
    // Only the batch is in the plan: its campaign is declared by the files, which the rule sees.
    const batchOnly = planOf(resources, (resource) => resource.kind === 'SyllableBatch')
    expect(checkSavedPlan({ plan: batchOnly, config, resources })).toEqual([])
    batchOnly.changes[0]!.desired.campaign = 'Nowhere'
    expect(checkSavedPlan({ plan: batchOnly, config, resources })).toEqual([
      'changes[0] (syllable/batch/alpha-1): spec.campaign: no SyllableCampaign named "Nowhere" is declared in these files',
    ])
  })

  it("checks a plan's secret as the files' would be (hmac-secret-encoding), without showing its value", async () => {
    const { config, resources } = await project()
    const plan = planOf(resources)
    hookOf(plan).hmac_secret = new SecretValue('HOOK', 'not-base64!!')
    const problems = checkSavedPlan({ plan, config, resources })
    expect(problems).toEqual([
      'changes[2] (syllable/campaign/Alpha): spec.webhooks[0].auth_values.hmac_secret: the value of ${env:HOOK} is not standard Base64 ' +
        '(RFC 4648: A–Z, a–z, 0–9, + and /, padded with =; not the URL-safe alphabet) (generate one with: openssl rand -base64 32)',
    ])
    expect(problems.join('\n')).not.toContain('not-base64!!')
  })

  it('never shows a secret that fails the schema either', async () => {
    const { config, resources } = await project()
    const plan = planOf(resources)
    hookOf(plan).hmac_secret = new SecretValue('HOOK', 'x'.repeat(5000))
    const problems = checkSavedPlan({ plan, config, resources })
    expect(problems.length).toBeGreaterThan(0)
    expect(problems.join('\n')).not.toContain('xxxx')
  })

  it.each<[string, (plan: Plan) => void, string]>([
    [
      'a variable the files do not use for that field',
      (plan) => (hookOf(plan).hmac_secret = new SecretValue('SYLLABLE_API_KEY', 'key')),
      "spec.webhooks[0].auth_values.hmac_secret: the plan sends the variable SYLLABLE_API_KEY as this secret, but this project's files use HOOK here",
    ],
    [
      'a variable at a field that is not a secret',
      (plan) => (alphaOf(plan).desired.description = new SecretValue('HOOK', HOOK)),
      'spec.description: {"$env": "HOOK"} names a variable at a field that is not a secret; the secret field is spec.webhooks[*].auth_values.hmac_secret',
    ],
    [
      'a literal where the secret goes',
      (plan) => (hookOf(plan).hmac_secret = HOOK),
      'spec.webhooks[0].auth_values.hmac_secret: a secret in a saved plan must be a {"$env": NAME} reference; this one holds a value (not shown)',
    ],
  ])('refuses %s', async (_name, edit, message) => {
    const { config, resources } = await project()
    const plan = planOf(resources)
    edit(plan)
    expect(checkSavedPlan({ plan, config, resources })).toEqual([`changes[2] (syllable/campaign/Alpha): ${message}`])
  })

  it('allows the files\' variable at another index of the same list (list indices aside), and refuses it for a resource the files give none', async () => {
    const { config, resources } = await project()
    const plan = planOf(resources)
    const hooks = alphaOf(plan).desired.webhooks as Record<string, unknown>[]
    hooks.push({ ...hooks[0]!, url: 'https://hooks.example.com/b', auth_values: { hmac_secret: new SecretValue('HOOK', HOOK) } })
    expect(checkSavedPlan({ plan, config, resources })).toEqual([])

    const batch = plan.changes.find((change) => change.kind === 'SyllableBatch')!
    batch.desired.campaign_name = new SecretValue('HOOK', HOOK)
    expect(checkSavedPlan({ plan, config, resources })).toEqual([
      'changes[1] (syllable/batch/alpha-1): spec.campaign_name: {"$env": "HOOK"} names a variable at a field that is not a secret; a SyllableBatch has no secret fields',
    ])
  })

  it('refuses a create or update of a resource no file declares, but not a noop of one', async () => {
    const { config, resources } = await project()
    const plan = planOf(resources)
    const extra = { ...alphaOf(plan), address: 'syllable/campaign/Extra', name: 'Extra', desired: { ...alphaOf(plan).desired, campaign_name: 'Extra' } }
    plan.changes.push(extra)
    expect(checkSavedPlan({ plan, config, resources })).toEqual([
      'changes[3] (syllable/campaign/Extra): no file of this project declares this resource; a saved plan only creates or updates what the files declare',
    ])
    extra.action = 'noop'
    expect(checkSavedPlan({ plan, config, resources })).toEqual([])
  })

  it('refuses a change whose provider the project lacks or whose kind it cannot serve', async () => {
    const { config, resources } = await project()
    const plan = planOf(resources)
    alphaOf(plan).kind = 'SarvamCampaign'
    const sarvam = plan.changes.find((change) => change.kind === 'SarvamCampaign' && change.provider === 'sarvam')!
    plan.changes.push({ ...sarvam, provider: 'ghost', address: 'ghost/campaign/reminders-hi' })
    expect(checkSavedPlan({ plan, config, resources })).toEqual([
      'changes[2] (syllable/campaign/Alpha): a SarvamCampaign needs a sarvam provider; provider syllable is of type syllable',
      'changes[2] (syllable/campaign/Alpha): the files declare this address as a SyllableCampaign, not a SarvamCampaign',
      'changes[2] (syllable/campaign/Alpha): spec.webhooks[0].auth_values.hmac_secret: {"$env": "HOOK"} names a variable at a field that is not a secret; a SarvamCampaign has no secret fields',
      'changes[3] (ghost/campaign/reminders-hi): names provider ghost, which cac.yaml does not declare',
      'changes[3] (ghost/campaign/reminders-hi): no file of this project declares this resource; a saved plan only creates or updates what the files declare',
    ])
  })
})

describe('targetDifferences', () => {
  const syllable: PlanTarget = { provider: 'syllable', type: 'syllable', target: 'https://api.syllable.example' }
  const sarvam: PlanTarget = { provider: 'sarvam', type: 'sarvam', target: 'https://api.sarvam.example', orgId: 'a', workspaceId: 'w' }

  it('is empty when the project targets what the plan was made for', () => {
    expect(targetDifferences([syllable, sarvam], [sarvam, syllable], 'cac.yaml')).toEqual([])
  })

  it('names each difference: URL, org, workspace (never a key: targets hold none)', () => {
    expect(
      targetDifferences(
        [syllable, sarvam],
        [{ ...syllable, target: 'https://other.example' }, { ...sarvam, orgId: 'b', workspaceId: 'w2' }],
        'cac.yaml',
      ),
    ).toEqual([
      'the plan was made for syllable → https://api.syllable.example, but this run targets https://other.example',
      'the plan was made for sarvam org_id "a"; this project\'s provider sarvam names org_id "b"',
      'the plan was made for sarvam workspace_id "w"; this project\'s provider sarvam names workspace_id "w2"',
    ])
  })

  it('names a binding the plan lacks, a changed type and a provider the project lacks', () => {
    const { orgId: _org, ...withoutOrg } = sarvam
    expect(targetDifferences([withoutOrg], [sarvam], 'cac.yaml')).toEqual([
      'the plan was made for sarvam org_id (none); this project\'s provider sarvam names org_id "a"',
    ])
    expect(targetDifferences([syllable], [{ ...syllable, type: 'sarvam' }], 'cac.yaml')).toEqual([
      "the plan was made for syllable of type syllable; this project's provider syllable is of type sarvam",
    ])
    expect(targetDifferences([syllable], [], 'cac.yaml')).toEqual(['the plan was made for provider syllable, which cac.yaml does not declare'])
  })

})
