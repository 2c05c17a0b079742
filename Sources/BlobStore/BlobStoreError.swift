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

  init(_ message: String, path: String, errno: Int32? = nil) {
    self.message = message
    self.path = path
    self.errno = errno
  }

  public var description: String {
    if let errno {
      return "\(path): \(message): \(String(cString: strerror(errno)))"
    }
    return "\(path): \(message)"
  }
}

/// Runs a system call, retrying on EINTR, and throws a `BlobStoreError` naming `what` and `path`
/// when it returns a negative value.
@discardableResult
func systemCall<Result: BinaryInteger>(
  _ what: String, path: String, _ body: () -> Result
) throws(BlobStoreError) -> Result {
  while true {
    let result = body()
    if result >= 0 { return result }
    let error = Glibc.errno
    if error == EINTR { continue }
    throw BlobStoreError(what, path: path, errno: error)
  }
}
