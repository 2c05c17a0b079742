/// A small, bounds-checked reader of the few TIFF/EXIF entries MediaBank keeps, for the EXIF
/// blocks libexif cannot load completely (an IFD beyond libexif's 64 KB cap, a date written in
/// IFD0, signed or short GPS rationals, a text in a BYTE entry…).
///
/// It reads only IFD0, the Exif IFD and the GPS IFD, only the entries `Tag` lists, and every
/// offset and count is checked against the block, so its work is linear in the block and it
/// never reads outside it. libexif stays the main reader: this one fills the gaps it leaves.
struct TIFFReader {
  /// The entries MediaBank reads, by IFD.
  enum Tag {
    static let make = 0x010f
    static let model = 0x0110
    static let orientation = 0x0112
    static let exifIFD = 0x8769
    static let gpsIFD = 0x8825
    static let dateTimeOriginal = 0x9003
    static let dateTimeDigitized = 0x9004
    static let offsetTimeOriginal = 0x9011
    static let offsetTimeDigitized = 0x9012
    static let subSecTimeOriginal = 0x9291
    static let subSecTimeDigitized = 0x9292
    static let latitudeRef = 0x0001
    static let latitude = 0x0002
    static let longitudeRef = 0x0003
    static let longitude = 0x0004
    static let altitudeRef = 0x0005
    static let altitude = 0x0006

    static let ifd0: Set<Int> = [
      make, model, orientation, exifIFD, gpsIFD, dateTimeOriginal, offsetTimeOriginal, subSecTimeOriginal,
    ]
    static let exif: Set<Int> = [
      dateTimeOriginal, dateTimeDigitized, offsetTimeOriginal, offsetTimeDigitized, subSecTimeOriginal,
      subSecTimeDigitized,
    ]
    static let gps: Set<Int> = [latitudeRef, latitude, longitudeRef, longitude, altitudeRef, altitude]
  }

  /// One directory entry whose value lies wholly inside the block.
  struct Entry {
    var type: Int
    var count: Int
    /// The value's bytes (inline or at its offset).
    var value: ArraySlice<UInt8>
  }

  /// Most entries an IFD may have; a count above it is a corrupt directory.
  static let maximumEntries = 1000

  private let tiff: [UInt8]
  private let bigEndian: Bool
  /// IFD0's entries, then the Exif IFD's and the GPS IFD's (empty when absent or unreadable).
  private(set) var ifd0: [Int: Entry] = [:]
  private(set) var exif: [Int: Entry] = [:]
  private(set) var gps: [Int: Entry] = [:]

  /// Reads a TIFF structure (`II*\0` or `MM\0*`, no `Exif\0\0` header); nil when it has no valid
  /// header or no readable IFD0.
  init?(_ tiff: [UInt8]) {
    guard tiff.count >= 8 else { return nil }
    if tiff.starts(with: [0x49, 0x49, 0x2a, 0x00]) {
      bigEndian = false
    } else if tiff.starts(with: [0x4d, 0x4d, 0x00, 0x2a]) {
      bigEndian = true
    } else {
      return nil
    }
    self.tiff = tiff
    guard let first = directory(at: uint32(at: 4), wanted: Tag.ifd0) else { return nil }
    ifd0 = first
    if let pointer = ifd0[Tag.exifIFD].flatMap(integer) {
      exif = directory(at: pointer, wanted: Tag.exif) ?? [:]
    }
    if let pointer = ifd0[Tag.gpsIFD].flatMap(integer) {
      gps = directory(at: pointer, wanted: Tag.gps) ?? [:]
    }
  }

  /// The entries of `wanted` in the IFD at `offset`; nil when the directory does not fit in the
  /// block (exiftool's "Bad IFD directory").
  private func directory(at offset: Int, wanted: Set<Int>) -> [Int: Entry]? {
    guard offset >= 8, offset <= tiff.count - 2 else { return nil }
    let count = uint16(at: offset)
    guard count > 0, count <= Self.maximumEntries, offset + 2 + 12 * count <= tiff.count else { return nil }
    var entries: [Int: Entry] = [:]
    for index in 0..<count {
      let at = offset + 2 + 12 * index
      let tag = uint16(at: at)
      guard wanted.contains(tag), entries[tag] == nil else { continue }
      let type = uint16(at: at + 2)
      let components = uint32(at: at + 4)
      guard let unit = Self.unitSize(type), components > 0, components <= tiff.count else { continue }
      let size = unit * components
      let start = size <= 4 ? at + 8 : uint32(at: at + 8)
      guard start <= tiff.count, size <= tiff.count - start else { continue }
      entries[tag] = Entry(type: type, count: components, value: tiff[start..<(start + size)])
    }
    return entries
  }

  /// The size of one component of a TIFF type, nil for unknown types.
  private static func unitSize(_ type: Int) -> Int? {
    switch type {
    case 1, 2, 6, 7: 1
    case 3, 8: 2
    case 4, 9, 11, 13: 4
    case 5, 10, 12: 8
    default: nil
    }
  }

  // MARK: Values

  /// The text of an ASCII (or BYTE/UNDEFINED) entry, up to its first NUL, trimmed; nil when
  /// empty.
  func text(_ entry: Entry?) -> String? {
    guard let entry, [1, 2, 7].contains(entry.type) else { return nil }
    let bytes = entry.value.prefix { $0 != 0 }
    return Text.decode(Array(bytes))
  }

