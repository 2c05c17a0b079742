import GRDB

/// A failure of the catalog, with what was being done.
public struct CatalogError: Error, CustomStringConvertible, Sendable {
  /// What kind of failure this is, for programs; `message` says it for people.
  public enum Kind: Sendable, Equatable {
    /// The asset, batch or bundle named is not in the catalog.
    case notFound
    /// The change contradicts what the catalog holds (a constraint, a sequence gap, a change made
    /// meanwhile by another command).
    case conflict
    /// Another connection held the catalog locked for longer than the busy timeout.
    case busy
    /// The disk is full (`SQLITE_FULL`).
    case diskFull
    /// The catalog file or its directory cannot be written or opened (`SQLITE_READONLY`, `SQLITE_PERM`,
    /// `SQLITE_CANTOPEN`, `SQLITE_AUTH`).
    case permissionDenied
    /// A read or write of the catalog file failed (`SQLITE_IOERR`).
    case io
    /// The catalog file is damaged or is not a catalog (`SQLITE_CORRUPT`, `SQLITE_NOTADB`, a broken
    /// foreign key).
    case damaged
    /// A newer MediaBank migrated the catalog.
    case newerCatalog
    /// Anything else.
    case failed
  }

  /// What went wrong, in words a user can act on.
  public let message: String
  /// What kind of failure this is.
  public let kind: Kind
  /// The error the catalog met (GRDB's `DatabaseError`, or the `CatalogError` it wrapped), if any.
  public let underlying: (any Error)?

  init(_ message: String, kind: Kind = .failed) {
    self.message = message
    self.kind = kind
    self.underlying = nil
  }

  /// An error saying `message` about `error`, of the kind `error` is (see `Kind.init(classifying:)`)
  /// unless `kind` is given.
  init(_ message: String, kind: Kind? = nil, wrapping error: any Error) {
    self.message = message
    self.kind = kind ?? Kind(classifying: error)
    self.underlying = error
  }

  /// True when SQLite could not write because the disk is full (`SQLITE_FULL`).
  public var isDiskFull: Bool { kind == .diskFull }

  public var description: String { message }
}

extension CatalogError.Kind {
  /// The kind of `error`: a `CatalogError`'s own kind, or the kind of a SQLite result code.
  init(classifying error: any Error) {
    switch error {
    case let error as CatalogError: self = error.kind
    case let error as DatabaseError:
      switch error.resultCode.primaryResultCode {
      case .SQLITE_BUSY, .SQLITE_LOCKED: self = .busy
      case .SQLITE_FULL: self = .diskFull
      case .SQLITE_CONSTRAINT: self = .conflict
      case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH: self = .permissionDenied
      case .SQLITE_IOERR: self = .io
      case .SQLITE_CORRUPT, .SQLITE_NOTADB: self = .damaged
      default: self = .failed
      }
    default: self = .failed
    }
  }
}
