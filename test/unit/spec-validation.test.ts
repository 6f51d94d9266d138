import { describe, expect, it } from 'vitest'

import { loadProject } from '../../src/config/load-project.js'
import { checkSpecs, type SpecToCheck } from '../../src/config/spec-validation.js'
import { SecretValue } from '../../src/model/secret.js'
import { tempProject } from '../helpers/temp-project.js'

async function config() {
  const load = await loadProject({ cwd: await tempProject(), env: {}, secretsRequired: false })
  return load.config!
}

const campaign = (name: string, extra: Record<string, unknown> = {}): SpecToCheck => ({
  label: `plan ${name}`,
  kind: 'SyllableCampaign',
  provider: 'syllable',
  spec: { campaign_name: name, campaign_variables: {}, caller_id: '+19995550001', active_days: ['mon'], ...extra },
})

describe('checkSpecs (the schemas and rules of validate, on specs that are not files)', () => {
  it('reports problems of the checked specs only, not of what is alongside them for context', async () => {
    const broken = { ...campaign('Other', { hourly_rate: 0 }), label: 'file Other' }
    expect(await config().then((project) => checkSpecs(project, [campaign('Alpha')], [broken]))).toEqual([])
  })

  it('reports in the order the specs were given, schema then rules for each', async () => {
    const project = await config()
    const problems = checkSpecs(
      project,
      [campaign('B', { daily_start_time: '18:00', daily_end_time: '09:00' }), campaign('A', { hourly_rate: 'fast' })],
      [],
    )
    expect(problems).toEqual([
      {
        label: 'plan B',
        message: 'spec.daily_end_time: the window ends at 09:00 but starts at 18:00 (daily_start_time); the start must be before the end',
      },
      { label: 'plan A', message: 'spec.hourly_rate: must be an integer, got "fast"' },
    ])
  })

  it('sees a duplicate identity between a checked spec and one alongside', async () => {
    const project = await config()
    const problems = checkSpecs(project, [campaign('Alpha')], [{ ...campaign('Alpha'), label: 'file Alpha' }])
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/^spec\.campaign_name: SyllableCampaign "Alpha" \(provider syllable\) is declared more than once/)])
  })

  it('leaves an unset secret to the caller (apply refuses it by name), and never shows a set one', async () => {
    const project = await config()
    const hook = (secret: SecretValue) => ({
      webhooks: [{ url: 'https://h.example.com', request_method: 'POST', trigger_statuses: ['COMPLETED'], auth_values: { hmac_secret: secret } }],
    })
    expect(checkSpecs(project, [campaign('Alpha', hook(new SecretValue('HOOK', undefined)))], [])).toEqual([])
    const shown = checkSpecs(project, [campaign('Alpha', hook(new SecretValue('HOOK', 'tiny-secret-value')))], [])
    expect(shown).toHaveLength(1)
    expect(shown[0]!.message).toContain('${env:HOOK}')
    expect(shown[0]!.message).not.toContain('tiny-secret-value')
  })
})
