import Catalog
import Crypto
import Foundation

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
    guard let text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }),
      let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
      let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
    else {
      throw MediaBankError("cannot read the bank's signing key (base64 of 32 bytes expected)", path: path)
    }
    guard key.publicKey.rawRepresentation.base64EncodedString() == (try identity().publicKey) else {
      throw MediaBankError("the signing key does not match the public key in bank.json", path: path)
    }
    return key
  }
}
