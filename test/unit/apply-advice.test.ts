import { describe, expect, it } from 'vitest'

import { NetworkError, RequestDeadlineError, statusError, UnexpectedResponseError } from '../../src/http/errors.js'
import type { ApplyResult } from '../../src/model/apply-result.js'
import { FailureWithWarning } from '../../src/model/change-warning.js'
import { classifyFailure, type FailureCause } from '../../src/model/failure-cause.js'
import type { ResourceChange } from '../../src/model/plan.js'
import { PlatformError } from '../../src/model/platform-error.js'
import { applyAdvice, RETRY_ADVICE } from '../../src/render/apply-advice.js'
import { formatApplySummary } from '../../src/render/apply-report.js'

const PATH = '/api/v1/outbound/campaigns'

describe('classifyFailure: what would let a failed request through', () => {
  it.each([
    [401, 'credentials'],
    [403, 'credentials'],
    [400, 'rejected'],
    [422, 'rejected'],
    [404, 'state'],
    [409, 'state'],
    [408, 'transient'],
    [429, 'transient'],
    [500, 'transient'],
    [502, 'transient'],
    [503, 'transient'],
    [418, 'unknown'],
  ] as const)('HTTP %i → %s', (status, cause) => {
    expect(classifyFailure(statusError(status, 'POST', PATH, 'no')).cause).toBe(cause)
  })

  it('in transit, and past the deadline: transient; an answer not as the contract says: unknown', () => {
    expect(classifyFailure(new NetworkError('POST', PATH, 'ECONNRESET', true)).cause).toBe('transient')
    expect(classifyFailure(new RequestDeadlineError('POST', PATH, 60_000)).cause).toBe('transient')
    expect(classifyFailure(new UnexpectedResponseError('POST', PATH, 200, 'not JSON')).cause).toBe('unknown')
    expect(classifyFailure(new Error('two campaigns share the name')).cause).toBe('unknown')
    expect(classifyFailure('a string').cause).toBe('unknown')
  })

  it('a 422 names the fields the platform rejected (FastAPI loc, without body)', () => {
    const detail = [
      { loc: ['body', 'hourly_rate'], msg: 'ensure this value is less than or equal to 3600', type: 'value_error' },
      { loc: ['body', 'webhooks', 0, 'url'], msg: 'invalid url', type: 'value_error' },
      { loc: ['body', 'hourly_rate'], msg: 'again', type: 'value_error' },
      'not an entry',
    ]

    expect(classifyFailure(statusError(422, 'PUT', `${PATH}/3`, detail))).toEqual({ cause: 'rejected', fields: ['hourly_rate', 'webhooks.0.url'] })
    expect(classifyFailure(statusError(422, 'PUT', `${PATH}/3`, 'a string detail'))).toEqual({ cause: 'rejected', fields: [] })
  })

  it('looks through the errors that wrap one (a warning, a platform error)', () => {
    const wrapped = new FailureWithWarning('update failed and resume failed', 'LEFT PAUSED', { cause: statusError(409, 'PUT', '/status', 'no') })
    expect(classifyFailure(wrapped).cause).toBe('state')
    expect(classifyFailure(new PlatformError('syllable', 'https://api.example', statusError(401, 'GET', PATH, 'bad key'))).cause).toBe('credentials')
  })
})

function change(address: string, action: ResourceChange['action'] = 'create', reason?: string): ResourceChange {
  const provider = address.slice(0, address.indexOf('/'))
  return { address, kind: 'SyllableCampaign', provider, name: address, action, fields: [], desired: {}, dependsOn: [], ...(reason ? { reason } : {}) }
}

function resultWith(parts: Partial<ApplyResult>): ApplyResult {
  return { succeeded: [], failed: [], skipped: [], notAttempted: [], interrupted: false, notStarted: [], unfinished: [], unchanged: 0, followUps: [], durationMs: 1, ...parts }
}

function failure(address: string, cause: FailureCause, rejectedFields?: string[]): ApplyResult['failed'][number] {
  return { change: change(address), message: `${address} failed`, cause, ...(rejectedFields ? { rejectedFields } : {}) }
}

const retried = (lines: readonly string[]) => lines.some((line) => /run apply again to retry/i.test(line))

