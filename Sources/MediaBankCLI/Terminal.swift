import Foundation

/// What the commands print: text from files made safe for a terminal, counts and sizes in words.
enum Terminal {
  /// `text` with every control character (C0, DEL, C1) and every bidirectional control
  /// (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069) written as an escape (`\n`, `\t`,
  /// `\x1B`, `\u{202E}`), so that a file name or a title cannot move the cursor, clear the
  /// screen, set the window title, end the line or make what follows read backwards.
  static func safe(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
    var result = ""
    for scalar in text.unicodeScalars {
      guard isUnsafe(scalar) else {
        result.unicodeScalars.append(scalar)
        continue
      }
      switch scalar {
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      default:
        result +=
          scalar.value < 0x80
          ? String(format: "\\x%02X", scalar.value) : "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
      }
    }
    return result
  }

  /// A file name or path given as the kernel's bytes: as `safe(_:)` when it is UTF-8; else quoted
  /// as `ls` does, `$'caf\xe9.jpg'`, with every byte that is not part of valid UTF-8 and every
  /// control character written `\xNN` (`\n`, `\r`, `\t`), and `'` and `\` escaped, so that what is
  /// printed can be pasted back into a shell.
  static func safe(bytes: [UInt8]) -> String {
    if let text = String(validating: bytes, as: UTF8.self) { return safe(text) }
    var result = "$'"
    var index = 0
    func hex(_ byte: UInt8) -> String { "\\x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16) }
    while index < bytes.count {
      let lead = bytes[index]
      let length = lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
      guard length > 0, index + length <= bytes.count,
        let scalar = String(validating: bytes[index..<(index + length)], as: UTF8.self)?.unicodeScalars.first
      else {
        result += hex(lead)
        index += 1
        continue
      }
      switch scalar {
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case "'": result += "\\'"
      case "\\": result += "\\\\"
      case _ where isUnsafe(scalar):
        result += bytes[index..<(index + length)].map(hex).joined()
      default: result.unicodeScalars.append(scalar)
      }
      index += length
    }
    return result + "'"
  }

  private static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E...0x200F, 0x202A...0x202E, 0x2066...0x2069: true
    default: false
    }
  }

  /// `1 bundle`, `0 bundles`, `2 bundles`; `plural` for an irregular one (`1 entry`, `3 entries`).
  static func count(_ number: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(number) \(number == 1 ? singular : plural ?? singular + "s")"
  }

  /// A size in bytes as people read it: `0 bytes`, `1 byte`, `999 bytes`, `1.5 KB`, `4.2 GB`
  /// (powers of 1000); `999 byte` in Vietnamese, whose nouns have no plural.
  static func size(_ bytes: Int64) -> String {
    guard bytes >= 1000 || bytes <= -1000 else {
      return language == .vi ? "\(bytes) byte" : count(Int(bytes), "byte")
    }
    let units = ["KB", "MB", "GB", "TB", "PB"]
    var value = Double(bytes) / 1000
    var unit = 0
    while abs(value) >= 999.95 && unit < units.count - 1 {
      value /= 1000
      unit += 1
    }
    return String(format: "%.1f %@", value, units[unit])
  }
}

/// The command line as the kernel gave it. Swift decodes arguments as UTF-8, replacing invalid
/// bytes with U+FFFD, so a file name in a legacy encoding (`caf\xE9.jpg`) would name a file that
/// does not exist: path arguments are taken back from these bytes.
enum RawArguments {
  /// The raw bytes of each of `values` (arguments as ArgumentParser parsed them): the first
  /// unused argument that decodes to the value, in order; the value's UTF-8 when none does.
  static func bytes(of values: [String]) -> [[UInt8]] {
    var raw: [[UInt8]] = (1..<Int(CommandLine.argc)).compactMap { index in
      CommandLine.unsafeArgv[index].map { Array(UnsafeRawBufferPointer(start: $0, count: strlen($0))) }
    }
    return values.map { value in
      guard let index = raw.firstIndex(where: { String(decoding: $0, as: UTF8.self) == value }) else {
        return Array(value.utf8)
      }
      return raw.remove(at: index)
    }
  }
}
