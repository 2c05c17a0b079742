import Glibc
import Synchronization

extension IO {
  /// How many flushes `flush(_:concurrency:)` keeps in flight by default. A flush mostly waits
  /// for the device, not for a core, so more than one per core pays: the file system commits the
  /// flushes that wait at the same moment together, and the device gets a deeper queue.
  public static let flushConcurrency = 16

  /// Asks the kernel to start writing the dirty pages of an open file to disk now, without
  /// waiting (`sync_file_range(SYNC_FILE_RANGE_WRITE)`), so that a later `flush` of it finds
  /// little left to write. Only a hint: it makes nothing durable, and its failure (or a system
  /// without the call) is ignored; the flush that must follow reports any error.
  public static func startWriteback(_ descriptor: FileDescriptor, path: String) {
    guard let syncFileRange else { return }
    _ = try? IO.call(.other, "cannot start writing back", path: path) {
      syncFileRange(descriptor.rawValue, 0, 0, syncFileRangeWrite)
    }
  }

  /// Flushes the files and directories at `paths` to disk (`open` read-only, `fsync`), up to
  /// `concurrency` at a time on threads of their own; returns when every one is flushed. Throws
  /// the error of the first path, in the order given, that could not be flushed (the others were
  /// flushed or not). Faults injected for the calling thread apply to these threads too.
  public static func flush(_ paths: [String], concurrency: Int = IO.flushConcurrency) throws(SystemError) {
    let failed = Atomic<Bool>(false)
    let errors = IO.concurrently(paths.count, threads: concurrency, stop: { failed.load(ordering: .relaxed) }) {
      index -> SystemError? in
      do throws(SystemError) {
        let path = paths[index]
        let descriptor = try IO.open(path, .readOnly, operation: "cannot open to flush")
        defer { IO.close(descriptor) }
        try IO.call(.fsync, "cannot flush", path: path) { fsync(descriptor.rawValue) }
        return nil
      } catch {
        failed.store(true, ordering: .relaxed)
        return error
      }
    }
    if let first = errors.lazy.compactMap({ $0 ?? nil }).first { throw first }
  }

  /// `body` applied to `0..<count` on `threads` threads of their own (not the cores' worker
  /// pool: made for calls that wait, such as `fsync`), each taking the next index when done
  /// with one; the results in index order. Once `stop` returns true no thread starts another
  /// index, and those not started are nil. Faults injected for the calling thread apply to these
  /// threads too.
  public static func concurrently<T: Sendable>(
    _ count: Int, threads: Int, stop: @Sendable () -> Bool = { false }, _ body: @Sendable (Int) -> T
  ) -> [T?] {
    let next = Atomic<Int>(0)
    let results = Mutex([T?](repeating: nil, count: count))
    let parent = FaultInjection.threadIdentity()
    let helpers = max(0, min(threads, count) - 1)
    withoutActuallyEscaping(body) { body in
      withoutActuallyEscaping(stop) { stop in
        let box = ThreadWork {
          FaultInjection.acting(as: parent) {
            while !stop() {
              let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
              guard index < count else { break }
              let value = body(index)
              results.withLock { $0[index] = value }
            }
          }
        }
        var started: [pthread_t] = []
        for _ in 0..<helpers {
          var thread = pthread_t()
          let context = Unmanaged.passRetained(box).toOpaque()
          let status = pthread_create(
            &thread, nil,
            { context in
              Unmanaged<ThreadWork>.fromOpaque(context!).takeRetainedValue().run()
              return nil
            }, context)
          if status == 0 {
            started.append(thread)
          } else {
            Unmanaged<ThreadWork>.fromOpaque(context).release()  // Fewer threads: the others share the work.
          }
        }
        box.run()  // The calling thread works too.
        for thread in started { pthread_join(thread, nil) }
      }
    }
    return results.withLock { $0 }
  }
}

/// The work of one of `IO.concurrently`'s threads (which never outlives the call).
private final class ThreadWork: @unchecked Sendable {
  let run: () -> Void
  init(_ run: @escaping () -> Void) { self.run = run }
}

/// `sync_file_range(2)`, looked up at run time as `copy_file_range` is (a GNU extension Swift's
/// Glibc module does not declare). Nil where the C library lacks it.
private typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32
private let syncFileRange: SyncFileRange? = dlsym(nil, "sync_file_range").map {
  unsafeBitCast($0, to: SyncFileRange.self)
}
/// `SYNC_FILE_RANGE_WRITE` of `<fcntl.h>`: start writeback of the dirty pages, do not wait.
private let syncFileRangeWrite: UInt32 = 2
