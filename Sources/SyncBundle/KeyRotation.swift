public import Crypto
public import Foundation

/// A bank's statement that it replaced its signing key, signed by the key it replaced
/// (`Storage/sync-bundle.md`, *Key rotation*). Bundles carry every statement of their bank, oldest
/// first, in `mediabank-key-rotation.txt`, so a receiver that trusts any earlier key of the bank
/// follows the chain to the key that signed the bundle.
public struct KeyRotation: Sendable, Equatable {
  /// The tag file that carries the statements in a bundle (format 3).
  public static let fileName = "mediabank-key-rotation.txt"
  /// The most statements a file may hold.
  static let limit = 64

  /// The bank's code: a province's two digits, or `national`.
  public var bank: String
  /// The bank's installation id (a lowercase UUID).
  public var bankId: String
  /// The id of the key replaced, which signs the statement.
  public var oldKeyId: String
  /// The 32 raw bytes of the new Ed25519 public key.
  public var newPublicKey: Data
  /// When the bank replaced its key (UTC, `YYYY-MM-DDThh:mm:ssZ`).
  public var rotatedAt: String
  /// The old key's Ed25519 signature over `signedText`'s UTF-8 bytes.
  public var signature: Data

  /// The id of the new key.
  public var newKeyId: String { BundleSignature.keyId(of: newKey) }
  /// The new key.
  public var newKey: Curve25519.Signing.PublicKey {
    // Checked when the statement was made or parsed.
    try! Curve25519.Signing.PublicKey(rawRepresentation: newPublicKey)
  }

  /// A statement that `bank` replaced `oldKey` with `newKey` at `rotatedAt` (seconds since 1970),
  /// signed by `oldKey`.
  public init(
    bank: String, bankId: String, oldKey: Curve25519.Signing.PrivateKey, newKey: Curve25519.Signing.PublicKey,
    rotatedAt: Int
  ) throws(BundleError) {
    self.bank = bank
    self.bankId = bankId
    self.oldKeyId = BundleSignature.keyId(of: oldKey.publicKey)
    self.newPublicKey = newKey.rawRepresentation
    self.rotatedAt = Timestamp.render(rotatedAt)
    self.signature = Data()
    guard Self.isBank(bank), BagInfo.isBankId(bankId) else {
      throw BundleError(.invalidArgument, "`\(bank)` `\(bankId)` is not a bank code and id", bundle: "")
    }
    do {
      self.signature = try oldKey.signature(for: Data(signedText.utf8))
    } catch {
      throw BundleError(.invalidArgument, "cannot sign the key rotation: \(error)", bundle: "")
    }
  }

  /// The seven lines the old key signs, each ended by `\n`.
  public var signedText: String {
    "MediaBank-Key-Rotation-Version: 1\nBank: \(bank)\nBank-Id: \(bankId)\nOld-Key-Id: \(oldKeyId)\n"
      + "New-Key-Id: \(newKeyId)\nNew-Public-Key: \(newPublicKey.base64EncodedString())\nRotated-At: \(rotatedAt)\n"
  }

  /// The statement as it is written: `signedText` and the `Signature` line.
  public func rendered() -> String {
    signedText + "Signature: \(signature.base64EncodedString())\n"
  }

  /// Whether `key` is the old key and its signature over the statement verifies.
  public func isSigned(by key: Curve25519.Signing.PublicKey) -> Bool {
    BundleSignature.keyId(of: key) == oldKeyId && key.isValidSignature(signature, for: Data(signedText.utf8))
  }

