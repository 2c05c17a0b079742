import Glibc
public import SystemPackage

/// A file replaced atomically: written under a temporary name in the same directory
/// (`<path>.<pid>.<random>.tmp`), flushed, renamed over `path`, and the directory flushed. A crash
/// leaves the old file or the new one, never a mix; an abandoned write leaves the old one.
///
/// Write it in pieces with `write(_:)` (a report streamed as it grows), then `commit()`; or use
/// `IO.writeAtomically(_:to:permissions:)` for bytes at hand.
public final class AtomicFile {
  /// The file to replace.
  public let path: String
  /// The temporary file being written.
  public let temporary: String
  private let descriptor: FileDescriptor
  private var open = true
  private var done = false

  /// Creates the temporary file (new, with `permissions` less the umask).
  public init(path: String, permissions: FilePermissions = [.ownerReadWrite, .groupRead, .otherRead])
    throws(SystemError)
  {
    self.path = path
    temporary = "\(path).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
    descriptor = try IO.open(
      temporary, .writeOnly, options: [.create, .exclusiveCreate, .noFollow], permissions: permissions,
      operation: "cannot create")
  }

  /// Appends `bytes`; on failure the temporary file is removed.
  public func write(_ bytes: some Collection<UInt8>) throws(SystemError) {
    precondition(!done, "write to an atomic file that was committed or abandoned")
    do throws(SystemError) {
      try IO.writeAll(bytes, to: descriptor, path: temporary)
    } catch {
      abandon()
      throw error
    }
  }

  /// Flushes the temporary file, renames it over `path` and flushes the directory; on failure the
  /// temporary file is removed and `path` is untouched.
  public func commit() throws(SystemError) {
    precondition(!done, "commit of an atomic file that was committed or abandoned")
    done = true
    do throws(SystemError) {
      try IO.flush(descriptor, path: temporary)
      IO.close(descriptor)
      open = false
      try IO.rename(temporary, to: path)
    } catch {
      abandon()
      throw error
    }
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
    try IO.syncDirectory(directory)
  }

  /// Removes the temporary file; `path` is untouched.
  public func abandon() {
    if open {
      IO.close(descriptor)
      open = false
    }
    done = true
    unlink(temporary)
  }

  deinit {
    if open {
      IO.close(descriptor)
      unlink(temporary)
    }
  }
}

extension IO {
  /// Replaces the file at `path` with `bytes` atomically (`AtomicFile`).
  public static func writeAtomically(
    _ bytes: some Collection<UInt8>, to path: String,
    permissions: FilePermissions = [.ownerReadWrite, .groupRead, .otherRead]
  ) throws(SystemError) {
    let file = try AtomicFile(path: path, permissions: permissions)
    try file.write(bytes)
    try file.commit()
  }
}
