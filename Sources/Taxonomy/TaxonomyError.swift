/// A failure of the Taxonomy module: shipped data that cannot be read, or input that is not valid.
public struct TaxonomyError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The resource or value the error is about, if any.
  public let subject: String?
  /// What is wrong, in words a user can act on.
  public let reason: String

  init(_ reason: String, subject: String? = nil) {
    self.subject = subject
    self.reason = reason
  }

  public var description: String { subject.map { "\($0): \(reason)" } ?? reason }
}
