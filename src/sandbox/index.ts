export { startSandbox, type RunningSandbox, type SandboxOptions } from './server.js'
export { SandboxClock } from './clock.js'
export { DEFAULT_FAULTS, parseFaultSpec, type FaultSettings, type ScheduledFault } from './faults.js'
export type { CounterSnapshot } from './counters.js'