describe('applyAdvice: what to do next fits the failure', () => {
  it('only a retry is needed: the one retry line', () => {
    const lines = applyAdvice(resultWith({ failed: [failure('syllable/campaign/A', 'transient')], skipped: [{ change: change('syllable/batch/a'), reason: 'syllable/campaign/A was not applied' }] }), false)

    expect(lines).toEqual([RETRY_ADVICE])
  })

  it('a change whose outcome is unknown is retried too (apply again converges)', () => {
    expect(applyAdvice(resultWith({ unfinished: [{ change: change('syllable/campaign/A'), reason: 'still in flight' }] }), false)).toEqual([RETRY_ADVICE])
  })

  it('a refused key: check the key, no retry', () => {
    const lines = applyAdvice(resultWith({ failed: [failure('syllable/campaign/A', 'credentials'), failure('syllable/campaign/B', 'credentials')] }), false)

    expect(lines).toEqual([
      'The platform refused the API key of provider syllable (401/403): check the api_key in cac.yaml and the variable it names; trying again with the same key fails the same way.',
    ])
  })

  it('a rejected value: fix the field named, in the file, no retry', () => {
    const lines = applyAdvice(resultWith({ failed: [failure('syllable/campaign/A', 'rejected', ['hourly_rate']), failure('sarvam/campaign/b', 'rejected')] }), false)

    expect(lines).toEqual([
      'Fix hourly_rate of syllable/campaign/A in its file: the platform rejected it, and running apply again unchanged fails the same way.',
      'Fix sarvam/campaign/b in its file where the platform rejected it (see its failure above): running apply again unchanged fails the same way.',
    ])
    expect(retried(lines)).toBe(false)
  })

  it('blocked changes: do what the reason says, or change the file, no retry', () => {
    const ended = change('sarvam/campaign/old', 'blocked', 'campaign has ended: it can no longer be changed')
    const lines = applyAdvice(resultWith({ notAttempted: [ended] }), false)

    expect(lines).toEqual([
      'The blocked change is not made by running apply again: do what the reason above says (e.g. --pause-to-update for a running campaign), or change the file.',
    ])
  })

  it("the platform's state (404/409) and unexplained failures: look with cac plan first", () => {
    const lines = applyAdvice(resultWith({ failed: [failure('sarvam/campaign/a', 'state'), failure('syllable/campaign/B', 'unknown')] }), false)

    expect(lines).toEqual([
      'Run cac plan to see where sarvam/campaign/a stands now: the platform does not allow the change in its current state, or it changed since the plan.',
      'See the failure of syllable/campaign/B above, and run cac plan to see where things stand before applying again.',
    ])
  })

  it('mixed: each line for its own trouble, and the retry for what failed on the way only', () => {
    const lines = applyAdvice(
      resultWith({
        failed: [failure('syllable/campaign/A', 'transient'), failure('syllable/campaign/B', 'rejected', ['caller_id']), failure('syllable/campaign/C', 'transient')],
        notAttempted: [change('sarvam/campaign/x', 'blocked', 'campaign is active')],
      }),
      false,
    )

    expect(lines).toEqual([
      'Fix caller_id of syllable/campaign/B in its file: the platform rejected it, and running apply again unchanged fails the same way.',
      'The blocked change is not made by running apply again: do what the reason above says (e.g. --pause-to-update for a running campaign), or change the file.',
      'Run apply again to retry the 2 changes that failed on the way (network, timeout, throttling or a server error); what succeeded is not repeated.',
    ])
  })

  it('complete: nothing to say; interrupted: finish with apply again', () => {
    expect(applyAdvice(resultWith({}), true)).toEqual([])
    expect(applyAdvice(resultWith({ interrupted: true, failed: [failure('syllable/campaign/A', 'rejected')] }), false)).toEqual([
      'Nothing was started after the interrupt. Run apply again to finish; what succeeded is not repeated.',
    ])
  })

  it('names from the platform cannot reach the terminal raw', () => {
    const lines = applyAdvice(resultWith({ failed: [failure('syllable/campaign/\u001b[2Jevil', 'rejected', ['x\u202ey'])] }), false)

    expect(lines.join('\n')).not.toMatch(/[\u001b\u202e]/)
  })

  it('the summary ends with the advice, after the summary line', () => {
    const text = formatApplySummary(resultWith({ notAttempted: [change('sarvam/campaign/old', 'blocked', 'campaign has ended: it can no longer be changed')] }), false)

    expect(text).toBe(
      'Not attempted:\n' +
        '  sarvam/campaign/old: blocked: campaign has ended: it can no longer be changed\n' +
        'Apply incomplete: 0 created, 0 updated, 1 blocked, 0 unchanged.\n' +
        'The blocked change is not made by running apply again: do what the reason above says (e.g. --pause-to-update for a running campaign), or change the file.\n',
    )
  })
})
