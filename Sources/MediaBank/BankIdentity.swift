import Crypto
import Foundation

/// Who a bank is: stored in `bank.json` at the bank's root (see `Storage/README.md`).
public struct BankIdentity: Codable, Equatable, Sendable {
  /// Always `mediabank-bank`, so a stray JSON file is not mistaken for a bank.
  public var format: String
  /// The layout version of the bank directory.
  public var formatVersion: Int
  /// A random UUID naming this installation.
  public var bankId: String
  /// The official 2-digit code of the province the bank serves, once `init` has set it.
  public var province: String?
  /// A human name, e.g. `Sở VHTTDL Thái Nguyên`.
  public var name: String?
  public var createdAt: String
  /// The Ed25519 public key, base64 of its 32 raw bytes.
  public var publicKey: String
  /// `ed25519:` and the first 16 hex digits of the SHA-256 of the raw public key.
  public var keyId: String

  static let fileName = "bank.json"
  static let currentFormatVersion = 1

  static func keyId(of publicKey: Curve25519.Signing.PublicKey) -> String {
    let digest = SHA256.hash(data: publicKey.rawRepresentation)
    return "ed25519:" + digest.prefix(8).map { String(format: "%02x", $0) }.joined()
  }

  func encoded() -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return (try! encoder.encode(self)) + Data("\n".utf8)
  }
}