  /// The first value of an integer entry (BYTE, SHORT, LONG, or an IFD pointer).
  func integer(_ entry: Entry) -> Int? {
    let value = entry.value
    switch entry.type {
    case 1, 7: return Int(value[value.startIndex])
    case 3: return uint16(at: value.startIndex)
    case 4, 13: return uint32(at: value.startIndex)
    default: return nil
    }
  }

  /// Every value of a RATIONAL, SRATIONAL, integer, FLOAT or DOUBLE entry, as doubles.
  func numbers(_ entry: Entry?) -> [Double]? {
    guard let entry else { return nil }
    let start = entry.value.startIndex
    return (0..<entry.count).compactMap { index -> Double? in
      switch entry.type {
      case 5:
        let denominator = uint32(at: start + 8 * index + 4)
        return denominator == 0 ? nil : Double(uint32(at: start + 8 * index)) / Double(denominator)
      case 10:
        let denominator = Int32(truncatingIfNeeded: uint32(at: start + 8 * index + 4))
        let numerator = Int32(truncatingIfNeeded: uint32(at: start + 8 * index))
        return denominator == 0 ? nil : Double(numerator) / Double(denominator)
      case 1, 7: return Double(entry.value[start + index])
      case 3: return Double(uint16(at: start + 2 * index))
      case 4: return Double(uint32(at: start + 4 * index))
      case 11: return Double(Float(bitPattern: UInt32(uint32(at: start + 4 * index))))
      case 12:
        let high = UInt64(uint32(at: start + 8 * index + (bigEndian ? 0 : 4)))
        let low = UInt64(uint32(at: start + 8 * index + (bigEndian ? 4 : 0)))
        return Double(bitPattern: high << 32 | low)
      default: return nil
      }
    }
  }

  private func uint16(at offset: Int) -> Int {
    bigEndian
      ? Int(tiff[offset]) << 8 | Int(tiff[offset + 1])
      : Int(tiff[offset + 1]) << 8 | Int(tiff[offset])
  }

  private func uint32(at offset: Int) -> Int {
    bigEndian
      ? uint16(at: offset) << 16 | uint16(at: offset + 2)
      : uint16(at: offset + 2) << 16 | uint16(at: offset)
  }

  // MARK: The fields MediaBank keeps

  var make: String? { text(ifd0[Tag.make]) }
  var model: String? { text(ifd0[Tag.model]) }
  var orientation: Int? { ifd0[Tag.orientation].flatMap(integer) }

  /// `DateTimeOriginal` from the Exif IFD, else from IFD0 where some phones write it.
  var dateTimeOriginal: String? {
    for directory in [exif, ifd0] {
      if let date = CaptureDate.parse(
        text(directory[Tag.dateTimeOriginal]), subSecond: text(directory[Tag.subSecTimeOriginal]),
        offset: text(directory[Tag.offsetTimeOriginal]))
      {
        return date
      }
    }
    return nil
  }

  var dateTimeDigitized: String? {
    CaptureDate.parse(
      text(exif[Tag.dateTimeDigitized]), subSecond: text(exif[Tag.subSecTimeDigitized]),
      offset: text(exif[Tag.offsetTimeDigitized]))
  }

  /// The GPS position; nil when latitude or longitude is missing or out of range.
  var position: GPSCoordinate? {
    guard let latitude = numbers(gps[Tag.latitude]).flatMap(GPSCoordinate.degrees),
      let longitude = numbers(gps[Tag.longitude]).flatMap(GPSCoordinate.degrees)
    else { return nil }
    let altitude = numbers(gps[Tag.altitude])?.first
    let below = gps[Tag.altitudeRef].flatMap(integer) == 1
    return GPSCoordinate(
      latitude: latitude, longitude: longitude, southern: text(gps[Tag.latitudeRef])?.uppercased() == "S",
      western: text(gps[Tag.longitudeRef])?.uppercased() == "W", altitude: altitude.map { below ? -$0 : $0 })
  }
}

extension GPSCoordinate {
  /// Degrees from one to three numbers (degrees, minutes, seconds), as exiftool's `ToDegrees`
  /// takes them; nil when there are none or one is not finite.
  static func degrees(_ parts: [Double]) -> Double? {
    guard !parts.isEmpty, parts.count <= 3, parts.allSatisfy(\.isFinite) else { return nil }
    return parts.enumerated().reduce(0) { $0 + $1.element / [1, 60, 3600][$1.offset] }
  }

  /// A position from unsigned degrees and their hemispheres, rounded to seven decimals (about a
  /// centimetre); nil when out of range.
  init?(latitude: Double, longitude: Double, southern: Bool, western: Bool, altitude: Double?) {
    let lat = southern ? -abs(latitude) : latitude
    let lon = western ? -abs(longitude) : longitude
    guard lat.isFinite, lon.isFinite, abs(lat) <= 90, abs(lon) <= 180 else { return nil }
    func rounded(_ value: Double) -> Double { (value * 1e7).rounded() / 1e7 }
    self.init(latitude: rounded(lat), longitude: rounded(lon), altitude: altitude.flatMap { $0.isFinite ? $0 : nil })
  }
}
