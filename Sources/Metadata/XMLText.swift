/// What may be handed to FoundationXML's `XMLParser`.
enum XMLText {
  /// Whether `bytes` are UTF-8, or start with a UTF-16 byte order mark. XMP and Office Open XML
  /// allow no other encoding, and nothing else may reach `XMLParser`: libxml2, meeting a byte
  /// that is not UTF-8 in a name, goes on as Latin-1 and hands FoundationXML a name that is not
  /// UTF-8, which it force-unwraps as a String: the process traps (found by `scripts/fuzz xmp`).
  /// libxml2 converts UTF-16 itself, and stops at a lone surrogate.
  static func isParseable(_ bytes: some Collection<UInt8>) -> Bool {
    bytes.starts(with: [0xfe, 0xff]) || bytes.starts(with: [0xff, 0xfe])
      || String(validating: bytes, as: UTF8.self) != nil
  }

  /// `bytes` (UTF-8) with each processing instruction that has no data (`<?name?>`, `<?name ?>`)
  /// made spaces: libxml2 hands FoundationXML such an instruction's data as a null pointer, whose
  /// `strlen` kills the process (found by `scripts/fuzz xmp`). Linear in the bytes.
  static func withoutEmptyInstructions(_ bytes: [UInt8]) -> [UInt8] {
    var result = bytes
    var index = 0
    func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d }
    while index + 1 < bytes.count {
      guard bytes[index] == UInt8(ascii: "<"), bytes[index + 1] == UInt8(ascii: "?") else {
        index += 1
        continue
      }
      var end = index + 2
      while end < bytes.count, !isSpace(bytes[end]), bytes[end] != UInt8(ascii: "?") { end += 1 }
      while end < bytes.count, isSpace(bytes[end]) { end += 1 }
      if end + 1 < bytes.count, bytes[end] == UInt8(ascii: "?"), bytes[end + 1] == UInt8(ascii: ">") {
        for position in index...(end + 1) { result[position] = 0x20 }
        index = end + 2
      } else {
        index = end
      }
    }
    return result
  }
}
