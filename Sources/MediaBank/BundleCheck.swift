import Crypto
import Foundation
import SyncBundle

/// A public key that bundles and receipts may be signed with: another bank's, or this bank's own.
public struct TrustedKey: Sendable {
  /// `ed25519:` and 16 hex digits.
  public let keyId: String
  /// The 32 raw bytes of the key.
  let raw: Data

  /// The key, for checking signatures.
  var key: Curve25519.Signing.PublicKey { try! Curve25519.Signing.PublicKey(rawRepresentation: raw) }

  /// The key written as standard base64 of its 32 raw bytes (the text of a `.pub` file);
  /// `name` names it in errors.
  public init(base64 text: String, name: String) throws(MediaBankError) {
    guard let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), raw.count == 32,
      let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
    else {
      throw MediaBankError(
        .invalidInput, "not an Ed25519 public key (base64 of 32 bytes, as in a bank's keys/bank.pub)", path: name)
    }
    self.raw = raw
    self.keyId = BundleSignature.keyId(of: key)
  }

  /// The key in the `.pub` file at `path`.
  public static func read(file path: String) throws(MediaBankError) -> TrustedKey {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw MediaBankError(.notFound, "cannot read the public key file", path: path)
    }
    return try TrustedKey(base64: String(decoding: data.prefix(1024), as: UTF8.self), name: path)
  }
}

/// What `verify-bundle` found in a bundle that passed every check.
public struct BundleCheck: Codable, Equatable, Sendable {
  public var bundle: String
  /// `MediaBank-Format-Version`: 1, or 2 (which may have `delete` lines).
  public var formatVersion: Int
  public var source: String
  public var sourceBankId: String
  public var destination: String
  public var sequence: Int
  public var previousBundle: String?
  /// `full` or `incremental`.
  public var kind: String
  public var records: Int
  public var objects: Int
  /// The payload's size in bytes.
  public var bytes: Int64
  public var createdAt: String
  /// The key whose signature verified.
  public var signedBy: String
  /// The key rotations followed to reach that key from a known one (`old → new`), if any.
  public var rotations: [String]?
  /// The records `receive` would reject on their own, each with why, as far as the bundle tells
  /// (a record that is not an asset record, or contradicts its content in the bundle); absent
  /// when there are none. The bundle is intact all the same.
  public var rejected: [Receipt.Rejection]?
}

extension Library {
  /// Checks the bundle at `path` (a bag directory or a `.tar`): BagIt structure and fixity, the
  /// format version, the signature by one of `keys` (a bank's `bundleKeys`, which `receive` uses
  /// too, or keys given by hand), the object names and the record lines
  /// (`Storage/sync-bundle.md`). Throws the first problem found, naming the file. Then checks
  /// each record as `receive` does, as far as the bundle alone tells: the records it would reject
  /// are listed in `rejected`.
  public static func checkBundle(at path: String, keys: BundleKeys) throws(MediaBankError) -> BundleCheck {
    let verified = try verifiedBundle(at: path, keys: keys)
    defer { verified.cleanup() }
    let info = verified.info
    var rejected: [Receipt.Rejection] = []
    try forEachLine(of: verified) { line in
      guard line.op == .upsert else { return }
      do throws(RecordRejection) {
        let asset = try line.checkedAsset()
        if let original = verified.objects[line.id], let problem = asset.facts.contentProblem(at: original.path) {
          throw RecordRejection("the record contradicts its content: \(problem)")
        }
      } catch {
        rejected.append(.init(id: line.id, revision: line.revision, reason: error.description))
      }
    }
    let formatter = ISO8601DateFormatter()
    return BundleCheck(
      bundle: info.bundleId, formatVersion: info.formatVersion, source: info.sourceBank,
      sourceBankId: info.sourceBankId, destination: info.destination,
      sequence: info.sequence, previousBundle: info.previousBundle, kind: info.kind.rawValue, records: info.records,
      objects: verified.objects.count, bytes: info.payloadOxum?.octets ?? 0,
      createdAt: formatter.string(from: info.createdAt), signedBy: verified.signingKeyId,
      rotations: verified.rotations.isEmpty ? nil : verified.rotations.map { "\($0.oldKeyId) → \($0.newKeyId)" },
      rejected: rejected.isEmpty ? nil : rejected)
  }
}
