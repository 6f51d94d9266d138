/**
 * Build step: writes oclif.manifest.json (the commands' flags and descriptions), so that the CLI
 * loads only the command it runs instead of importing every command at start-up, and the quick
 * start's table (quick-table.ts), so that a plain command line is run without loading oclif.
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import { Plugin } from '@oclif/core'

import { COMMAND_RUNNERS, type RunnableCommandId } from './command-runners.js'
import { QUICK_TABLE_URL } from './quick-start.js'
import { quickTableOf } from './quick-table.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const plugin = new Plugin({ root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true })
await plugin.load()
writeFileSync(`${root}oclif.manifest.json`, `${JSON.stringify(plugin.manifest)}\n`)

const commands = Object.fromEntries(
  await Promise.all(
    plugin.commands.filter((command) => Object.hasOwn(COMMAND_RUNNERS, command.id)).map(async (command) => [command.id as RunnableCommandId, await command.load()] as const),
  ),
)
writeFileSync(QUICK_TABLE_URL, `${JSON.stringify(await quickTableOf(commands))}\n`)
