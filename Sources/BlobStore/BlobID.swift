/// The identity of a stored object: the SHA-256 of its bytes, written `sha256:<64 lowercase hex>`.
public struct BlobID: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// The 64 lowercase hexadecimal digits of the digest.
  public let hex: String

  /// Parses `sha256:<64 hex digits>` (upper-case digits are accepted and lower-cased).
  public init?(_ string: String) {
    guard string.hasPrefix(BlobID.prefix) else { return nil }
    self.init(hex: String(string.dropFirst(BlobID.prefix.count)))
  }

  /// Wraps 64 hexadecimal digits.
  public init?(hex: String) {
    let lowered = hex.lowercased()
    guard lowered.utf8.count == 64, lowered.utf8.allSatisfy({ BlobID.isHexDigit($0) }) else {
      return nil
    }
    self.hex = lowered
  }

  /// Wraps 64 hexadecimal digits that are already lowercase, as object names on disk are; any
  /// other text (an upper-case digit included) is not an id.
  init?(lowercaseHex hex: String) {
    guard hex.utf8.count == 64, hex.utf8.allSatisfy({ BlobID.isHexDigit($0) }) else { return nil }
    self.hex = hex
  }

  /// Builds an id from a raw 32-byte digest.
  init<Digest: Sequence>(digest: Digest) where Digest.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(64)
    for byte in digest {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0f)])
    }
    self.hex = String(decoding: text, as: UTF8.self)
  }

  /// `sha256:<hex>`.
  public var description: String { BlobID.prefix + hex }

  public static func < (lhs: BlobID, rhs: BlobID) -> Bool { lhs.hex < rhs.hex }

  static let prefix = "sha256:"

  private static func isHexDigit(_ byte: UInt8) -> Bool {
    (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
  }
}
