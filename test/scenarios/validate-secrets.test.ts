import { randomBytes } from 'node:crypto'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { diagnostic, expectNoCrash, expectNotPrinted, parseJsonReport, parseTextReport } from '../helpers/cli-output.js'
import { DEFAULT_CAC_YAML, tempProject, writeProject, yaml } from '../helpers/temp-project.js'
import { validateInProcess } from '../helpers/validate-in-process.js'

const LITERAL_API_KEY = 'sk-live-51HxQyTopSecretKey'
const LITERAL_HMAC_SECRET = 'c2VjcmV0LXNpZ25pbmcta2V5LWZvci10aGUtd2ViaG9vay0xMjM0NTY='

/** A campaign whose webhook hmac_secret (line 13, value at column 22) is written as given. */
const campaignWithSecret = (hmacSecret: string): string => yaml`
  kind: SyllableCampaign
  provider: syllable
  spec:
    campaign_name: Spring Renewals
    caller_id: "+19995551234"
    campaign_variables: {}
    active_days: [mon]
    webhooks:
      - url: https://hooks.example.com/syllable
        request_method: POST
        trigger_statuses: [COMPLETED]
        auth_values:
          hmac_secret: ${hmacSecret}
`

const API_KEY_LITERAL = diagnostic({
  location: 'cac.yaml:7:14',
  code: 'secret-literal',
  message:
    'providers.syllable.api_key: written as a literal value; secrets must not be stored in files: write ${env:SYLLABLE_API_KEY}',
})
const HMAC_LITERAL = diagnostic({
  location: 'campaigns/renewals.yaml:13:22',
  code: 'secret-literal',
  message:
    'spec.webhooks[0].auth_values.hmac_secret: written as a literal value; secrets must not be stored in files: write ${env:WEBHOOK_HMAC_SECRET}',
})

describe.concurrent('cac validate refuses literal secrets without printing them', { timeout: 30_000 }, () => {
  let project: { dir: string; remove: () => Promise<void> }

  beforeAll(async () => {
    project = await writeProject({
      'cac.yaml': DEFAULT_CAC_YAML.replace('api_key: ${env:SYLLABLE_API_KEY:-}', `api_key: ${LITERAL_API_KEY}`),
      'campaigns/renewals.yaml': campaignWithSecret(LITERAL_HMAC_SECRET),
    })
  })
  afterAll(() => project?.remove())

  it('text: a secret-literal error for the api_key and for the hmac_secret, at their values', async () => {
    const result = await validateInProcess(project.dir)

    expectNoCrash(result)
    expect(result.code).toBe(1)
    const report = parseTextReport(result.stdout)
    expect(report.diagnostics).toEqual([API_KEY_LITERAL, HMAC_LITERAL])
    expect(report.summary).toBe('✗ 2 errors (1 resource in 1 file checked)')
    expectNotPrinted(result, LITERAL_API_KEY, LITERAL_HMAC_SECRET, 'sk-live', 'c2VjcmV0')
  })

  it('json: the same two errors, and neither literal anywhere', async () => {
    const result = await validateInProcess(project.dir, ['--format', 'json'])

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(parseJsonReport(result.stdout).diagnostics).toEqual([
      expect.objectContaining({ file: 'cac.yaml', line: 7, column: 14, code: 'secret-literal' }),
      expect.objectContaining({ file: 'campaigns/renewals.yaml', line: 13, column: 22, code: 'secret-literal' }),
    ])
    expectNotPrinted(result, LITERAL_API_KEY, LITERAL_HMAC_SECRET, 'sk-live', 'c2VjcmV0')
  })

  it('github: the same two annotations, and neither literal anywhere', async () => {
    const result = await validateInProcess(project.dir, ['--format', 'github'])

    expectNoCrash(result)
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^::error file=cac\.yaml,line=7,col=14,title=cac secret-literal::providers\.syllable\.api_key: /m)
    expect(result.stdout).toMatch(
      /^::error file=campaigns\/renewals\.yaml,line=13,col=22,title=cac secret-literal::spec\.webhooks\[0\]\.auth_values\.hmac_secret: /m,
    )
    expectNotPrinted(result, LITERAL_API_KEY, LITERAL_HMAC_SECRET, 'sk-live', 'c2VjcmV0')
  })
})

interface SecretCase {
  name: string
  hmacSecret: string
  env?: Record<string, string>
  envFile?: string
  /** Strings that must appear nowhere in the output. */
  hidden: string[]
  expected: 'valid' | ReturnType<typeof diagnostic>[]
}

