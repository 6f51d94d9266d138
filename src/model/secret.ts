import { knownSecrets } from './secret-scrubber.js'

/** What a secret looks like wherever it is shown: text, JSON, plans, logs. */
export const SENSITIVE = '(sensitive)'

/**
 * A secret value from the environment (a webhook hmac_secret). Every way of turning it into
 * text masks it: `String()`, template literals, `JSON.stringify` (which writes the variable's name,
 * so a saved plan can resolve it again at apply time), and Node's inspection. Only `reveal()`
 * gives the value, and only request-body builders call it.
 */
export class SecretValue {
  readonly #value: string | undefined

  constructor(
    /** The environment variable the value comes from. */
    readonly variable: string,
    value: string | undefined,
  ) {
    this.#value = value
    // Known to the output scrubber too, should the value ever come back in a platform's answer.
    knownSecrets.register(value)
  }

  /** True when the variable was set when the value was read. */
  get isSet(): boolean {
    return this.#value !== undefined
  }

  reveal(): string {
    if (this.#value === undefined) throw new Error(`environment variable ${this.variable} is not set`)
    return this.#value
  }

  toString(): string {
    return SENSITIVE
  }

  toJSON(): { $env: string } {
    return { $env: this.variable }
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `SecretValue(${this.variable})`
  }
}

export function isSecretValue(value: unknown): value is SecretValue {
  return value instanceof SecretValue
}

/** Recognises the JSON form of a secret (`{"$env": "NAME"}`), as found in a saved plan. */
export function isSecretReference(value: unknown): value is { $env: string } {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as { $env?: unknown }).$env === 'string'
  )
}

/** Every SecretValue inside a value, with its path from `path` (a spec, a plan's desired state). */
export function secretsWithin(value: unknown, path: readonly (string | number)[] = []): { path: (string | number)[]; secret: SecretValue }[] {
  if (isSecretValue(value)) return [{ path: [...path], secret: value }]
  if (Array.isArray(value)) return value.flatMap((item, i) => secretsWithin(item, [...path, i]))
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => secretsWithin(item, [...path, key]))
  }
  return []
}
