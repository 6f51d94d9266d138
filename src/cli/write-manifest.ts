/**
 * Build step: writes oclif.manifest.json (the commands' flags and descriptions), so that the CLI
 * loads only the command it runs instead of importing every command at start-up.
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import { Plugin } from '@oclif/core'

const root = fileURLToPath(new URL('../../', import.meta.url))
const plugin = new Plugin({ root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true })
await plugin.load()
writeFileSync(`${root}oclif.manifest.json`, `${JSON.stringify(plugin.manifest)}\n`)
