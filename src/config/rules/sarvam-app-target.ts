import { documentsOfKind, mappingAt, type Rule } from './rule.js'

/**
 * A Sarvam campaign runs either an agent app (app_id, with app_version) or an experiment
 * (experiment_id, which stands in for the app and its version), never both and never neither.
 */
export const sarvamAppTarget: Rule = {
  name: 'sarvam-app-target',
  summary: 'a Sarvam app_config names either an app (app_id) or an experiment (experiment_id), not both',
  check(context) {
    for (const doc of documentsOfKind(context, 'SarvamCampaign')) {
      const app = mappingAt(doc.spec, 'app_config')
      if (!app) continue
      const has = (key: string) => app[key] !== undefined && app[key] !== null
      if (has('experiment_id')) {
        for (const field of ['app_id', 'app_version']) {
          if (has(field)) {
            context.report(
              doc.source,
              ['spec', 'app_config', field],
              'an experiment campaign (experiment_id) leaves out app_id and app_version: the experiment decides the app',
              { atKey: true },
            )
          }
        }
      } else if (!has('app_id')) {
        context.report(
          doc.source,
          ['spec', 'app_config'],
          'missing "app_id": name the agent app to run (or give experiment_id for an experiment campaign)',
          { atKey: true },
        )
      }
    }
  },
}
