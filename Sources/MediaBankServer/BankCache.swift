import MediaBank
import Synchronization

/// Counts over the whole bank, kept per key while the bank does not change: the facet counts of
/// the library page (per filter) and the dashboard's report (per year). Making them reads a key
/// of every asset (about a second for 100,000); a page must not, each time. Every use checks the
/// bank's change mark (three look-ups at the end of an index), so a change made here or by the
/// command line shows on the next page. Counts are made one at a time: a page that finds counts
/// being made shows the last ones of its key, if any, else waits for them.
final class BankCache<Counts: Sendable>: Sendable {
  private struct Entry {
    var mark: String
    var counts: Counts
  }

  private let entries = Mutex<[String: Entry]>([:])
  /// Held while counts are made.
  private let counting = Mutex(())
  /// The most keys kept; past it, all are dropped (a page makes its counts again).
  private let capacity: Int

  init(capacity: Int = 256) {
    self.capacity = capacity
  }

  /// The counts of `key`: kept ones while the bank's mark is the same, else those `count` makes.
  func counts(
    _ key: String, library: Library, count: () throws(MediaBankError) -> Counts
  ) throws(MediaBankError) -> Counts {
    let mark = try library.changeMark()
    let entry = entries.withLock { $0[key] }
    if let entry, entry.mark == mark { return entry.counts }
    func make() throws(MediaBankError) -> Counts {
      // Another request may have made them while this one waited.
      if let made = entries.withLock({ $0[key] }), made.mark == mark { return made.counts }
      let counts = try count()
      entries.withLock { entries in
        if entries.count >= capacity { entries.removeAll() }
        entries[key] = Entry(mark: mark, counts: counts)
      }
      return counts
    }
    if let entry {
      // The bank changed: count again, unless counts are being made (then the last ones).
      return try counting.withLockIfAvailable { _ throws(MediaBankError) in try make() } ?? entry.counts
    }
    return try counting.withLock { _ throws(MediaBankError) in try make() }
  }
}
