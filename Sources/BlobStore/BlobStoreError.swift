import SystemIO

#if canImport(Glibc)
  import Glibc
#endif

/// A failure of the blob store, with the path involved and the operating system's reason.
public struct BlobStoreError: Error, CustomStringConvertible, Sendable {
  /// What went wrong, in words a user can act on.
  public let message: String
  /// The file the store was working on.
  public let path: String
  /// The `errno` of the failed system call, if any.
  public let errno: Int32?
  /// The system's reason, in words (`Input/output error`; on a full disk
  /// `disk full (N bytes free on DEVICE)`), when a system call failed.
  public let systemReason: String?

  init(_ message: String, path: String, errno: Int32? = nil) {
    self.message = message
    self.path = path
    self.errno = errno
    systemReason = errno.map { String(cString: strerror($0)) }
  }

  init(_ error: SystemError) {
    message = error.operation
    path = error.path
    errno = error.errno.rawValue
    systemReason = error.reason
  }

  /// True when the disk (or the user's quota) is full.
  public var isDiskFull: Bool { errno == ENOSPC || errno == EDQUOT }

  public var description: String {
    if let systemReason { return "\(path): \(message): \(systemReason)" }
    return "\(path): \(message)"
  }
}

/// Runs a system call through the POSIX layer (retried on EINTR) and throws a `BlobStoreError`
/// naming `what` and `path` when it fails.
@discardableResult
func systemCall<Result: BinaryInteger>(
  _ call: Call, _ what: String, path: String, _ body: () -> Result
) throws(BlobStoreError) -> Result {
  do {
    return try IO.call(call, what, path: path, body)
  } catch {
    throw BlobStoreError(error)
  }
}

/// Runs `body`, a call of the POSIX layer, turning its error into a `BlobStoreError`.
func io<T>(_ body: () throws(SystemError) -> T) throws(BlobStoreError) -> T {
  do {
    return try body()
  } catch {
    throw BlobStoreError(error)
  }
}
