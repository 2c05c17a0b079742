public import Glibc

/// An exclusive advisory lock on a file (`flock`), held until ``release()``, or until the process
/// ends: a crash or `kill -9` releases it, so no lock is ever left behind.
public final class FileLock {
  private var descriptor: FileDescriptor?

  /// Takes the lock on `path` (the file is created if missing), waiting while another process
  /// holds it.
  public init(_ path: String) throws(SystemError) {
    let descriptor = try IO.open(
      path, .readOnly, options: .create, permissions: [.ownerReadWrite, .groupRead, .otherRead],
      operation: "cannot open the lock file")
    do {
      try IO.call(.other, "cannot lock", path: path) { flock(descriptor.rawValue, LOCK_EX) }
    } catch {
      IO.close(descriptor)
      throw error
    }
    self.descriptor = descriptor
  }

  /// Takes the lock on `path` if no other process holds it; nil when one does.
  public static func attempt(_ path: String) throws(SystemError) -> FileLock? {
    let descriptor = try IO.open(
      path, .readOnly, options: .create, permissions: [.ownerReadWrite, .groupRead, .otherRead],
      operation: "cannot open the lock file")
    do throws(SystemError) {
      try IO.call(.other, "cannot lock", path: path) { flock(descriptor.rawValue, LOCK_EX | LOCK_NB) }
    } catch {
      IO.close(descriptor)
      if error.errno == .wouldBlock { return nil }
      throw error
    }
    return FileLock(holding: descriptor)
  }

  private init(holding descriptor: FileDescriptor) {
    self.descriptor = descriptor
  }

  /// Releases the lock (the file stays, for the next holder).
  public func release() {
    if let descriptor { IO.close(descriptor) }
    descriptor = nil
  }

  deinit { release() }
}
