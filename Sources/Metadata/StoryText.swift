internal import Foundation

/// Decoding and small text helpers for stories.
///
/// Stories are UTF-8 (with or without a byte order mark) or UTF-16 (byte order mark required, LE
/// or BE). Nothing else is guessed: a Latin-1 or Windows-1258 file is refused rather than stored
/// as mojibake.
enum StoryText {
  static let notUnicode = "not UTF-8 or UTF-16 text (save it as UTF-8)"

  /// Decodes a whole story file to a string with `\n` line ends.
  static func decode(_ bytes: [UInt8]) throws(MetadataError) -> String {
    try decode(bytes[...], complete: true)
  }

  /// Decodes the first bytes of a file, `complete` when they are the whole file. A character cut
  /// by the end of an incomplete head is left out, not refused.
  static func decode(_ bytes: ArraySlice<UInt8>, complete: Bool) throws(MetadataError) -> String {
    let string: String
    if bytes.starts(with: [0xff, 0xfe, 0, 0]) || bytes.starts(with: [0, 0, 0xfe, 0xff]) {
      throw MetadataError("\(notUnicode): it is UTF-32")
    } else if bytes.starts(with: [0xef, 0xbb, 0xbf]) {
      string = try utf8(bytes.dropFirst(3), complete: complete)
    } else if bytes.starts(with: [0xff, 0xfe]) {
      string = try utf16(bytes.dropFirst(2), bigEndian: false, complete: complete)
    } else if bytes.starts(with: [0xfe, 0xff]) {
      string = try utf16(bytes.dropFirst(2), bigEndian: true, complete: complete)
    } else {
      string = try utf8(bytes, complete: complete)
    }
    guard string.utf8.contains(0x0d) else { return string }
    return string.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
  }

  private static func utf8(_ bytes: ArraySlice<UInt8>, complete: Bool) throws(MetadataError) -> String {
    if let nul = bytes.firstIndex(of: 0) {
      throw MetadataError(
        "\(notUnicode): byte \(nul) is NUL, so it is binary data or UTF-16 without a byte order mark")
    }
    let whole = complete ? bytes : droppingCutSequence(bytes)
    if let string = String(validating: whole, as: UTF8.self) { return string }
    var iterator = whole.makeIterator()
    var parser = Unicode.UTF8.ForwardParser()
    var offset = whole.startIndex
    while case .valid(let scalar) = parser.parseScalar(from: &iterator) { offset += scalar.count }
    throw MetadataError(
      "\(notUnicode): byte \(whole[offset].hexByte) at offset \(offset) is not valid UTF-8 "
        + "(Latin-1 or Windows-1258?)")
  }

  /// `bytes` without a multi-byte sequence cut short at its end.
  private static func droppingCutSequence(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    var index = bytes.endIndex
    while index > bytes.startIndex, bytes.endIndex - index < 4 {
      index -= 1
      let byte = bytes[index]
      guard byte & 0xc0 == 0x80 else {
        let length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1
        return length > bytes.endIndex - index ? bytes[..<index] : bytes
      }
    }
    return bytes
  }

  private static func utf16(
    _ bytes: ArraySlice<UInt8>, bigEndian: Bool, complete: Bool
  ) throws(MetadataError) -> String {
    if complete && bytes.count % 2 == 1 {
      throw MetadataError("\(notUnicode): UTF-16 text with an odd number of bytes (\(bytes.count + 2))")
    }
    var units: [UInt16] = []
    units.reserveCapacity(bytes.count / 2)
    var index = bytes.startIndex
    while index + 1 < bytes.endIndex {
      let (first, second) = (UInt16(bytes[index]), UInt16(bytes[index + 1]))
      units.append(bigEndian ? first << 8 | second : second << 8 | first)
      index += 2
    }
    if !complete, let last = units.last, UTF16.isLeadSurrogate(last) { units.removeLast() }
    guard let string = String(validating: units, as: UTF16.self) else {
      throw MetadataError("\(notUnicode): invalid UTF-16 (an unpaired surrogate)")
    }
    if string.utf8.contains(0) {
      throw MetadataError("\(notUnicode): it contains NUL characters, so it is binary data")
    }
    return string
  }

