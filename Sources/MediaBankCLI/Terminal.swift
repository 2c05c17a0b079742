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
  /// (powers of 1000).
  static func size(_ bytes: Int64) -> String {
    guard bytes >= 1000 || bytes <= -1000 else { return count(Int(bytes), "byte") }
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
