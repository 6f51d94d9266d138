import { describe, expect, it } from 'vitest'

import { ConflictError, NetworkError, ServerError, UnexpectedResponseError, ValidationError } from '../../src/http/errors.js'
import { classifyCreateFailure, createSafely, type CreateRetryPolicy, type SafeCreate } from '../../src/providers/safe-create.js'

/** Waits are recorded, not slept. */
function policy(): CreateRetryPolicy & { waits: number[] } {
  const waits: number[] = []
  return { attempts: 3, backoffMs: 100, settleDelaysMs: [10, 20, 40], sleep: async (ms) => void waits.push(ms), waits }
}

const lost = () => new NetworkError('POST', '/x', 'UND_ERR_SOCKET', true)
const gatewayTimeout = () => new ServerError(504, 'POST', '/x', 'Gateway Timeout')

/** A create whose POSTs fail or succeed as scripted, and whose lookups find what `visible` says. */
function scripted(posts: (() => Promise<{ id: number }>)[], visible: (lookup: number) => { id: number } | undefined, unique = false) {
  const calls = { posts: 0, lookups: 0, adopted: [] as { id: number; why: string; settleRemainingMs: number }[] }
  const create: SafeCreate<{ id: number }, { id: number }> = {
    post: () => posts[calls.posts++]!(),
    find: async () => visible(++calls.lookups),
    adopt: async (found, context) => {
      calls.adopted.push({ id: found.id, ...context })
      return { id: found.id, steps: [] }
    },
    uniqueIdentity: unique,
  }
  return { create, calls }
}

describe('classifyCreateFailure', () => {
  it('reads each failure for what it says about the request', () => {
    expect(classifyCreateFailure(new ConflictError(409, 'POST', '/x', 'exists'))).toBe('exists')
    expect(classifyCreateFailure(lost())).toBe('in-doubt')
    expect(classifyCreateFailure(gatewayTimeout())).toBe('in-doubt')
    expect(classifyCreateFailure(new ServerError(502, 'POST', '/x', 'Bad Gateway'))).toBe('in-doubt')
    expect(classifyCreateFailure(new UnexpectedResponseError('POST', '/x', 200, 'not JSON'))).toBe('in-doubt')
    expect(classifyCreateFailure(new ServerError(500, 'POST', '/x', 'oops'))).toBe('answered')
    expect(classifyCreateFailure(new ServerError(503, 'POST', '/x', 'busy'))).toBe('answered')
    expect(classifyCreateFailure(new NetworkError('POST', '/x', 'ECONNREFUSED', false))).toBe('refused')
    expect(classifyCreateFailure(new ValidationError(422, 'POST', '/x', []))).toBe('refused')
    expect(classifyCreateFailure(new Error('a bug'))).toBe('refused')
  })
})

