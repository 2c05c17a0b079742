import Dispatch
import Glibc
import Synchronization

extension IO {
  /// The number of cores, the default number of threads of `parallelMap`.
  public static var cores: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

  /// `transform` applied to `0..<count` on `concurrency` threads (default: one per core), each
  /// thread taking the next index when it is done with one; the results in index order.
  /// Once `stop` returns true, no thread starts another index and those not started are nil.
  public static func parallelMap<T: Sendable>(
    _ count: Int, concurrency: Int = IO.cores, stop: @Sendable () -> Bool = { false },
    _ transform: @Sendable (Int) -> T
  ) -> [T?] {
    let next = Atomic<Int>(0)
    let results = Mutex([T?](repeating: nil, count: count))
    DispatchQueue.concurrentPerform(iterations: max(1, min(concurrency, count))) { _ in
      while !stop() {
        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
        guard index < count else { break }
        let value = transform(index)
        results.withLock { $0[index] = value }
      }
    }
    return results.withLock { $0 }
  }
}
