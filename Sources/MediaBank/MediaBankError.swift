/// A failure reported by the MediaBank library: the file or bank concerned and the reason.
public struct MediaBankError: Error, CustomStringConvertible, Sendable {
  /// The file (as the user named it) or bank path the error is about, if any.
  public let path: String?
  /// What is wrong, in words a user can act on.
  public let reason: String

  init(_ reason: String, path: String? = nil) {
    self.path = path
    self.reason = reason
  }

  public var description: String { path.map { "\($0): \(reason)" } ?? reason }
}
