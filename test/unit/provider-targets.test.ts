import { describe, expect, it } from 'vitest'

import type { ProjectConfig } from '../../src/config/project-config.js'
import type { ProviderConfig } from '../../src/model/provider.js'
import { providerTargets } from '../../src/workflow/provider-session.js'

function project(providers: ProviderConfig[]): ProjectConfig {
  return {
    file: '/p/cac.yaml',
    displayFile: 'cac.yaml',
    definitionsDir: '/p/campaigns',
    providers: Object.fromEntries(providers.map((provider) => [provider.name, provider])),
    sandbox: { statePath: '/p/.cac/sandbox.json' },
    driftIgnore: [],
    source: undefined as never,
  }
}

describe('providerTargets (what a plan is bound to, and what every output shows)', () => {
  it('shows a URL as origin and path only: never its userinfo or query, which may carry credentials', () => {
    const config = project([{ name: 'syllable', type: 'syllable', url: 'https://ops:hunter2@api.example.com:8443/v1/?api_key=abc#x', apiKey: 'k', settings: {} }])
    expect(providerTargets({ config, names: ['syllable'], cwd: '/p', forceSandbox: false })).toEqual([
      { provider: 'syllable', type: 'syllable', target: 'https://api.example.com:8443/v1' },
    ])
  })

  it('binds a Sarvam provider to its org and workspace (never its key), on the sandbox too', () => {
    const sarvam: ProviderConfig = { name: 'sarvam', type: 'sarvam', url: 'sandbox', apiKey: 'secret-key', settings: { orgId: 'acme', workspaceId: 'outbound' } }
    const targets = providerTargets({ config: project([sarvam]), names: ['sarvam'], cwd: '/p', forceSandbox: false })
    expect(targets).toEqual([{ provider: 'sarvam', type: 'sarvam', target: 'sandbox (.cac/sandbox.json)', orgId: 'acme', workspaceId: 'outbound' }])
    expect(JSON.stringify(targets)).not.toContain('secret-key')
  })

  it('sends every provider to the sandbox with --sandbox, sorted by name, each once', () => {
    const config = project([
      { name: 'syllable', type: 'syllable', url: 'https://api.example.com', settings: {} },
      { name: 'eu', type: 'syllable', url: 'https://eu.example.com', settings: {} },
    ])
    expect(providerTargets({ config, names: ['syllable', 'eu', 'syllable'], cwd: '/p', forceSandbox: true }).map((t) => [t.provider, t.target])).toEqual([
      ['eu', 'sandbox (.cac/sandbox.json)'],
      ['syllable', 'sandbox (.cac/sandbox.json)'],
    ])
  })
})
