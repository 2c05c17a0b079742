import CExif
import Foundation

/// Reads the EXIF fields MediaBank keeps, with libexif.
///
/// libexif is used with `FOLLOW_SPECIFICATION` off, so it never adds the "mandatory" tags with
/// invented defaults: absent values stay absent.
enum ExifReader {
  /// Parses a TIFF-structured EXIF block (with or without the `Exif\0\0` header) into `metadata`.
  static func read(_ block: [UInt8], into metadata: inout PhotoMetadata) {
    let header: [UInt8] = Array("Exif".utf8) + [0, 0]
    let payload = block.starts(with: header) ? block : header + block
    let tiff = payload.dropFirst(6)
    guard tiff.starts(with: [0x49, 0x49, 0x2a, 0x00]) || tiff.starts(with: [0x4d, 0x4d, 0x00, 0x2a])
    else {
      metadata.issues.append("EXIF block has no valid TIFF header; EXIF ignored")
      return
    }
    guard let data = exif_data_new() else { return }
    defer { exif_data_unref(data) }
    exif_data_unset_option(data, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION)
    payload.withUnsafeBufferPointer { buffer in
      exif_data_load_data(data, buffer.baseAddress, UInt32(buffer.count))
    }
    let block = ExifBlock(data: data)
    guard block.entryCount(.zero) > 0 else {
      // libexif gave up on IFD0: MediaBank's own reader may still find the fields.
      if !fillGaps(from: Array(tiff), into: &metadata) {
        metadata.issues.append("EXIF block is corrupt (no readable entries in IFD0); EXIF ignored")
      }
      return
    }
    metadata.candidates.exifMake = block.ascii(.zero, 0x010f)
    metadata.candidates.exifModel = block.ascii(.zero, 0x0110)
    if let orientation = block.integer(.zero, 0x0112) {
      if (1...8).contains(orientation) {
        metadata.orientation = orientation
      } else {
        metadata.issues.append("EXIF orientation \(orientation) is not 1–8; ignored")
      }
    }
    metadata.candidates.exifOriginal = CaptureDate.parse(
      block.ascii(.exif, 0x9003), subSecond: block.ascii(.exif, 0x9291), offset: block.ascii(.exif, 0x9011))
    metadata.candidates.exifDigitized = CaptureDate.parse(
      block.ascii(.exif, 0x9004), subSecond: block.ascii(.exif, 0x9292), offset: block.ascii(.exif, 0x9012))
    metadata.candidates.exifGPS = gps(block, issues: &metadata.issues)
    let exposure = Exposure(
      exposureTime: block.rational(.exif, 0x829a).map(exposureTime),
      // 0 means "unknown" (manual lenses write it): absent, not a value.
      fNumber: block.rational(.exif, 0x829d).map(\.value).flatMap { $0 > 0 && $0.isFinite ? $0 : nil },
      iso: block.integer(.exif, 0x8827).flatMap { $0 > 0 ? $0 : nil },
      focalLength: block.rational(.exif, 0x920a).map(\.value).flatMap { $0 > 0 && $0.isFinite ? $0 : nil })
    metadata.exposure = exposure.isEmpty ? nil : exposure
    for (tag, field) in [(0x010e, TextField.description), (0x013b, .creator), (0x8298, .copyright)] {
      if let value = block.ascii(.zero, tag) {
        metadata.texts.append(EmbeddedText(field, value, source: .exif))
      }
    }
    let found = metadata.candidates
    if found.exifMake == nil || found.exifModel == nil || found.exifOriginal == nil || found.exifGPS == nil
      || metadata.orientation == nil
    {
      fillGaps(from: Array(tiff), into: &metadata)
    }
  }

  /// Fills the fields libexif left empty with what `TIFFReader` finds in the same block; returns
  /// whether it found anything. Runs only when a field is missing, so it costs nothing when
  /// libexif read them all.
  @discardableResult
  static func fillGaps(from tiff: [UInt8], into metadata: inout PhotoMetadata) -> Bool {
    guard let reader = TIFFReader(tiff) else { return false }
    var found = metadata.candidates
    let before = found
    found.exifMake = found.exifMake ?? reader.make
    found.exifModel = found.exifModel ?? reader.model
    found.exifOriginal = found.exifOriginal ?? reader.dateTimeOriginal
    found.exifDigitized = found.exifDigitized ?? reader.dateTimeDigitized
    found.exifGPS = found.exifGPS ?? reader.position
    metadata.candidates = found
    var orientationFound = false
    if metadata.orientation == nil, let orientation = reader.orientation, (1...8).contains(orientation) {
      metadata.orientation = orientation
      orientationFound = true
    }
    return found != before || orientationFound
  }

