import Foundation

/// Text decoding shared by the parsers: every string stored by MediaBank is NFC, trimmed, and
/// never empty.
enum Text {
  /// Decodes UTF-8, or Latin-1 when the bytes are not valid UTF-8; trims NULs and whitespace.
  static func decode(_ bytes: some Collection<UInt8>, latin1Fallback: Bool = true) -> String? {
    let trimmedBytes = Array(bytes.prefix { $0 != 0 })
    let string: String
    if let utf8 = String(validating: trimmedBytes, as: UTF8.self) {
      string = utf8
    } else if latin1Fallback {
      string = String(trimmedBytes.map { Character(Unicode.Scalar($0)) })
    } else {
      return nil
    }
    return clean(string)
  }

  /// Decodes ISO 8859-1.
  static func latin1(_ bytes: some Collection<UInt8>) -> String? {
    clean(String(bytes.map { Character(Unicode.Scalar($0)) }))
  }

  /// NFC, trimmed; nil when nothing remains.
  static func clean(_ string: String) -> String? {
    let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines.union(.controlCharacters))
    return trimmed.isEmpty ? nil : trimmed.precomposedStringWithCanonicalMapping
  }
}
