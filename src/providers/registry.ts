import { displayPath } from '../config/display-path.js'
import type { ProjectConfig, ProviderConfig } from '../config/project-config.js'
import { HttpClient, type RetryEvent } from '../http/client.js'
import type { LockWait } from '../lock/file-lock.js'
import type { PlanTarget } from '../model/plan.js'
import type { RunningSandbox } from '../sandbox/index.js'
import { ProviderSetupError } from './errors.js'
import type { Provider, ProviderFactoryInput } from './provider.js'
import { createSarvamProvider } from './sarvam/index.js'
import { createSyllableProvider } from './syllable/index.js'

/** The url that routes a provider to the embedded emulator. */
export const SANDBOX_URL = 'sandbox'

const FACTORIES: Record<ProviderConfig['type'], (input: ProviderFactoryInput) => Provider> = {
  syllable: createSyllableProvider,
  sarvam: createSarvamProvider,
}

const KEY_HEADERS: Record<ProviderConfig['type'], string> = {
  syllable: 'Syllable-API-Key',
  sarvam: 'X-API-Key',
}


export interface ProviderSessionOptions {
  config: ProjectConfig
  /** Only these providers are opened (the ones the files use). */
  names: readonly string[]
  cwd: string
  /** `--sandbox`: every provider talks to the embedded emulator. */
  forceSandbox: boolean
  /** Connections per API; also the number of changes applied at once. */
  parallelism: number
  onRetry?: (event: RetryEvent) => void
  /**
   * Given (apply): the embedded sandbox persists what it is sent, holding its state file's lock
   * while open (waiting as told). Absent (plan): it loads the state file read-only, with no lock.
   */
  sandboxStateLock?: LockWait
}

export interface ProviderSession {
  providers: Map<string, Provider>
  targets: PlanTarget[]
  /** The embedded emulator, when any provider uses it. */
  sandbox?: RunningSandbox
  close(): Promise<void>
}

/**
 * Opens the providers a run needs: an HTTP client per API (credentials from cac.yaml), and the
 * embedded sandbox, started once on a loopback port, for every provider whose url is `sandbox`.
 */
export async function openProviders(options: ProviderSessionOptions): Promise<ProviderSession> {
  const providers = new Map<string, Provider>()
  const targets: PlanTarget[] = []
  let sandbox: RunningSandbox | undefined
  const sandboxTarget = `sandbox (${displayPath(options.config.sandbox.statePath, options.cwd)})`
  try {
    for (const name of [...options.names].sort()) {
      const config = options.config.providers[name]
      if (!config) throw new ProviderSetupError(`provider ${name} is not declared in ${options.config.displayFile}`)
      const useSandbox = options.forceSandbox || config.url.trim() === SANDBOX_URL
      let baseUrl: string
      let key: string
      let target: string
      if (useSandbox) {
        // Loaded only when a provider needs it: the emulator is a large module graph.
        const { startSandbox } = await import('../sandbox/index.js')
        sandbox ??= await startSandbox({
          statePath: options.config.sandbox.statePath,
          stateAccess: options.sandboxStateLock ? { command: 'cac apply', lock: options.sandboxStateLock } : { readOnly: true },
          ...(options.config.sandbox.now !== undefined ? { now: options.config.sandbox.now } : {}),
        })
        baseUrl = sandbox.url
        key = config.apiKey || config.actor || 'cac@sandbox.local'
        target = sandboxTarget
      } else {
        baseUrl = checkUrl(config)
        key = config.apiKey ?? ''
        if (key.trim() === '') {
          throw new ProviderSetupError(`provider ${name}: api_key is empty; set the environment variable its \${env:…} names`)
        }
        target = baseUrl
      }
      const client = new HttpClient({
        baseUrl,
        headers: { [KEY_HEADERS[config.type]]: key },
        connections: options.parallelism,
        ...(options.onRetry ? { onRetry: options.onRetry } : {}),
      })
      providers.set(name, FACTORIES[config.type]({ config, client, target, ...(options.onRetry ? { onRetry: options.onRetry } : {}) }))
      targets.push({ provider: name, type: config.type, target })
    }
  } catch (error) {
    await closeAll(providers, sandbox)
    throw error
  }
  return {
    providers,
    targets,
    ...(sandbox ? { sandbox } : {}),
    close: () => closeAll(providers, sandbox),
  }
}

function checkUrl(config: ProviderConfig): string {
  let url: URL
  try {
    url = new URL(config.url)
  } catch {
    throw new ProviderSetupError(`provider ${config.name}: url ${JSON.stringify(config.url)} is neither "sandbox" nor an http(s) URL`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ProviderSetupError(`provider ${config.name}: url must be http(s) or "sandbox"`)
  }
  return url.toString().replace(/\/+$/, '')
}

async function closeAll(providers: Map<string, Provider>, sandbox: RunningSandbox | undefined): Promise<void> {
  await Promise.all([...providers.values()].map((provider) => provider.close().catch(() => undefined)))
  await sandbox?.close()
}
