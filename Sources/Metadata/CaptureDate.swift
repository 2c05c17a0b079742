/// Turns the date-times of EXIF, XMP, IPTC and APP12 into MediaBank's ISO 8601 form
/// (`2016-06-27T15:29:42.041-04:00`): the local date-time as written, its fraction of a second
/// and its offset when the file gives them. Never converts to UTC.
///
/// Every parser reads a fixed number of bytes from the start and ignores what follows a valid
/// prefix, as exiftool does: `2016:06:27 15:29:42 PM` keeps its date; only a value whose date
/// itself is unreadable or all zeros is dropped.
enum CaptureDate {
  /// An EXIF (`2016:06:27 15:29:42`) or XMP (`2016-06-27T15:29:42.041-04:00`) date-time, with
  /// EXIF's separate `SubSecTime…` and `OffsetTime…` values used when the value has none of its
  /// own. XMP dates may stop after the year, month, day or minutes.
  static func parse(_ value: String?, subSecond: String? = nil, offset: String? = nil) -> String? {
    guard let value else { return nil }
    var scanner = Scanner(Array(value.utf8.prefix(64)))
    scanner.skipSpaces()
    guard let year = scanner.digits(4) else { return nil }
    var result = year
    var hasMonth = false
    if scanner.take(0x3a) || scanner.take(0x2d), let month = scanner.digits(2) {
      result += "-" + month
      hasMonth = true
    }
    var hasDay = false
    if hasMonth, scanner.take(0x3a) || scanner.take(0x2d), let day = scanner.digits(2) {
      result += "-" + day
      hasDay = true
    }
    guard result.utf8.contains(where: { $0 != 0x30 && $0 != 0x2d }) else { return nil }
    // XMP may give a year or a month alone; anything else must have a whole date.
    guard hasDay else { return scanner.atEnd() ? result : nil }
    guard scanner.take(0x20) || scanner.take(0x54), let hour = scanner.digits(2),
      scanner.take(0x3a), let minute = scanner.digits(2)
    else { return result }
    result += "T\(hour):\(minute)"
    var fraction = ""
    if scanner.take(0x3a), let second = scanner.digits(2) {
      result += ":" + second
      if scanner.take(0x2e), let digits = scanner.digitRun(), !digits.isEmpty {
        fraction = digits
      }
    }
    if fraction.isEmpty, let subSecond = subSecond.map(trimmed), !subSecond.isEmpty,
      subSecond.utf8.count <= 9, subSecond.utf8.allSatisfy({ (0x30...0x39).contains($0) })
    {
      fraction = subSecond
    }
    if !fraction.isEmpty, result.utf8.count == 19 { result += "." + fraction }
    if let zone = scanner.zone() {
      result += zone
    } else if let offset = offset.map(trimmed) {
      var zoneScanner = Scanner(Array(offset.utf8.prefix(16)))
      if let zone = zoneScanner.zone() { result += zone }
    }
    return result
  }

  /// IPTC `DateCreated` (`20160627`) with `TimeCreated` (`152942-0400`).
  static func iptc(date: String?, time: String?) -> String? {
    guard let date else { return nil }
    var scanner = Scanner(Array(date.utf8.prefix(16)))
    guard let year = scanner.digits(4), let month = scanner.digits(2), let day = scanner.digits(2),
      year != "0000"
    else { return nil }
    var result = "\(year)-\(month)-\(day)"
    guard let time else { return result }
    var clock = Scanner(Array(time.utf8.prefix(16)))
    guard let hour = clock.digits(2) else { return result }
    _ = clock.take(0x3a)
    guard let minute = clock.digits(2) else { return result }
    _ = clock.take(0x3a)
    guard let second = clock.digits(2) else { return result }
    result += "T\(hour):\(minute):\(second)"
    if let zone = clock.zone() { result += zone }
    return result
  }

  /// Seconds since 1970 as a date-time with no offset, as exiftool renders APP12 `TimeDate`
  /// (`ConvertUnixTime`, UTC).
  static func unixTime(_ seconds: Int64) -> String? {
    guard seconds > 0, seconds < 253_402_300_800 else { return nil }  // Before year 10000.
    let days = seconds / 86_400
    let rest = seconds % 86_400
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468
    let era = z / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "\(year)-\(two(month))-\(two(day))T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))"
  }

  private static func trimmed(_ value: String) -> String {
    String(decoding: value.utf8.filter { $0 != 0x20 && $0 != 0 }, as: UTF8.self)
  }

  /// A cursor over the bytes of a value; every read is bounds-checked.
  private struct Scanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func skipSpaces() {
      while index < bytes.count, bytes[index] == 0x20 { index += 1 }
    }

    /// Whether only spaces and NULs are left.
    func atEnd() -> Bool { bytes[index...].allSatisfy { $0 == 0x20 || $0 == 0 } }

    mutating func take(_ byte: UInt8) -> Bool {
      guard index < bytes.count, bytes[index] == byte else { return false }
      index += 1
      return true
    }

    mutating func digits(_ count: Int) -> String? {
      guard index + count <= bytes.count,
        bytes[index..<(index + count)].allSatisfy({ (0x30...0x39).contains($0) })
      else { return nil }
      defer { index += count }
      return String(decoding: bytes[index..<(index + count)], as: UTF8.self)
    }

    /// Up to nine digits (nanoseconds); further digits are skipped.
    mutating func digitRun() -> String? {
      let start = index
      while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
      return String(decoding: bytes[start..<min(index, start + 9)], as: UTF8.self)
    }

    /// `Z`, `±HH:MM` or `±HHMM` at the cursor (after optional spaces), as `Z` or `±HH:MM`.
    mutating func zone() -> String? {
      skipSpaces()
      if take(0x5a) { return "Z" }
      guard index < bytes.count, bytes[index] == 0x2b || bytes[index] == 0x2d else { return nil }
      let sign = bytes[index] == 0x2b ? "+" : "-"
      index += 1
      guard let hours = digits(2) else { return nil }
      _ = take(0x3a)
      guard let minutes = digits(2), Int(hours)! <= 14, Int(minutes)! < 60 else { return nil }
      return "\(sign)\(hours):\(minutes)"
    }
  }
}
