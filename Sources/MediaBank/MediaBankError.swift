import BlobStore
import Catalog
import Foundation
import Glibc
import Metadata
public import SyncBundle
import SystemIO
import Taxonomy

/// A failure reported by the MediaBank library: what kind of failure it is (`code`, for programs),
/// the file or bank concerned and the reason (for people), and the lower error it came from.
///
/// Programs branch on `code`, never on the message: the CLI derives its exit status from it, the web
/// server its HTTP status (`Code.httpStatus`).
public struct MediaBankError: Error, CustomStringConvertible, Sendable {
  /// What kind of failure an error is. `name` is its stable spelling (`notFound`) for JSON and logs.
  public enum Code: Sendable, Hashable {
    /// What was named does not exist: an asset, a batch, a bundle, a trusted bank, a file, the bank
    /// itself.
    case notFound
    /// A reference names more than one thing (an id prefix of two assets, a place name of two
    /// communes): give more of it.
    case ambiguous
    /// A value given is malformed or out of range, or options do not go together (a bad id, an empty
    /// reason, a language tag that is not BCP 47, a file that is not media).
    case invalidInput
    /// What was to be created exists already (a backup destination, a bank to restore into, a local
    /// pillar code).
    case alreadyExists
    /// The request contradicts the bank's state: a province that cannot change, a command for the
    /// other kind of bank, a batch already undone, a change another command made meanwhile.
    case conflict
    /// Another command holds the bank (the catalog stayed locked past the busy timeout): run again.
    case busy
    /// The disk is full (`ENOSPC`, `SQLITE_FULL`).
    case diskFull
    /// A file or folder cannot be read or written for lack of permission (`EACCES`, `EPERM`,
    /// `EROFS`, a read-only catalog).
    case permissionDenied
    /// A system call failed with this `errno` (one that none of the codes above names).
    case io(errno: Int32)
    /// The bank or its catalog was written by a newer MediaBank: upgrade mediabank.
    case newerCatalog
    /// A bundle (or a receipt, or a key file that comes with one) was refused, for this reason.
    case refused(BundleError.Reason)
    /// The bank's own data is damaged: a missing or corrupt object, a damaged catalog, key or
    /// statement (`mediabank verify` says more).
    case damaged
    /// A program the operation needs is not installed (LibreOffice for `--format pdf`).
    case unavailable
    /// A failure of MediaBank itself or of its shipped data, not of the request.
    case `internal`

    /// The code's stable name: the case name (`notFound`, `refused`, `io`), without its value.
    public var name: String {
      switch self {
      case .notFound: "notFound"
      case .ambiguous: "ambiguous"
      case .invalidInput: "invalidInput"
      case .alreadyExists: "alreadyExists"
      case .conflict: "conflict"
      case .busy: "busy"
      case .diskFull: "diskFull"
      case .permissionDenied: "permissionDenied"
      case .io: "io"
      case .newerCatalog: "newerCatalog"
      case .refused: "refused"
      case .damaged: "damaged"
      case .unavailable: "unavailable"
      case .internal: "internal"
      }
    }

    /// The HTTP status a server answers with for this code (the table in README.md, "Exit status").
    public var httpStatus: Int {
      switch self {
      case .notFound: 404
      case .invalidInput: 400
      case .ambiguous: 422
      case .refused(let reason): reason == .sequence ? 409 : 422
      case .alreadyExists, .conflict: 409
      case .busy: 503
      case .diskFull: 507
      case .unavailable: 501
      case .permissionDenied, .io, .newerCatalog, .damaged, .internal: 500
      }
    }

    /// The code of a failed system call's `errno`.
    init(errno: Int32) {
      switch errno {
      case ENOSPC, EDQUOT: self = .diskFull
      case ENOENT, ENOTDIR: self = .notFound
      case EACCES, EPERM, EROFS: self = .permissionDenied
      case EEXIST, ENOTEMPTY: self = .alreadyExists
      case EBUSY: self = .busy
      default: self = .io(errno: errno)
      }
    }

    /// The code of a lower layer's error: the one place where catalog, store, bundle, system and
    /// Foundation errors are classified.
    init(classifying error: any Error) {
      switch error {
      case let error as MediaBankError: self = error.code
      case let error as CatalogError:
        switch error.kind {
        case .notFound: self = .notFound
        case .conflict: self = .conflict
        case .busy: self = .busy
        case .diskFull: self = .diskFull
        case .permissionDenied: self = .permissionDenied
        case .io: self = .io(errno: EIO)
        case .damaged: self = .damaged
        case .newerCatalog: self = .newerCatalog
        case .failed: self = .internal
        }
      case let error as BundleError:
        switch error.reason {
        case .io: self = Code(errno: error.errno ?? EIO)
        case .alreadyExists: self = .alreadyExists
        case .invalidArgument: self = .invalidInput
        default: self = .refused(error.reason)
        }
      case let error as BlobStoreError: self = error.errno.map { Code(errno: $0) } ?? .internal
      case is MetadataError, is TaxonomyError, is FilterProblem, is Unrecognized: self = .invalidInput
      case let error as POSIXError: self = Code(errno: error.code.rawValue)
      case let error as SystemError: self = Code(errno: error.errno.rawValue)
      case let error as CocoaError:
        switch error.code {
        case .fileNoSuchFile, .fileReadNoSuchFile: self = .notFound
        case .fileWriteOutOfSpace: self = .diskFull
        case .fileReadNoPermission, .fileWriteNoPermission, .fileWriteVolumeReadOnly: self = .permissionDenied
        case .fileWriteFileExists: self = .alreadyExists
        default:
          let cause = error.userInfo[NSUnderlyingErrorKey] as? NSError
          self = cause.map { $0.domain == NSPOSIXErrorDomain ? Code(errno: Int32($0.code)) : .internal } ?? .internal
        }
      default:
        let error = error as NSError
        self = error.domain == NSPOSIXErrorDomain ? Code(errno: Int32(error.code)) : .internal
      }
    }
  }

  /// What kind of failure this is.
  public let code: Code
  /// The file (as the user named it) or bank path the error is about, if any.
  public let path: String?
  /// What is wrong, in words a user can act on.
  public let reason: String
  /// The lower error this one reports (a `CatalogError`, `BundleError`, `BlobStoreError`…), if any.
  public let underlying: (any Error)?

  /// An error of `code` saying `reason`, about the file at `path` when one is concerned (the
  /// layers above the facade, such as the web server, make them too).
  public init(_ code: Code, _ reason: String, path: String? = nil) {
    self.code = code
    self.path = path
    self.reason = reason
    self.underlying = nil
  }

  /// An error saying `reason` about `error`, which it keeps, with the code `error` classifies as
  /// (`Code.init(classifying:)`) unless `code` is given (the web server wraps the `SystemError` of a
  /// TLS certificate that cannot be read).
  public init(_ reason: String, path: String? = nil, wrapping error: any Error, code: Code? = nil) {
    self.code = code ?? Code(classifying: error)
    self.path = path
    self.reason = reason
    self.underlying = error
  }

  public var description: String { path.map { "\($0): \(reason)" } ?? reason }
}
