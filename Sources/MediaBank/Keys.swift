import Catalog
import Crypto
import Foundation
import SyncBundle
import SystemIO

/// The bank's public key as others register it (`mediabank key show`, `trust add`).
public struct BankKey: Codable, Equatable, Sendable {
  /// `ed25519:` and 16 hex digits (see `Storage/bank.md`).
  public var keyId: String
  /// Standard base64 of the 32 raw bytes of the Ed25519 public key.
  public var publicKey: String
  /// The bank's `keys/bank.pub`, the file to hand to the national bank.
  public var path: String
}

extension Library {
  /// The bank's public key and where its `.pub` file is.
  public func key() throws(MediaBankError) -> BankKey {
    let identity = try identity()
    return BankKey(
      keyId: identity.keyId, publicKey: identity.publicKey,
      path: root.appendingPathComponent("keys/bank.pub").path)
  }

  /// The bank's private signing key, checked against the public key in `bank.json`.
  func signingKey() throws(MediaBankError) -> Curve25519.Signing.PrivateKey {
    let path = root.appendingPathComponent("keys/signing-key").path
    guard let key = Self.privateKey(at: path) else {
      throw MediaBankError(.damaged, "cannot read the bank's signing key (base64 of 32 bytes expected)", path: path)
    }
    guard key.publicKey.rawRepresentation.base64EncodedString() == (try identity().publicKey) else {
      throw MediaBankError(.damaged, "the signing key does not match the public key in bank.json", path: path)
    }
    return key
  }

  // MARK: Rotation

  /// The new key waiting to replace the signing key while a rotation is under way.
  private var rotatingKeyPath: String { root.appendingPathComponent("keys/signing-key.rotating").path }

  /// Replaces the bank's key pair with a new one: writes a rotation statement signed by the old
  /// key (`Storage/sync-bundle.md`, *Key rotation*), which every later bundle carries, so the
  /// national bank switches to the new key when it receives the next one and refuses bundles
  /// signed by the old key from then on. The old private key is destroyed.
  ///
  /// Crash-safe: the new private key is written first (`keys/signing-key.rotating`), the
  /// statement committed to the catalog is the point of no return, then `bank.json`, `bank.pub`
  /// and the private key are replaced; an interrupted rotation is finished (or, before the
  /// commit, forgotten) when the bank is next opened.
  public func rotateKey() throws(MediaBankError) -> KeyRotationEvent {
    let date = Date()
    try finishKeyRotation()
    let identity = try identity()
    let oldKey = try signingKey()
    let newKey = Curve25519.Signing.PrivateKey()
    guard !identity.bundleSource.isEmpty else {
      throw MediaBankError(
        .conflict, "this bank has no province yet; `mediabank init --province CODE` first", path: root.path)
    }
    let statement: KeyRotation
    do {
      statement = try KeyRotation(
        bank: identity.bundleSource, bankId: identity.bankId, oldKey: oldKey, newKey: newKey.publicKey,
        rotatedAt: Int(date.timeIntervalSince1970))
    } catch {
      throw MediaBankError(error.description, wrapping: error, code: .internal)
    }
    try writeAtomically(
      Data((newKey.rawRepresentation.base64EncodedString() + "\n").utf8), to: rotatingKeyPath, mode: 0o600)
    let row = KeyRotationRow(
      bank: statement.bank, oldKeyId: statement.oldKeyId, newKeyId: statement.newKeyId,
      rotatedAt: statement.rotatedAt, statement: statement.rendered(), recordedAt: Self.timestamp())
    try catalogCall { () throws(CatalogError) in try catalog.recordKeyRotation(row) }
    try finishKeyRotation()
    return KeyRotationEvent(row)
  }

  /// Finishes a rotation a crash interrupted: when `keys/signing-key.rotating` is the new key of
  /// the last rotation the catalog holds, it becomes the bank's key; otherwise (the crash came
  /// before the statement was committed) it is removed.
  func finishKeyRotation() throws(MediaBankError) {
    let pending = rotatingKeyPath
    guard FileManager.default.fileExists(atPath: pending) else { return }
    guard let key = Self.privateKey(at: pending) else {
      try? FileManager.default.removeItem(atPath: pending)
      return
    }
    var identity = try identity()
    let keyId = BundleSignature.keyId(of: key.publicKey)
    let rotations = try catalogCall { () throws(CatalogError) in try catalog.keyRotations(bank: identity.bundleSource) }
    guard rotations.contains(where: { $0.newKeyId == keyId }) else {
      try? FileManager.default.removeItem(atPath: pending)
      return
    }
    let publicKey = key.publicKey.rawRepresentation.base64EncodedString()
    identity.publicKey = publicKey
    identity.keyId = keyId
    try writeAtomically(identity.encoded(), to: identityPath)
    try writeAtomically(Data((publicKey + "\n").utf8), to: root.appendingPathComponent("keys/bank.pub").path)
    do {
      try IO.rename(pending, to: root.appendingPathComponent("keys/signing-key").path)
      try IO.syncDirectory(root.appendingPathComponent("keys").path)
    } catch {
      throw MediaBankError(error)
    }
  }

  /// This bank's own key rotation statements, oldest first: every bundle carries them.
  func ownKeyRotations() throws(MediaBankError) -> [KeyRotation] {
    let identity = try identity()
    let rows = try catalogCall { () throws(CatalogError) in try catalog.keyRotations(bank: identity.bundleSource) }
    var statements: [KeyRotation] = []
    for row in rows where row.bundle == nil {
      do {
        statements += try KeyRotation.parse(Array(row.statement.utf8))
      } catch {
        throw MediaBankError(
          "the catalog's key rotation statement is damaged: \(error.message)", wrapping: error, code: .damaged)
      }
    }
    return statements
  }

  /// The Ed25519 private key in the file at `path` (base64 of 32 bytes), if it holds one.
  static func privateKey(at path: String) -> Curve25519.Signing.PrivateKey? {
    guard let text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }),
      let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines))
    else { return nil }
    return try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
  }
}
