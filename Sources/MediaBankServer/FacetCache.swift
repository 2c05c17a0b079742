import Foundation
import MediaBank
import Synchronization

/// The facet counts of the library page, kept per filter while the bank does not change: counting
/// reads a key of every asset (about a second for 100,000), a page must not. Counts are made one
/// at a time (concurrent first views of a filter wait for one count, not make one each), and kept
/// at most `fresh` seconds without checking the bank's change mark, so a bank being imported
/// into is counted again at most that often.
final class FacetCache: Sendable {
  private struct Entry {
    var mark: String
    var checked: Date
    var counts: FacetCounts
  }

  private let entries = Mutex<[String: Entry]>([:])
  /// Held while a count is made.
  private let counting = Mutex(())
  private let fresh: TimeInterval
  /// The most filters kept; past it, all are dropped (a page makes its count again).
  private let capacity: Int

  init(fresh: TimeInterval = 10, capacity: Int = 256) {
    self.fresh = fresh
    self.capacity = capacity
  }

  /// The counts of `key`: kept ones when checked less than `fresh` seconds ago or when the
  /// bank's mark is the same, else those `count` makes.
  func counts(
    _ key: String, library: Library, count: () throws(MediaBankError) -> FacetCounts
  ) throws(MediaBankError) -> FacetCounts {
    if let counts = try kept(key, library: library) { return counts }
    return try counting.withLock { _ throws(MediaBankError) -> FacetCounts in
      // Another request may have made them meanwhile.
      if let counts = try kept(key, library: library) { return counts }
      let mark = try library.changeMark()
      let counts = try count()
      entries.withLock { entries in
        if entries.count >= capacity { entries.removeAll() }
        entries[key] = Entry(mark: mark, checked: Date(), counts: counts)
      }
      return counts
    }
  }

  private func kept(_ key: String, library: Library) throws(MediaBankError) -> FacetCounts? {
    guard let entry = entries.withLock({ $0[key] }) else { return nil }
    let now = Date()
    if now.timeIntervalSince(entry.checked) < fresh { return entry.counts }
    guard try library.changeMark() == entry.mark else { return nil }
    entries.withLock { $0[key]?.checked = now }
    return entry.counts
  }
}
