import { valueAt } from '../../model/values.js'
import type { DefinitionDocument } from '../definitions.js'
import type { DataPath } from '../yaml-source.js'
import { listAt, type Rule } from './rule.js'

/** Webhook payloads carry call data: they are only ever sent over https. */
export const webhookHttps: Rule = {
  name: 'webhook-https',
  summary: 'webhook URLs use https',
  check(context) {
    for (const doc of context.documents) {
      for (const path of webhookUrlPaths(doc)) {
        const value = valueAt(doc.source.value, path)
        if (typeof value !== 'string') continue
        let protocol: string
        try {
          protocol = new URL(value).protocol
        } catch {
          continue // Not a URL at all: the schema's format check reports it.
        }
        if (protocol !== 'https:') {
          context.report(doc.source, path, `webhook URL must use https, not ${protocol.replace(/:$/, '')}`)
        }
      }
    }
  },
}

function webhookUrlPaths(doc: DefinitionDocument): DataPath[] {
  if (doc.kind === 'SyllableCampaign') {
    return listAt(doc.spec, 'webhooks').map((_hook, i) => ['spec', 'webhooks', i, 'url'])
  }
  if (doc.kind === 'SarvamCampaign') {
    return [
      ['spec', 'webhook_config', 'url'],
      ['spec', 'app_config', 'webhook_config', 'url'],
    ]
  }
  return []
}
