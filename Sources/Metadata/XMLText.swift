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
}
