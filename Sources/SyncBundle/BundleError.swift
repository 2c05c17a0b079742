import SystemIO

#if canImport(Glibc)
  import Glibc
#endif

/// Why a bundle could not be written, or why a bundle was refused.
///
/// The description names the bundle, the file inside it and the reason, for example
/// `mediabank-19-000007: data/objects/sha256/ab12…: hash mismatch (manifest says …, the file hashes to …)`.
/// `reason` classifies the failure for programs; `message` says it for people.
public struct BundleError: Error, CustomStringConvertible, Sendable {
  /// What kind of failure this is: compare with the static members (`error.reason == .hashMismatch`).
  public struct Reason: Hashable, Sendable, CustomStringConvertible {
    private enum Base: String, Sendable {
      case io, invalidArgument, alreadyExists, tar, structure, manifest, unsafePath, unlistedFile,
        missingFile, hashMismatch, payloadOxum, formatVersion, bagInfo, signature, unknownKey,
        badSignature, objectName, recordTooLong, badRecord, sequence
    }
    private let base: Base
    private init(_ base: Base) { self.base = base }

    /// A file could not be read, written or created (the error carries the `errno`).
    public static let io = Reason(.io)
    /// The writer was given something it cannot put in a bundle (a bad id, a record with a newline…).
    public static let invalidArgument = Reason(.invalidArgument)
    /// The bundle to write already exists.
    public static let alreadyExists = Reason(.alreadyExists)
    /// The tar file is not a plain POSIX tar of one bag, or is damaged.
    public static let tar = Reason(.tar)
    /// The bag's files are not the layout of `Storage/sync-bundle.md` (a missing or extra file, a
    /// link or special file, a hidden name, an empty directory, a wrong `bagit.txt`).
    public static let structure = Reason(.structure)
    /// A manifest line is malformed, or a manifest lists files it must not.
    public static let manifest = Reason(.manifest)
    /// A manifest path is absolute, has `.` or `..` components, a backslash, a control character or
    /// `%`, or is listed twice.
    public static let unsafePath = Reason(.unsafePath)
    /// A payload file is not listed in `manifest-sha256.txt`.
    public static let unlistedFile = Reason(.unlistedFile)
    /// A file listed in a manifest is not in the bag.
    public static let missingFile = Reason(.missingFile)
    /// A file's SHA-256 differs from its manifest line.
    public static let hashMismatch = Reason(.hashMismatch)
    /// `Payload-Oxum` is missing, malformed or does not match the payload.
    public static let payloadOxum = Reason(.payloadOxum)
    /// `MediaBank-Format-Version` is missing or not a version this program reads.
    public static let formatVersion = Reason(.formatVersion)
    /// `bag-info.txt` is malformed, or its fields disagree with each other or with the bag.
    public static let bagInfo = Reason(.bagInfo)
    /// `mediabank-signature.txt` is missing or malformed.
    public static let signature = Reason(.signature)
    /// The bundle is signed by a key the receiver does not know.
    public static let unknownKey = Reason(.unknownKey)
    /// The signature does not verify with the key its key id names.
    public static let badSignature = Reason(.badSignature)
    /// A content object's name is not the SHA-256 of its bytes.
    public static let objectName = Reason(.objectName)
    /// A line of `data/records.jsonl` is longer than 1 MiB.
    public static let recordTooLong = Reason(.recordTooLong)
    /// A line of `data/records.jsonl` is not a record (not a JSON object, an unknown `op`…), or the
    /// number of lines differs from `MediaBank-Records`.
    public static let badRecord = Reason(.badRecord)
    /// The bundle is not the next one from its source bank: older than the last one received, or
    /// after a gap.
    public static let sequence = Reason(.sequence)

    public var description: String { base.rawValue }

    /// The reason whose `description` is `name` (as a server's answer names it); nil for another.
    public init?(name: String) {
      guard let base = Base(rawValue: name) else { return nil }
      self.base = base
    }
  }

  /// What kind of failure this is.
  public let reason: Reason
  /// The bundle: its directory or tar file name (normally the bundle id).
  public let bundle: String
  /// The file concerned, relative to the bag directory (`data/records.jsonl`), if one is.
  public let file: String?
  /// What went wrong, in words a user can act on.
  public let message: String
  /// The `errno` of the failed system call, if any.
  public let errno: Int32?

  init(_ reason: Reason, _ message: String, bundle: String, file: String? = nil, errno: Int32? = nil) {
    self.reason = reason
    self.message = message
    self.bundle = bundle
    self.file = file
    self.errno = errno
  }

  public var description: String {
    var parts = [bundle, file ?? "", message].filter { !$0.isEmpty }
    if let errno { parts.append(String(cString: strerror(errno))) }
    return parts.joined(separator: ": ")
  }
}

/// Runs a system call through the POSIX layer (retried on EINTR) and throws an `.io` error saying
/// `what` failed for `file` of `bundle` when it fails.
@discardableResult
func systemCall<Result: BinaryInteger>(
  _ what: String, bundle: String, file: String, _ body: () -> Result
) throws(BundleError) -> Result {
  do {
    return try IO.call(call(doing: what), what, path: file, body)
  } catch {
    throw BundleError(.io, what, bundle: bundle, file: file, errno: error.errno.rawValue)
  }
}

/// The kind of system call that `what` names, so that tests can inject faults into it.
private func call(doing what: String) -> Call {
  switch what {
  case "cannot flush", "cannot flush directory": .fsync
  case "cannot read": .read
  case "cannot write": .write
  case "cannot open", "cannot open directory", "cannot create", "cannot create temporary file": .open
  case "cannot rename into place": .rename
  case "cannot create directory": .mkdir
  default: .other
  }
}
