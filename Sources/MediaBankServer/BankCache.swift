import MediaBank
import Synchronization

/// Values made from the bank, kept per key while the bank does not change: the facet counts of
/// the library page (per filter), the dashboard's report (per year), the library page's parts
/// (per query). Every use checks the bank's change mark (three look-ups at the end of an index),
/// so a change made here or by the command line shows on the next page.
///
/// Counts read a key of every asset (about a second for 100,000): they are made one at a time,
/// and a page that finds counts being made shows the last ones of its key, if any, else waits
/// for them (``Policy/countOnce``). A page's parts read only what the page shows: whoever needs
/// them makes them, and never gets those of an earlier mark (``Policy/exact``).
final class BankCache<Value: Sendable>: Sendable {
  /// What a request that finds its key's value out of date does.
  enum Policy {
    /// Waits for the one value being made, or takes the last one while another is made.
    case countOnce
    /// Makes the value itself.
    case exact
  }

  private struct Entry {
    var mark: String
    var value: Value
  }

  private let entries = Mutex<[String: Entry]>([:])
  /// Held while a value is made (``Policy/countOnce``).
  private let making = Mutex(())
  /// The most keys kept; past it, all are dropped (a page makes its values again).
  private let capacity: Int
  private let policy: Policy

  init(capacity: Int = 256, policy: Policy = .countOnce) {
    self.capacity = capacity
    self.policy = policy
  }

  /// The value of `key`: the kept one while the bank's mark is the same, else the one `make`
  /// makes (or, under ``Policy/countOnce``, the last one while another request makes it).
  func value(
    _ key: String, library: Library, make: () throws(MediaBankError) -> Value
  ) throws(MediaBankError) -> Value {
    let mark = try library.changeMark()
    let entry = entries.withLock { $0[key] }
    if let entry, entry.mark == mark { return entry.value }
    func made() throws(MediaBankError) -> Value {
      // Another request may have made it while this one waited.
      if let kept = entries.withLock({ $0[key] }), kept.mark == mark { return kept.value }
      let value = try make()
      entries.withLock { entries in
        if entries.count >= capacity { entries.removeAll() }
        entries[key] = Entry(mark: mark, value: value)
      }
      return value
    }
    switch (policy, entry) {
    case (.exact, _): return try made()
    case (.countOnce, let entry?):
      // The bank changed: make it again, unless it is being made (then the last one).
      return try making.withLockIfAvailable { _ throws(MediaBankError) in try made() } ?? entry.value
    case (.countOnce, nil): return try making.withLock { _ throws(MediaBankError) in try made() }
    }
  }
}
