// Preloaded (NODE_OPTIONS=--require) into a spawned cac by startup-modules.test.ts: records every
// module the process loaded, CommonJS from the require cache at exit and ES modules through a
// load hook, one absolute path or URL per line in the file named by CAC_MODULE_TRACE.
const { appendFileSync } = require('node:fs')
const { register } = require('node:module')
const { pathToFileURL } = require('node:url')

const traceFile = process.env.CAC_MODULE_TRACE
if (traceFile) {
  register(pathToFileURL(`${__dirname}/hooks.mjs`), { data: { traceFile } })
  process.on('exit', () => {
    appendFileSync(traceFile, Object.keys(require.cache).map((path) => `${path}\n`).join(''))
  })
}
