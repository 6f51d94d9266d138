/**
 * `cac --version`, `cac -v` and `cac version` answer before oclif is loaded (which costs more than
 * the rest of the answer): the same line oclif prints, `campaigns-as-code/0.1.0 linux-x64 node-v20.18.1`,
 * from the same package.json. Anything else goes to oclif.
 */
import { readFileSync } from 'node:fs'
import { arch, release } from 'node:os'

interface PackageJson {
  name: string
  version: string
  oclif: { additionalVersionFlags?: string[] }
}

const PACKAGE_JSON = new URL('../../package.json', import.meta.url)

/** The version line when the arguments ask only for the version and cac can answer alone; otherwise undefined. */
export function quickVersionLine(argv: readonly string[]): string | undefined {
  const platform = quickPlatform()
  if (platform === undefined || argv.length === 0) return undefined
  const pjson = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as PackageJson
  // As oclif: a version flag first asks for the version, whatever follows it.
  const versionFlags = ['--version', ...(pjson.oclif.additionalVersionFlags ?? [])]
  const asksVersion = versionFlags.includes(argv[0]!) || (argv.length === 1 && argv[0] === 'version')
  if (!asksVersion) return undefined
  const cpu = arch() === 'ia32' ? 'x86' : arch()
  return `${pjson.name}/${pjson.version} ${platform}-${cpu} node-${process.version}`
}

/**
 * The platform as oclif names it, or undefined where oclif's answer needs its own WSL detection
 * (a Linux kernel built by Microsoft): oclif then answers.
 */
function quickPlatform(): string | undefined {
  if (process.platform === 'linux' && release().toLowerCase().includes('microsoft')) return undefined
  return process.platform
}