const secretCases: SecretCase[] = [
  {
    name: 'an unset secret variable is not required by validate (forks have no secrets)',
    hmacSecret: '"${env:SYLLABLE_HMAC_SECRET}"',
    hidden: [],
    expected: 'valid',
  },
  {
    name: 'a literal default after ":-" is a literal secret in the file',
    hmacSecret: '"${env:SYLLABLE_HMAC_SECRET:-TopSecretDefault}"',
    hidden: ['TopSecretDefault'],
    expected: [
      diagnostic({
        location: 'campaigns/renewals.yaml:13:22',
        code: 'secret-literal',
        message: 'the default after ":-" in ${env:SYLLABLE_HMAC_SECRET:-…} is a literal secret in the file; remove it',
      }),
    ],
  },
  {
    name: 'literal text around the reference is refused',
    hmacSecret: '"prefix-TopSecretSuffix-${env:SYLLABLE_HMAC_SECRET}"',
    hidden: ['TopSecretSuffix'],
    expected: [
      diagnostic({
        location: 'campaigns/renewals.yaml:13:22',
        code: 'secret-literal',
        message: 'must be exactly one environment reference such as ${env:WEBHOOK_HMAC_SECRET}, with no literal text around it',
      }),
    ],
  },
  {
    name: 'a literal number is refused without echoing it, even in the type error',
    hmacSecret: '98765432109876543210',
    hidden: ['98765432109876543210'],
    expected: [
      diagnostic({
        location: 'campaigns/renewals.yaml:13:22',
        code: 'secret-literal',
        message: 'written as a literal value',
      }),
      diagnostic({
        location: 'campaigns/renewals.yaml:13:22',
        code: 'spec.webhooks[0].auth_values.hmac_secret',
        message: 'must be a string, got an integer (value not shown)',
      }),
    ],
  },
  {
    name: 'a set variable that decodes to too few bytes is refused without printing it',
    hmacSecret: '"${env:SYLLABLE_HMAC_SECRET}"',
    env: { SYLLABLE_HMAC_SECRET: 'c2hvcnQtc2VjcmV0LTE2Qg==' }, // 16 bytes
    hidden: ['c2hvcnQtc2VjcmV0LTE2Qg=='],
    expected: [
      diagnostic({
        location: 'campaigns/renewals.yaml:13:22',
        code: 'hmac-secret-encoding',
        message: 'the value of ${env:SYLLABLE_HMAC_SECRET} decodes to 16 bytes; it must decode to 32–512 bytes',
      }),
    ],
  },
  {
    name: 'a URL-safe Base64 variable is refused without printing it',
    hmacSecret: '"${env:SYLLABLE_HMAC_SECRET}"',
    env: { SYLLABLE_HMAC_SECRET: '-_-_' + 'A'.repeat(44) },
    hidden: ['-_-_' + 'A'.repeat(44)],
    expected: [
      diagnostic({
        location: 'campaigns/renewals.yaml:13:22',
        code: 'hmac-secret-encoding',
        message: 'is not standard Base64',
      }),
    ],
  },
  {
    name: 'a bad value from an --env file is refused without printing it',
    hmacSecret: '"${env:SYLLABLE_HMAC_SECRET}"',
    envFile: 'SYLLABLE_HMAC_SECRET=FromTheEnvFile!\n',
    hidden: ['FromTheEnvFile'],
    expected: [
      diagnostic({
        location: 'campaigns/renewals.yaml:13:22',
        code: 'hmac-secret-encoding',
        message: 'is not standard Base64',
      }),
    ],
  },
  {
    name: 'a good value (32 random bytes, Base64) is accepted',
    hmacSecret: '"${env:SYLLABLE_HMAC_SECRET}"',
    env: { SYLLABLE_HMAC_SECRET: randomBytes(32).toString('base64') },
    hidden: [],
    expected: 'valid',
  },
]

describe.concurrent('cac validate checks webhook secrets that come from the environment', { timeout: 30_000 }, () => {
  it.for(secretCases)('$name', async ({ hmacSecret, env, envFile, hidden, expected }, { expect, onTestFinished }) => {
    const files: Record<string, string> = { 'campaigns/renewals.yaml': campaignWithSecret(hmacSecret) }
    if (envFile !== undefined) files['secrets.env'] = envFile
    const dir = await tempProject(files, { onTestFinished })

    // Where something must stay hidden, check every format; otherwise the text report is enough.
    const formats = hidden.length > 0 || env !== undefined ? ['text', 'json', 'github'] : ['text']
    for (const format of formats) {
      const args = ['--format', format, ...(envFile !== undefined ? ['--env', 'secrets.env'] : [])]
      const result = await validateInProcess(dir, args, env)

      expectNoCrash(result)
      expectNotPrinted(result, ...hidden, ...Object.values(env ?? {}))
      expect(result.code).toBe(expected === 'valid' ? 0 : 1)
      if (format === 'text') {
        expect(parseTextReport(result.stdout).diagnostics).toEqual(expected === 'valid' ? [] : expected)
      }
    }
  })
})
