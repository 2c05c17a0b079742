import Glibc
import Synchronization
public import SystemPackage

/// The kinds of system call `IO` makes, for injecting faults into them.
public enum Call: String, Sendable {
  case open, read, write, fsync, rename, link, mkdir, stat, chmod, unlink
  /// Any other call (`lseek`, `fchmod`…), made through `IO.call`.
  case other
}

/// A failure that tests make a system call report instead of making it: `ENOSPC`, `EIO`, `EINTR`
/// (which `IO` retries), or a short write.
///
/// A fault applies to the calls of its kind whose path contains `path` (a test's own folder, so
/// that tests running at the same time are not disturbed), or with `thisThread`, to those the
/// thread that installed it makes (for code that names files by a relative name). It lets the
/// first `after` of them through, then fails the next `times`.
public struct Fault: Sendable {
  /// What the call reports.
  public enum Effect: Sendable, Equatable {
    /// The call fails with this `errno`.
    case fail(Errno)
    /// A `write` writes half of what it was asked to (at least one byte).
    case shortWrite
  }

  public var call: Call
  /// A part of the path of the calls it applies to; nil: those of the installing thread.
  public var path: String?
  public var effect: Effect
  public var after: Int
  public var times: Int

  /// A fault of `call` on paths containing `path`.
  public init(_ call: Call, path: String, _ effect: Effect, after: Int = 0, times: Int = .max) {
    self.call = call
    self.path = path
    self.effect = effect
    self.after = after
    self.times = times
  }

  /// A fault of `call` made by the thread that installs it, whatever the path.
  public init(_ call: Call, thisThread effect: Effect, after: Int = 0, times: Int = .max) {
    self.call = call
    path = nil
    self.effect = effect
    self.after = after
    self.times = times
  }
}

/// The faults in force; production code never sets any, and then pays one atomic load per call.
public enum FaultInjection {
  private struct Installed {
    var id: Int
    var fault: Fault
    var thread: pthread_t
    var seen = 0
  }

  private static let count = Atomic<Int>(0)
  private static let installed = Mutex<(next: Int, faults: [Installed])>((0, []))
  /// Threads that act as another for faults installed `thisThread` (the threads of
  /// `IO.concurrently` act as the thread that started them), by `pthread_self`.
  private static let standIns = Mutex<[pthread_t: pthread_t]>([:])

  /// Runs `body` with `faults` in force, and removes them after.
  public static func with<T, E: Error>(_ faults: [Fault], _ body: () throws(E) -> T) throws(E) -> T {
    let ids = installed.withLock { state in
      faults.map { fault in
        state.next += 1
        state.faults.append(Installed(id: state.next, fault: fault, thread: pthread_self()))
        return state.next
      }
    }
    count.add(faults.count, ordering: .sequentiallyConsistent)
    defer {
      installed.withLock { state in state.faults.removeAll { ids.contains($0.id) } }
      count.subtract(faults.count, ordering: .sequentiallyConsistent)
    }
    return try body()
  }

  /// The thread whose faults apply to the calling thread: itself, or the thread it acts as.
  static func threadIdentity() -> pthread_t {
    let current = pthread_self()
    return standIns.withLock { $0[current] } ?? current
  }

  /// Runs `body` with the faults installed by `thread` applying to the calling thread.
  static func acting(as thread: pthread_t, _ body: () -> Void) {
    let current = pthread_self()
    guard pthread_equal(current, thread) == 0 else { return body() }
    standIns.withLock { $0[current] = thread }
    defer { standIns.withLock { _ = $0.removeValue(forKey: current) } }
    body()
  }

  /// The effect to report for a call of `call` on `path`, if a fault applies (and counts it).
  static func take(_ call: Call, path: String) -> Fault.Effect? {
    guard count.load(ordering: .relaxed) > 0 else { return nil }
    let thread = threadIdentity()
    return installed.withLock { state in
      for index in state.faults.indices where state.faults[index].fault.call == call {
        let fault = state.faults[index].fault
        if let part = fault.path {
          guard path.contains(part) else { continue }
        } else {
          guard pthread_equal(state.faults[index].thread, thread) != 0 else { continue }
        }
        state.faults[index].seen += 1
        let seen = state.faults[index].seen
        if seen > fault.after && seen - fault.after <= fault.times { return fault.effect }
      }
      return nil
    }
  }
}
