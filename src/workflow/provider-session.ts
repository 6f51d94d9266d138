import { displayPath } from '../config/display-path.js'
import type { ProjectConfig, ProviderConfig } from '../config/project-config.js'
import { HttpClient, type RetryEvent } from '../http/client.js'
import { headerValueProblem } from '../http/header-value.js'
import type { LockWait } from '../lock/file-lock.js'
import type { PlanTarget } from '../model/plan.js'
import { PRODUCTION_RETRY_POLICY, type RetryPolicy } from '../model/retry-policy.js'
import type { RunningSandbox } from '../sandbox/index.js'
import { ProviderSetupError } from '../model/platform-error.js'
import type { Provider } from '../model/provider.js'
import { platformOf } from '../platforms.js'

/** The url that routes a provider to the embedded emulator. */
export const SANDBOX_URL = 'sandbox'

/** The key the embedded sandbox is given when a provider has no api_key and names no actor. */
const SANDBOX_FALLBACK_KEY = 'cac@sandbox.local'

export interface ProviderSessionOptions {
  config: ProjectConfig
  /** Only these providers are opened (the ones the files use). */
  names: readonly string[]
  cwd: string
  /** `--sandbox`: every provider talks to the embedded emulator. */
  forceSandbox: boolean
  /** Connections per API; also the number of changes applied at once. */
  parallelism: number
  /** `--timeout`: seconds one request may take, for every provider (overrides their `timeout`). */
  timeoutSeconds?: number
  /** How hard requests and creates are tried again (default: PRODUCTION_RETRY_POLICY). */
  retry?: RetryPolicy
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
  let sandbox: RunningSandbox | undefined
  const targets = providerTargets(options)
  const retry = options.retry ?? PRODUCTION_RETRY_POLICY
  try {
    for (const target of targets) {
      const config = options.config.providers[target.provider]!
      const platform = platformOf(config.type)
      let baseUrl: string
      let key: string
      if (isSandboxTarget(config, options.forceSandbox)) {
        // Loaded only when a provider needs it: the emulator is a large module graph.
        const { startSandbox } = await import('../sandbox/index.js')
        sandbox ??= await startSandbox({
          statePath: options.config.sandbox.statePath,
          stateAccess: options.sandboxStateLock ? { command: 'cac apply', lock: options.sandboxStateLock } : { readOnly: true },
          ...(options.config.sandbox.now !== undefined ? { now: options.config.sandbox.now } : {}),
        })
        baseUrl = sandbox.url
        key = config.apiKey || platform.actorOf?.(config.settings) || SANDBOX_FALLBACK_KEY
      } else {
        baseUrl = checkUrl(config).toString().replace(/\/+$/, '')
        key = config.apiKey ?? ''
        if (key.trim() === '') {
          throw new ProviderSetupError(`provider ${config.name}: api_key is empty; set the environment variable its \${env:…} names`)
        }
      }
      checkApiKey(config, key)
      const client = new HttpClient({
        baseUrl,
        headers: { [platform.authHeader]: key },
        connections: options.parallelism,
        // A session that may not write the sandbox's state (plan) may not write to a platform either.
        readOnly: options.sandboxStateLock === undefined,
        retry: retry.requests,
        sleep: retry.sleep,
        ...httpLimits(config, options.timeoutSeconds),
        ...(options.onRetry ? { onRetry: options.onRetry } : {}),
      })
      providers.set(
        config.name,
        await platform.createProvider({ config, client, baseUrl, target: target.target, retry, ...(options.onRetry ? { onRetry: options.onRetry } : {}) }),
      )
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

/** A key that cannot travel in a header is refused before any request, naming where it came from. */
function checkApiKey(config: ProviderConfig, key: string): void {
  const problem = headerValueProblem(key)
  if (problem === undefined) return
  const source = config.apiKeyVariable ? `the api_key from ${config.apiKeyVariable}` : 'its api_key'
  throw new ProviderSetupError(`provider ${config.name}: ${source} cannot be sent in an HTTP header: it ${problem}`)
}


/** What the providers a run needs are bound to (no connection is made): how plans name their targets. */
export function providerTargets(options: Pick<ProviderSessionOptions, 'config' | 'names' | 'cwd' | 'forceSandbox'>): PlanTarget[] {
  const sandboxTarget = `sandbox (${displayPath(options.config.sandbox.statePath, options.cwd)})`
  return [...new Set(options.names)].sort().map((name) => {
    const config = options.config.providers[name]
    if (!config) throw new ProviderSetupError(`provider ${name} is not declared in ${options.config.displayFile}`)
    const target = isSandboxTarget(config, options.forceSandbox) ? sandboxTarget : displayedUrl(checkUrl(config))
    return { provider: name, type: config.type, target, ...platformOf(config.type).targetScope?.(config.settings) }
  })
}

/** Whether a provider talks to the embedded emulator (its url is `sandbox`, or `--sandbox` sends every provider there): decided here only. */
export function isSandboxTarget(config: Pick<ProviderConfig, 'url'>, forceSandbox: boolean): boolean {
  return forceSandbox || config.url.trim() === SANDBOX_URL
}

/** The request deadline (--timeout, else the provider's `timeout`) and the response size cap, where set. */
function httpLimits(config: ProviderConfig, timeoutFlag: number | undefined): { requestTimeoutMs?: number; maxResponseBytes?: number } {
  const seconds = timeoutFlag ?? config.timeoutSeconds
  return {
    ...(seconds !== undefined ? { requestTimeoutMs: Math.round(seconds * 1000) } : {}),
    ...(config.maxResponseMb !== undefined ? { maxResponseBytes: Math.round(config.maxResponseMb * 1024 * 1024) } : {}),
  }
}

function checkUrl(config: ProviderConfig): URL {
  let url: URL
  try {
    url = new URL(config.url)
  } catch {
    // The text is not shown: a url that does not parse may still carry a credential.
    throw new ProviderSetupError(`provider ${config.name}: url is neither "sandbox" nor an http(s) URL`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ProviderSetupError(`provider ${config.name}: url must be http(s) or "sandbox"`)
  }
  return url
}

/** A provider URL as every output shows it: origin and path; userinfo and query may hold credentials. */
export function displayedUrl(url: URL): string {
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '')
}

async function closeAll(providers: Map<string, Provider>, sandbox: RunningSandbox | undefined): Promise<void> {
  await Promise.all([...providers.values()].map((provider) => provider.close().catch(() => undefined)))
  await sandbox?.close()
}
