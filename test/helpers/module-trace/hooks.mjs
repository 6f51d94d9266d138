// Module hooks of trace.cjs: appends the URL of every ES module loaded to the trace file.
import { appendFileSync } from 'node:fs'

let traceFile

export function initialize(data) {
  traceFile = data.traceFile
}

export async function load(url, context, nextLoad) {
  appendFileSync(traceFile, `${url}\n`)
  return nextLoad(url, context)
}
