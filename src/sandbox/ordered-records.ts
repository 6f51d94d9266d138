/**
 * Records kept in one order as they are added, replaced and removed, so that a list page is a
 * slice rather than a sort of the whole collection. Each change costs a binary search (plus
 * moving the tail of the array when the record does not go last, which ids assigned in
 * increasing order make rare). `compare` must never call two different records equal.
 */
export class OrderedRecords<T> {
  private readonly records: T[]

  constructor(
    records: Iterable<T>,
    private readonly compare: (a: T, b: T) => number,
  ) {
    this.records = [...records].sort(compare)
  }

  /** Every record, in order (a view: do not change it). */
  get all(): readonly T[] {
    return this.records
  }

  /** Adds a record; one that compares equal to it (the same record, when the index was built after it was stored) is replaced. */
  insert(record: T): void {
    const last = this.records[this.records.length - 1]
    if (last === undefined || this.compare(last, record) < 0) {
      this.records.push(record)
      return
    }
    const index = this.lowerBound(record)
    const found = this.records[index]
    if (found !== undefined && this.compare(found, record) === 0) this.records[index] = record
    else this.records.splice(index, 0, record)
  }

  /** Removes the record that compares equal to `record` (nothing when there is none). */
  remove(record: T): void {
    const index = this.lowerBound(record)
    const found = this.records[index]
    if (found !== undefined && this.compare(found, record) === 0) this.records.splice(index, 1)
  }

  /** Puts `next` where `previous` was (or where it belongs, when its sort key differs). */
  replace(previous: T, next: T): void {
    const index = this.lowerBound(previous)
    const found = this.records[index]
    if (found !== undefined && this.compare(found, previous) === 0 && this.compare(previous, next) === 0) {
      this.records[index] = next
      return
    }
    this.remove(previous)
    this.insert(next)
  }

  /** The first index whose record does not come before `record`. */
  private lowerBound(record: T): number {
    let low = 0
    let high = this.records.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (this.compare(this.records[middle]!, record) < 0) low = middle + 1
      else high = middle
    }
    return low
  }
}
