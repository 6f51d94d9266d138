import { documentsOfKind, type Rule } from './rule.js'

/** Fields the platform still accepts but has replaced; a warning, never a failure. */
const DEPRECATED: { kind: 'SyllableCampaign'; field: string; replacement: string }[] = [
  { kind: 'SyllableCampaign', field: 'label', replacement: 'labels' },
]

export const deprecatedField: Rule = {
  name: 'deprecated-field',
  summary: 'warns about deprecated fields (Syllable label → labels)',
  check(context) {
    for (const { kind, field, replacement } of DEPRECATED) {
      for (const doc of documentsOfKind(context, kind)) {
        if (!(field in doc.spec)) continue
        context.report(
          doc.source,
          ['spec', field],
          `"${field}" is deprecated by the platform; use "${replacement}" (a list) instead`,
          { severity: 'warning', atKey: true },
        )
      }
    }
  },
}
