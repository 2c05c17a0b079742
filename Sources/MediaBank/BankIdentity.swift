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
  /// True for the national bank, which receives the provinces' bundles (bank format 2); absent
  /// for a provincial bank.
  public var national: Bool?
  public var createdAt: String
  /// The Ed25519 public key, base64 of its 32 raw bytes.
  public var publicKey: String
  /// `ed25519:` and the first 16 hex digits of the SHA-256 of the raw public key
  /// (`BundleSignature.keyId(of:)`, the one derivation).
  public var keyId: String

  static let fileName = "bank.json"
  /// The newest bank format this program reads: 2, which adds `national`. A provincial bank is
  /// written as format 1, a national one as format 2.
  static let currentFormatVersion = 2

  func encoded() -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return (try! encoder.encode(self)) + Data("\n".utf8)
  }
}
