public import Crypto
public import Foundation

/// The content of `mediabank-signature.txt`: a detached Ed25519 signature over the exact bytes of
/// `tagmanifest-sha256.txt`, and the id of the key that made it.
///
/// ```text
/// MediaBank-Signature-Version: 1
/// Signed-File: tagmanifest-sha256.txt
/// Key-Id: ed25519:54f47566e4cef755
/// Signature: <standard base64 of the 64-byte signature>
/// ```
/// Each line ends with `\n`; there is nothing else in the file.
public struct BundleSignature: Sendable, Equatable {
  /// The file's name in the bag.
  public static let fileName = "mediabank-signature.txt"
  /// The file the signature covers.
  public static let signedFile = "tagmanifest-sha256.txt"

  /// The id of the signing key, `ed25519:<16 hex digits>`.
  public var keyId: String
  /// The 64 bytes of the Ed25519 signature.
  public var signature: Data

  /// A signature with these values.
  public init(keyId: String, signature: Data) {
    self.keyId = keyId
    self.signature = signature
  }

  /// Signs `bytes` (the tag manifest) with `key`.
  public init(signing bytes: some DataProtocol, with key: Curve25519.Signing.PrivateKey) throws(BundleError) {
    do {
      self.init(keyId: Self.keyId(of: key.publicKey), signature: try key.signature(for: bytes))
    } catch {
      throw BundleError(.invalidArgument, "cannot sign: \(error)", bundle: "", file: Self.fileName)
    }
  }

  /// The key id of `publicKey`: `ed25519:` and the first 16 hex digits of the SHA-256 of its 32
  /// raw bytes (`Storage/bank.md`).
  public static func keyId(of publicKey: Curve25519.Signing.PublicKey) -> String {
    "ed25519:" + FileIO.hex(SHA256.hash(data: publicKey.rawRepresentation).prefix(8))
  }

  /// Whether the signature is `publicKey`'s over `bytes`.
  public func isValid(for bytes: some DataProtocol, publicKey: Curve25519.Signing.PublicKey) -> Bool {
    publicKey.isValidSignature(signature, for: bytes)
  }

  /// The file's text.
  public func rendered() -> String {
    "MediaBank-Signature-Version: 1\nSigned-File: \(Self.signedFile)\nKey-Id: \(keyId)\n"
      + "Signature: \(signature.base64EncodedString())\n"
  }

  /// Parses the file strictly: the four lines above in that order, version 1, a well-formed key
  /// id and a signature of 64 bytes in standard base64. `bundle` names the bundle in errors.
  public init(parsing bytes: [UInt8], bundle: String = "") throws(BundleError) {
    func refuse(_ message: String) -> BundleError {
      BundleError(.signature, message, bundle: bundle, file: Self.fileName)
    }
    guard let text = String(validating: bytes, as: UTF8.self), text.hasSuffix("\n") else {
      throw refuse("is not UTF-8 text ending with a newline")
    }
    let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
    let labels = ["MediaBank-Signature-Version", "Signed-File", "Key-Id", "Signature"]
    guard lines.count == labels.count else {
      throw refuse("has \(lines.count) lines; expected \(labels.count): \(labels.joined(separator: ", "))")
    }
    var values: [String] = []
    for (line, label) in zip(lines, labels) {
      guard line.hasPrefix(label + ": ") else { throw refuse("expected a `\(label): ` line, found `\(line)`") }
      values.append(String(line.dropFirst(label.count + 2)))
    }
    guard values[0] == "1" else {
      throw refuse("signature version \(values[0]) is not one this mediabank understands (1); upgrade mediabank")
    }
    guard values[1] == Self.signedFile else {
      throw refuse("signs `\(values[1])`; a bundle signature signs `\(Self.signedFile)`")
    }
    guard BagInfo.isKeyId(values[2]) else { throw refuse("key id `\(values[2])` is not `ed25519:<16 hex digits>`") }
    guard let signature = Data(base64Encoded: values[3]), signature.count == 64,
      signature.base64EncodedString() == values[3]
    else {
      throw refuse("the signature is not the standard base64 of 64 bytes")
    }
    self.init(keyId: values[2], signature: signature)
  }
}