  private static func gps(_ block: ExifBlock, issues: inout [String]) -> GPSCoordinate? {
    guard let latitude = block.rationals(.gps, 0x0002), let longitude = block.rationals(.gps, 0x0004)
    else { return nil }
    guard let lat = GPSCoordinate.degrees(latitude.map(\.value)),
      let lon = GPSCoordinate.degrees(longitude.map(\.value))
    else {
      issues.append("GPS position is malformed; ignored")
      return nil
    }
    var altitude = block.rational(.gps, 0x0006)?.value
    if let value = altitude, block.byte(.gps, 0x0005) == 1 { altitude = -value }
    guard
      let position = GPSCoordinate(
        latitude: lat, longitude: lon, southern: block.ascii(.gps, 0x0001)?.uppercased() == "S",
        western: block.ascii(.gps, 0x0003)?.uppercased() == "W", altitude: altitude)
    else {
      issues.append("GPS position is out of range; ignored")
      return nil
    }
    return position
  }

  private static func exposureTime(_ value: Rational) -> String {
    if value.numerator == 1
      || (value.numerator > 0 && value.denominator % value.numerator == 0
        && value.denominator > value.numerator)
    {
      return "1/\(value.denominator / value.numerator)"
    }
    let seconds = value.value
    return seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
  }
}

/// An unsigned EXIF rational.
struct Rational {
  var numerator: UInt32
  var denominator: UInt32
  var value: Double { denominator == 0 ? .nan : Double(numerator) / Double(denominator) }
}

/// Typed access to the entries of a loaded `ExifData`.
private struct ExifBlock {
  enum IFD: Int { case zero = 0, exif = 2, gps = 3 }

  let data: UnsafeMutablePointer<ExifData>
  let order: ExifByteOrder

  init(data: UnsafeMutablePointer<ExifData>) {
    self.data = data
    self.order = exif_data_get_byte_order(data)
  }

  func entryCount(_ ifd: IFD) -> Int {
    content(ifd).map { Int($0.pointee.count) } ?? 0
  }

  private func content(_ ifd: IFD) -> UnsafeMutablePointer<ExifContent>? {
    withUnsafeBytes(of: data.pointee.ifd) { raw in
      raw.load(
        fromByteOffset: ifd.rawValue * MemoryLayout<UnsafeMutablePointer<ExifContent>?>.stride,
        as: UnsafeMutablePointer<ExifContent>?.self)
    }
  }

  private func entry(_ ifd: IFD, _ tag: Int) -> UnsafeMutablePointer<ExifEntry>? {
    guard let content = content(ifd),
      let entry = exif_content_get_entry(content, ExifTag(rawValue: UInt32(tag))),
      entry.pointee.data != nil, entry.pointee.components > 0
    else { return nil }
    let unit = Int(exif_format_get_size(entry.pointee.format))
    guard unit > 0, Int(entry.pointee.size) >= unit * Int(entry.pointee.components) else {
      return nil
    }
    return entry
  }

  func ascii(_ ifd: IFD, _ tag: Int) -> String? {
    guard let entry = entry(ifd, tag), entry.pointee.format == EXIF_FORMAT_ASCII else { return nil }
    let bytes = UnsafeBufferPointer(start: entry.pointee.data, count: Int(entry.pointee.size))
    return Text.decode(bytes)
  }

  func byte(_ ifd: IFD, _ tag: Int) -> UInt8? {
    guard let entry = entry(ifd, tag), entry.pointee.format == EXIF_FORMAT_BYTE else { return nil }
    return entry.pointee.data[0]
  }

  func integer(_ ifd: IFD, _ tag: Int) -> Int? {
    guard let entry = entry(ifd, tag) else { return nil }
    switch entry.pointee.format {
    case EXIF_FORMAT_SHORT: return Int(exif_get_short(entry.pointee.data, order))
    case EXIF_FORMAT_LONG: return Int(exif_get_long(entry.pointee.data, order))
    case EXIF_FORMAT_BYTE: return Int(entry.pointee.data[0])
    default: return nil
    }
  }

  func rationals(_ ifd: IFD, _ tag: Int) -> [Rational]? {
    guard let entry = entry(ifd, tag), entry.pointee.format == EXIF_FORMAT_RATIONAL else {
      return nil
    }
    return (0..<Int(entry.pointee.components)).map { index in
      let value = exif_get_rational(entry.pointee.data + index * 8, order)
      return Rational(numerator: value.numerator, denominator: value.denominator)
    }
  }

  func rational(_ ifd: IFD, _ tag: Int) -> Rational? {
    guard let value = rationals(ifd, tag)?.first, value.denominator != 0 else { return nil }
    return value
  }
}