  /// Whether `value` is an ISO 8601 calendar date `YYYY-MM-DD`, or a date-time
  /// `YYYY-MM-DDThh:mm[:ss[.fraction]]` with an optional `Z` or `±hh:mm`, with valid ranges.
  static func isISODate(_ value: String) -> Bool {
    let b = Array(value.utf8)
    func number(_ start: Int, _ count: Int) -> Int? {
      guard start + count <= b.count else { return nil }
      var result = 0
      for byte in b[start..<(start + count)] {
        guard (0x30...0x39).contains(byte) else { return nil }
        result = result * 10 + Int(byte - 0x30)
      }
      return result
    }
    func byte(_ index: Int) -> UInt8? { index < b.count ? b[index] : nil }
    guard let year = number(0, 4), byte(4) == UInt8(ascii: "-"), let month = number(5, 2),
      byte(7) == UInt8(ascii: "-"), let day = number(8, 2), (1...12).contains(month)
    else { return false }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    guard (1...days).contains(day) else { return false }
    if b.count == 10 { return true }
    guard byte(10) == UInt8(ascii: "T"), let hour = number(11, 2), byte(13) == UInt8(ascii: ":"),
      let minute = number(14, 2), hour < 24, minute < 60
    else { return false }
    var index = 16
    if byte(index) == UInt8(ascii: ":") {
      guard let second = number(17, 2), second <= 60 else { return false }
      index = 19
      if byte(index) == UInt8(ascii: ".") {
        index += 1
        let start = index
        while let digit = byte(index), (0x30...0x39).contains(digit) { index += 1 }
        guard index > start else { return false }
      }
    }
    if index == b.count { return true }
    if byte(index) == UInt8(ascii: "Z") { return index + 1 == b.count }
    guard byte(index) == UInt8(ascii: "+") || byte(index) == UInt8(ascii: "-"),
      let offsetHours = number(index + 1, 2), byte(index + 3) == UInt8(ascii: ":"),
      let offsetMinutes = number(index + 4, 2), offsetHours < 24, offsetMinutes < 60
    else { return false }
    return index + 6 == b.count
  }

  /// `text` with every run of whitespace as one space, trimmed.
  /// Stops after `maxCharacters` characters (the rest of a long text is not read).
  static func collapsingWhitespace(_ text: some StringProtocol, maxCharacters: Int = .max) -> String {
    var result = ""
    var count = 0
    var pendingSpace = false
    for character in text {
      if character.isWhitespace {
        pendingSpace = count > 0
        continue
      }
      if pendingSpace {
        result.append(" ")
        count += 1
        pendingSpace = false
      }
      guard count < maxCharacters else { break }
      result.append(character)
      count += 1
    }
    return result
  }

  /// The lines of `text` (split at `\n`, found in its UTF-8 bytes).
  static func lines(_ text: Substring) -> [Substring] {
    var lines: [Substring] = []
    var start = text.startIndex
    while let newline = text.utf8[start...].firstIndex(of: 0x0a) {
      lines.append(text[start..<newline])
      start = text.utf8.index(after: newline)
    }
    lines.append(text[start...])
    return lines
  }

  /// Each line without trailing white space (ASCII), and no blank lines at either end.
  static func trimmingLines(_ text: String) -> String {
    let bytes = Array(text.utf8)
    var lines: [Range<Int>] = []
    var start = 0
    for index in 0...bytes.count where index == bytes.count || bytes[index] == 0x0a {
      var end = index
      while end > start, isASCIIWhitespace(bytes[end - 1]) { end -= 1 }
      lines.append(start..<end)
      start = index + 1
    }
    guard let first = lines.firstIndex(where: { !$0.isEmpty }), let last = lines.lastIndex(where: { !$0.isEmpty })
    else { return "" }
    var result: [UInt8] = []
    result.reserveCapacity(bytes.count)
    for index in first...last {
      if index > first { result.append(0x0a) }
      result += bytes[lines[index]]
    }
    return String(decoding: result, as: UTF8.self)
  }

  /// Whether `line` holds nothing but white space.
  static func isBlank(_ line: Substring) -> Bool {
    if line.utf8.contains(where: { $0 > 0x20 && $0 < 0x80 }) { return false }
    return line.allSatisfy(\.isWhitespace)
  }

  static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0b || byte == 0x0c || byte == 0x0d
  }
}

extension UInt8 {
  /// `0xe9` style rendering, for error messages.
  var hexByte: String { "0x" + String(self, radix: 16).leftPadded(to: 2) }
}
