/**
 * The generic part of every provider: a map kind → handler, and the plumbing the workflow calls
 * (read the kinds asked for, refresh, dispatch a change to its handler). Both platforms build
 * their provider with this one function.
 */
import type { KindName } from '../model/kinds.js'
import type { ResourceChange, Spec } from '../model/plan.js'
import type { ApplyContext, ChangeOutcome, FollowUp, KindPolicy, LiveResource, Provider, ReadScope } from '../model/provider.js'
import { addressOf, type Resource } from '../model/resource.js'
import { policyOf, SharedReads, type KindHandler, type RefreshTarget } from './kind-handler.js'

export interface HandlerProviderParts<Session> {
  /** The provider's name (cac.yaml) and platform type. */
  name: string
  type: string
  target: string
  session: Session
  handlers: readonly KindHandler<Session>[]
  /** Waits for work the changes left running (see Provider.settle). */
  settle?: () => Promise<FollowUp[]>
  close: () => Promise<void>
}

export function providerFromHandlers<Session>(parts: HandlerProviderParts<Session>): Provider {
  const { name, type, session, handlers } = parts
  const byKind = new Map(handlers.map((handler) => [handler.kind.name, handler]))
  const policies = new Map<string, KindPolicy>(handlers.map((handler) => [handler.kind.name, policyOf(handler)]))
  const handlerOf = (kind: KindName): KindHandler<Session> => {
    const handler = byKind.get(kind)
    if (!handler) throw new Error(`provider ${name} (${type}) does not manage ${kind}`)
    return handler
  }

  const provider: Provider = {
    name,
    type,
    target: parts.target,
    kinds: handlers.map((handler) => handler.kind.name),
    policy: (kind) => {
      handlerOf(kind)
      return policies.get(kind)!
    },
    normaliseDesired: (resource: Resource): Spec => handlerOf(resource.kind).normalise(resource.spec),
    toFileSpec: (live: LiveResource): Spec => handlerOf(live.kind).toFileSpec(live),
    async readLive(kinds, declared, scope: ReadScope = 'declared') {
      const shared = new SharedReads()
      const wanted = handlers.filter((handler) => kinds.includes(handler.kind.name))
      const lists = await Promise.all(
        wanted.map((handler) =>
          handler.list(session, {
            declared: declared.filter((resource) => resource.kind === handler.kind.name && resource.provider === name),
            scope,
            shared,
          }),
        ),
      )
      return lists.flat()
    },
    async refresh(targets: readonly RefreshTarget[]) {
      const shared = new SharedReads()
      const entries = await Promise.all(
        targets
          .filter((target) => byKind.has(target.kind))
          .map(async (target) => {
            const handler = byKind.get(target.kind)!
            return [addressOf(name, handler.kind, target.name), await handler.refresh(session, target, shared)] as const
          }),
      )
      return new Map(entries)
    },
    apply(change: ResourceChange, context: ApplyContext): Promise<ChangeOutcome> {
      let handler: KindHandler<Session>
      try {
        handler = handlerOf(change.kind)
      } catch (error) {
        return Promise.reject(error as Error)
      }
      if (change.action === 'create') return handler.create(session, change, context)
      if (change.action === 'update') return handler.update(session, change, context)
      return Promise.reject(new Error(`${change.address}: nothing to apply for a ${change.action} change`))
    },
    close: parts.close,
  }
  if (parts.settle) provider.settle = parts.settle
  return provider
}