  /// Parses the statements of a file: each exactly eight lines, one after the other, oldest
  /// first. Checks their form, not their signatures (see `chain`).
  public static func parse(_ bytes: [UInt8], bundle: String = "") throws(BundleError) -> [KeyRotation] {
    func refuse(_ message: String) -> BundleError {
      BundleError(.signature, message, bundle: bundle, file: fileName)
    }
    guard let text = String(validating: bytes, as: UTF8.self), text.hasSuffix("\n") else {
      throw refuse("is not UTF-8 text ending with a newline")
    }
    let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
    let labels = [
      "MediaBank-Key-Rotation-Version", "Bank", "Bank-Id", "Old-Key-Id", "New-Key-Id", "New-Public-Key",
      "Rotated-At", "Signature",
    ]
    guard !lines.isEmpty, lines.count % labels.count == 0, lines.count / labels.count <= limit else {
      throw refuse("has \(lines.count) lines; expected 1 to \(limit) statements of \(labels.count) lines each")
    }
    var statements: [KeyRotation] = []
    for start in stride(from: 0, to: lines.count, by: labels.count) {
      let number = start / labels.count + 1
      var values: [String] = []
      for (line, label) in zip(lines[start..<start + labels.count], labels) {
        guard line.hasPrefix(label + ": ") else {
          throw refuse("statement \(number): expected a `\(label): ` line, found `\(line)`")
        }
        values.append(String(line.dropFirst(label.count + 2)))
      }
      guard values[0] == "1" else {
        throw refuse("statement \(number): version \(values[0]) is not one this mediabank understands (1); upgrade")
      }
      guard isBank(values[1]), BagInfo.isBankId(values[2]) else {
        throw refuse("statement \(number): `\(values[1])` `\(values[2])` is not a bank code and bank id")
      }
      guard BagInfo.isKeyId(values[3]), BagInfo.isKeyId(values[4]) else {
        throw refuse("statement \(number): a key id is not `ed25519:<16 hex digits>`")
      }
      guard let raw = Data(base64Encoded: values[5]), raw.count == 32, raw.base64EncodedString() == values[5],
        let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw), BundleSignature.keyId(of: key) == values[4]
      else {
        throw refuse("statement \(number): New-Public-Key is not the Ed25519 key that New-Key-Id names")
      }
      guard Timestamp.parse(values[6]) != nil else {
        throw refuse("statement \(number): Rotated-At `\(values[6])` is not a time YYYY-MM-DDThh:mm:ssZ")
      }
      guard let signature = Data(base64Encoded: values[7]), signature.count == 64,
        signature.base64EncodedString() == values[7]
      else {
        throw refuse("statement \(number): the signature is not the standard base64 of 64 bytes")
      }
      statements.append(
        KeyRotation(
          bank: values[1], bankId: values[2], oldKeyId: values[3], newPublicKey: raw, rotatedAt: values[6],
          signature: signature))
    }
    return statements
  }

  /// Follows `statements` from the first whose old key `keys` knows to the key `target`: each
  /// statement after it must be signed by the key the one before it introduced. Returns the key
  /// and the statements followed, or nil when no statement's old key is known or the chain does
  /// not end at `target`. Throws when a statement on the chain does not verify.
  public static func chain(
    _ statements: [KeyRotation], to target: String, keys: (String) -> Curve25519.Signing.PublicKey?,
    bundle: String = ""
  ) throws(BundleError) -> (key: Curve25519.Signing.PublicKey, followed: [KeyRotation])? {
    guard let start = statements.firstIndex(where: { keys($0.oldKeyId) != nil }),
      var key = keys(statements[start].oldKeyId)
    else { return nil }
    var followed: [KeyRotation] = []
    for statement in statements[start...] {
      guard statement.isSigned(by: key) else {
        throw BundleError(
          .badSignature,
          "the statement replacing \(statement.oldKeyId) with \(statement.newKeyId) does not verify with "
            + "\(BundleSignature.keyId(of: key)): the chain of keys is broken",
          bundle: bundle, file: fileName)
      }
      followed.append(statement)
      key = statement.newKey
    }
    return BundleSignature.keyId(of: key) == target ? (key, followed) : nil
  }

  init(bank: String, bankId: String, oldKeyId: String, newPublicKey: Data, rotatedAt: String, signature: Data) {
    self.bank = bank
    self.bankId = bankId
    self.oldKeyId = oldKeyId
    self.newPublicKey = newPublicKey
    self.rotatedAt = rotatedAt
    self.signature = signature
  }

  static func isBank(_ bank: String) -> Bool { bank == "national" || BagInfo.isSource(bank) }
}
