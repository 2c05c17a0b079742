/// A failure of the catalog, with what was being done.
public struct CatalogError: Error, CustomStringConvertible, Sendable {
  /// What went wrong, in words a user can act on.
  public let message: String
  /// True when SQLite could not write because the disk is full (`SQLITE_FULL`).
  public let isDiskFull: Bool

  init(_ message: String, isDiskFull: Bool = false) {
    self.message = message
    self.isDiskFull = isDiskFull
  }

  public var description: String { message }
}