describe('createSafely', () => {
  it('adopts what a lost create made, without posting again', async () => {
    const p = policy()
    const { create, calls } = scripted([() => Promise.reject(lost())], () => ({ id: 5 }))
    expect(await createSafely(create, p)).toEqual({ adopted: { id: 5, steps: ['adopted after an interrupted create'] } })
    expect(calls).toMatchObject({ posts: 1, lookups: 1, adopted: [{ id: 5, why: 'in-doubt', settleRemainingMs: 70 }] })
    expect(p.waits).toEqual([])
  })

  it('after a gateway timeout, waits and looks again before posting again (a late commit is found, not doubled)', async () => {
    const p = policy()
    // The platform commits the first POST while cac waits: the third lookup sees it.
    const { create, calls } = scripted([() => Promise.reject(gatewayTimeout())], (lookup) => (lookup >= 3 ? { id: 8 } : undefined))
    expect(await createSafely(create, p)).toEqual({ adopted: { id: 8, steps: ['adopted after an interrupted create'] } })
    expect(calls.posts).toBe(1)
    expect(p.waits).toEqual([10, 20])
    // The kind is told how long a late commit may still come: the one wait not used.
    expect(calls.adopted).toEqual([{ id: 8, why: 'in-doubt', settleRemainingMs: 40 }])
  })

  it('posts again only once every lookup of a request in doubt came back empty, then gives up after the bounded attempts', async () => {
    const p = policy()
    const { create, calls } = scripted([() => Promise.reject(lost()), () => Promise.reject(lost()), () => Promise.reject(lost())], () => undefined)
    await expect(createSafely(create, p)).rejects.toBeInstanceOf(NetworkError)
    expect(calls.posts).toBe(3)
    expect(calls.lookups).toBe(12)
    expect(p.waits).toEqual([10, 20, 40, 100, 10, 20, 40, 200, 10, 20, 40])
  })

  it('a unique identity needs no waiting: the next POST answers 409 if the first one landed, and that is adopted', async () => {
    const p = policy()
    let landed = false
    const { create, calls } = scripted(
      [() => Promise.reject(lost()), () => Promise.reject(new ConflictError(409, 'POST', '/x', 'exists'))],
      () => (landed ? { id: 3 } : ((landed = true), undefined)),
      true,
    )
    expect(await createSafely(create, p)).toEqual({ adopted: { id: 3, steps: ['adopted: it was created elsewhere first'] } })
    expect(calls).toMatchObject({ posts: 2, adopted: [{ id: 3, why: 'exists' }] })
    expect(p.waits).toEqual([100])
  })

  it('adopts a unique identity taken before the first POST (another run made it)', async () => {
    const p = policy()
    const { create, calls } = scripted([() => Promise.reject(new ConflictError(409, 'POST', '/x', 'exists'))], () => ({ id: 4 }), true)
    expect(await createSafely(create, p)).toEqual({ adopted: { id: 4, steps: ['adopted: it was created elsewhere first'] } })
    expect(calls).toMatchObject({ posts: 1, adopted: [{ id: 4, why: 'exists' }] })
  })

  it('a 409 with nothing to find, even after waiting, is reported, never posted again', async () => {
    const p = policy()
    const conflict = new ConflictError(409, 'POST', '/x', 'exists')
    const { create, calls } = scripted([() => Promise.reject(conflict)], () => undefined, true)
    await expect(createSafely(create, p)).rejects.toBe(conflict)
    expect(calls).toMatchObject({ posts: 1, lookups: 4 })
  })

  it('after a server error that answered (500), looks once and posts again', async () => {
    const p = policy()
    const { create, calls } = scripted([() => Promise.reject(new ServerError(500, 'POST', '/x', 'oops')), async () => ({ id: 9 })], () => undefined)
    expect(await createSafely(create, p)).toEqual({ created: { id: 9 } })
    expect(calls).toMatchObject({ posts: 2, lookups: 1 })
    expect(p.waits).toEqual([100])
  })

  it('never repeats a refusal', async () => {
    const p = policy()
    const { create, calls } = scripted([() => Promise.reject(new ValidationError(422, 'POST', '/x', []))], () => ({ id: 1 }))
    await expect(createSafely(create, p)).rejects.toBeInstanceOf(ValidationError)
    expect(calls).toMatchObject({ posts: 1, lookups: 0 })
  })

  it('hands a successful create to the kind to confirm (a non-unique identity checks for a first copy)', async () => {
    const p = policy()
    const { create } = scripted([async () => ({ id: 12 })], () => undefined)
    create.confirm = async (created) => ({ adopted: { id: 11, steps: [`removed this run's second copy (id ${created.id})`] } })
    expect(await createSafely(create, p)).toEqual({ adopted: { id: 11, steps: ["removed this run's second copy (id 12)"] } })
  })

  it('a lookup that fails stops the create: it is never posted again blind', async () => {
    const p = policy()
    const { create, calls } = scripted([() => Promise.reject(lost()), async () => ({ id: 1 })], () => undefined)
    create.find = () => Promise.reject(new ServerError(500, 'GET', '/x', 'down'))
    await expect(createSafely(create, p)).rejects.toBeInstanceOf(ServerError)
    expect(calls.posts).toBe(1)
  })
})
