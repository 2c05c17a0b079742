/// A failure of the catalog, with what was being done.
public struct CatalogError: Error, CustomStringConvertible, Sendable {
  /// What went wrong, in words a user can act on.
  public let message: String

  init(_ message: String) { self.message = message }

  public var description: String { message }
}
