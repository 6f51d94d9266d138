import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { ANSI_ESCAPE, expectNoCrash } from '../helpers/cli-output.js'
import { documents, syllableBatchDoc, syllableCampaignDoc } from '../helpers/definitions.js'
import { createSyllableCampaign, startInProcessSandbox, type ExternalSandbox } from '../helpers/external-sandbox.js'
import { cacInProcess, planSummary, type Cac, type JsonPlan } from '../helpers/plan-apply.js'
import { tempProject } from '../helpers/temp-project.js'

const SYLLABLE_FILE = 'campaigns/syllable.yaml'

/**
 * One plan with every kind of line: Alpha applied and then changed in the file (update), its batch
 * unchanged (noop), Beta new (create), and "Console Made" on the platform in no file (unmanaged).
 */
async function mixedPlan(onTestFinished: (cleanup: () => Promise<void>) => void): Promise<{ project: string; cac: Cac; sandbox: ExternalSandbox; consoleId: number }> {
  const project = await tempProject(
    { [SYLLABLE_FILE]: documents(syllableCampaignDoc('Alpha', { hourly_rate: 10 }), syllableBatchDoc('alpha-1', 'Alpha', { call_rate: 5 })) },
    { onTestFinished },
  )
  const sandbox = await startInProcessSandbox(onTestFinished)
  const cac = cacInProcess(project, sandbox.env)
  expect((await cac(['apply', '--auto-approve'])).code).toBe(0)
  const { id: consoleId } = await createSyllableCampaign(sandbox.request, 'Console Made')
  await writeFile(
    join(project, SYLLABLE_FILE),
    documents(
      syllableCampaignDoc('Alpha', { hourly_rate: 12 }),
      syllableBatchDoc('alpha-1', 'Alpha', { call_rate: 5 }),
      syllableCampaignDoc('Beta', { caller_id: '+19995550002' }),
    ),
  )
  await sandbox.resetCounters()
  return { project, cac, sandbox, consoleId }
}

/** `count` Syllable campaigns (with long variables) and a batch each: a plan too long for one comment. */
function manyFiles(count: number): Record<string, string> {
  const docs = Array.from({ length: count }, (_, i) => [
    syllableCampaignDoc(`Campaign ${String(i).padStart(3, '0')}`, {
      caller_id: `+1999555${String(i).padStart(4, '0')}`,
      campaign_variables: { region: 'us-east', product: 'home-insurance', note: 'x'.repeat(60) },
      hourly_rate: 1 + i,
      daily_start_time: '09:00:00',
      daily_end_time: '17:00:00',
    }),
    syllableBatchDoc(`batch-${String(i).padStart(3, '0')}`, `Campaign ${String(i).padStart(3, '0')}`, { call_rate: 20 }),
  ]).flat()
  return { 'campaigns/many.yaml': documents(...docs) }
}

