/**
 * The emulator's notion of "now". Real time by default; tests and the control API can freeze it
 * at an instant and move it forward, which drives Sarvam's status machine and batch expiry.
 */
export class SandboxClock {
  private frozenAt: number | undefined

  constructor(frozenAt?: Date | string | number) {
    if (frozenAt !== undefined) this.set(frozenAt)
  }

  now(): number {
    return this.frozenAt ?? Date.now()
  }

  nowIso(): string {
    return new Date(this.now()).toISOString()
  }

  /** Freezes the clock at an instant, or returns to real time with `undefined`. */
  set(instant: Date | string | number | undefined): void {
    if (instant === undefined) {
      this.frozenAt = undefined
      return
    }
    const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : Date.parse(instant)
    if (Number.isNaN(ms)) throw new Error(`not an instant: ${String(instant)}`)
    this.frozenAt = ms
  }

  /** Moves a frozen clock forward (a real-time clock becomes frozen at now + seconds). */
  advance(seconds: number): void {
    this.frozenAt = this.now() + seconds * 1000
  }

  get frozen(): boolean {
    return this.frozenAt !== undefined
  }
}