describe.concurrent('cac plan output', { timeout: 180_000 }, () => {
  it('text: the target, each change with its fields, unmanaged resources, then the summary; nothing written', async ({ onTestFinished }) => {
    const { cac, sandbox, consoleId } = await mixedPlan(onTestFinished)

    const plan = await cac(['plan'])
    expectNoCrash(plan)
    expect(plan.code).toBe(0)
    expect(plan.stderr).toBe('')
    expect(plan.stdout).not.toMatch(ANSI_ESCAPE)
    expect(plan.stdout).toBe(
      [
        'Targets:',
        `  syllable → ${sandbox.url}`,
        '',
        '~ update  syllable/campaign/Alpha',
        '      hourly_rate: 10 → 12',
        '',
        '+ create  syllable/campaign/Beta',
        '      active_days: ["mon","tue"]',
        '      caller_id: "+19995550002"',
        '      campaign_name: "Beta"',
        '      campaign_variables: {}',
        '',
        'Unmanaged (on the platform, in no file; left alone):',
        `  syllable/campaign/Console Made  (id ${consoleId})`,
        '',
        'Plan: 1 to create, 1 to update, 1 unchanged.',
        '',
      ].join('\n'),
    )
    expect(await sandbox.writeRoutes()).toEqual({})
  })

  it.for([
    ['changes pending', true, [], 2],
    ['changes pending, without the flag', true, undefined, 0],
    ['nothing pending', false, [], 0],
  ] as const)('--detailed-exitcode with %s', async ([, pending, flag, code], { onTestFinished }) => {
    const { project, cac } = await mixedPlan(onTestFinished)
    if (!pending) {
      await writeFile(join(project, SYLLABLE_FILE), documents(syllableCampaignDoc('Alpha', { hourly_rate: 10 }), syllableBatchDoc('alpha-1', 'Alpha', { call_rate: 5 })))
    }
    const plan = await cac(['plan', ...(flag === undefined ? [] : ['--detailed-exitcode'])])
    expectNoCrash(plan)
    expect(plan.code).toBe(code)
    expect(planSummary(plan.stdout)).toBe(pending ? 'Plan: 1 to create, 1 to update, 1 unchanged.' : 'No changes. Plan: 0 to create, 0 to update, 2 unchanged.')
  })

  it('json: a versioned envelope with targets, summary, every change (noop included) with its fields, and unmanaged', async ({ onTestFinished }) => {
    const { cac, sandbox, consoleId } = await mixedPlan(onTestFinished)

    const plan = await cac(['plan', '--format', 'json', '--detailed-exitcode'])
    expectNoCrash(plan)
    expect(plan.code).toBe(2)
    const json = JSON.parse(plan.stdout) as JsonPlan
    expect(Object.keys(json)).toEqual(['format_version', 'targets', 'summary', 'changes', 'unmanaged'])
    expect(json.format_version).toBe(1)
    expect(json.targets).toEqual([{ provider: 'syllable', type: 'syllable', target: sandbox.url }])
    expect(json.summary).toEqual({ create: 1, update: 1, blocked: 0, error: 0, noop: 1, unmanaged: 1 })
    expect(json.changes.map((change) => [change.address, change.action])).toEqual([
      ['syllable/batch/alpha-1', 'noop'],
      ['syllable/campaign/Alpha', 'update'],
      ['syllable/campaign/Beta', 'create'],
    ])
    const [batch, alpha, beta] = json.changes
    expect(batch).toEqual({
      address: 'syllable/batch/alpha-1',
      kind: 'SyllableBatch',
      provider: 'syllable',
      name: 'alpha-1',
      action: 'noop',
      reason: null,
      live_id: 'alpha-1',
      live_status: 'PENDING',
      notice: null,
      fields: [],
    })
    expect(alpha).toMatchObject({ kind: 'SyllableCampaign', name: 'Alpha', live_id: expect.any(Number) })
    expect(alpha!.fields).toEqual([{ path: 'hourly_rate', kind: 'change', before: 10, after: 12, sensitive: false }])
    expect(beta).toMatchObject({ live_id: null, live_status: null })
    expect(beta!.fields).toContainEqual({ path: 'campaign_name', kind: 'add', before: null, after: 'Beta', sensitive: false })
    expect(json.unmanaged).toEqual([
      { address: 'syllable/campaign/Console Made', kind: 'SyllableCampaign', provider: 'syllable', name: 'Console Made', id: consoleId },
    ])
  })

  it('markdown: the summary first, the targets, a <details> section per changed resource, and the unmanaged ones', async ({ onTestFinished }) => {
    const { cac, sandbox } = await mixedPlan(onTestFinished)

    const plan = await cac(['plan', '--format', 'markdown'])
    expectNoCrash(plan)
    expect(plan.code).toBe(0)
    const lines = plan.stdout.split('\n')
    expect(lines[0]).toBe('### Plan: 1 to create, 1 to update, 1 unchanged.')
    expect(plan.stdout).toContain(`Targets: \`syllable\` → ${sandbox.url}`)
    expect(plan.stdout.match(/<details>/g)).toHaveLength(3)
    expect(plan.stdout).toContain('<details><summary>🟢 <b>create</b> <code>syllable/campaign/Beta</code></summary>')
    expect(plan.stdout).toContain(
      '<details><summary>🟡 <b>update</b> <code>syllable/campaign/Alpha</code></summary>\n\n' +
        '| field | before | after |\n|---|---|---|\n| <code>hourly_rate</code> | <code>10</code> | <code>12</code> |\n\n</details>',
    )
    expect(plan.stdout).toContain('Unmanaged: 1 resource on the platform in no file (left alone)')
    expect(plan.stdout).not.toContain('alpha-1')
  })

  it('markdown: a plan too long for a pull-request comment stays under 65,000 characters and says what it left out', async ({ onTestFinished }) => {
    const project = await tempProject({ ...manyFiles(150) }, { onTestFinished })
    const cac = cacInProcess(project)

    const plan = await cac(['plan', '--sandbox', '--format', 'markdown'])
    expectNoCrash(plan)
    expect(plan.code).toBe(0)
    expect(plan.stdout.length).toBeLessThan(65_000)
    expect(plan.stdout.split('\n')[0]).toBe('### Plan: 300 to create, 0 to update, 0 unchanged.')
    const shown = plan.stdout.match(/<details>/g)?.length ?? 0
    const note = /^> \*\*Note:\*\* (\d+) more sections are not shown: a comment is limited to 65,000 characters\. Run `cac plan` to see the whole plan\.$/m.exec(plan.stdout)
    expect(note, 'the truncation note').not.toBeNull()
    expect(shown).toBeGreaterThan(0)
    expect(shown + Number(note![1])).toBe(300)
  })

  it('markdown with nothing to do: "No changes." first', async ({ onTestFinished }) => {
    const { project, cac } = await mixedPlan(onTestFinished)
    await writeFile(join(project, SYLLABLE_FILE), documents(syllableCampaignDoc('Alpha', { hourly_rate: 10 }), syllableBatchDoc('alpha-1', 'Alpha', { call_rate: 5 })))
    const plan = await cac(['plan', '--format', 'markdown'])
    expect(plan.code).toBe(0)
    expect(plan.stdout.split('\n')[0]).toBe('### No changes. Plan: 0 to create, 0 to update, 2 unchanged.')
  })

  it('--out FILE saves canonical JSON (format version, checksum, live fingerprints) while printing the plan as asked', async ({ onTestFinished }) => {
    const { project, cac } = await mixedPlan(onTestFinished)

    const plan = await cac(['plan', '--format', 'json', '--out', 'plans/next.json'])
    expectNoCrash(plan)
    expect(plan.code).toBe(0)
    expect((JSON.parse(plan.stdout) as JsonPlan).summary.update).toBe(1)
    expect(plan.stderr).toBe('Saved the plan to plans/next.json; apply exactly this plan with: cac apply plans/next.json\n')

    const text = await readFile(join(project, 'plans', 'next.json'), 'utf8')
    const saved = JSON.parse(text) as {
      format_version: number
      tool: string
      checksum: string
      targets: unknown[]
      changes: { address: string; action: string; live_fingerprint?: string; live_id?: number }[]
    }
    // Canonical: keys sorted at every level, two-space indent, a final newline.
    expect(text).toBe(`${JSON.stringify(sortKeys(saved), null, 2)}\n`)
    expect(saved).toMatchObject({ format_version: 1, tool: 'cac', checksum: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) })
    const alpha = saved.changes.find((change) => change.address === 'syllable/campaign/Alpha')
    expect(alpha).toMatchObject({ action: 'update', live_fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), live_id: expect.any(Number) })
    expect(saved.changes.find((change) => change.address === 'syllable/campaign/Beta')).toMatchObject({ action: 'create' })
  })

  it('--sandbox sends every provider to the embedded sandbox, whatever the url, and says so', async ({ onTestFinished }) => {
    const { cac, sandbox } = await mixedPlan(onTestFinished)
    const plan = await cac(['plan', '--sandbox'])
    expectNoCrash(plan)
    expect(plan.code).toBe(0)
    expect(plan.stdout).toContain('Targets:\n  syllable → sandbox (.cac/sandbox.json)\n')
    expect(planSummary(plan.stdout)).toBe('Plan: 3 to create, 0 to update, 0 unchanged.')
    expect((await sandbox.counters()).total).toBe(0)
  })
})

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]))
  }
  return value
}
