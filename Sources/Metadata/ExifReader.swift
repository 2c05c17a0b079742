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
      metadata.issues.append("EXIF block is corrupt (no readable entries in IFD0); EXIF ignored")
      return
    }
    metadata.cameraMake = block.ascii(.zero, 0x010f)
    metadata.cameraModel = block.ascii(.zero, 0x0110)
    if let orientation = block.integer(.zero, 0x0112) {
      if (1...8).contains(orientation) {
        metadata.orientation = orientation
      } else {
        metadata.issues.append("EXIF orientation \(orientation) is not 1–8; ignored")
      }
    }
    metadata.capturedAt =
      captureDate(block.ascii(.exif, 0x9003), offset: block.ascii(.exif, 0x9011))
      ?? captureDate(block.ascii(.exif, 0x9004), offset: block.ascii(.exif, 0x9012))
    metadata.gps = gps(block, issues: &metadata.issues)
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
  }

  /// `2024:03:15 06:30:00` and `+07:00` → `2024-03-15T06:30:00+07:00`.
  static func captureDate(_ value: String?, offset: String?) -> String? {
    guard let value else { return nil }
    let bytes = Array(value.utf8)
    guard bytes.count >= 19, bytes[4] == 0x3a, bytes[7] == 0x3a, bytes[10] == 0x20 || bytes[10] == 0x54,
      bytes[13] == 0x3a, bytes[16] == 0x3a,
      [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18].allSatisfy({ (0x30...0x39).contains(bytes[$0]) })
    else { return nil }
    let text = String(decoding: bytes[0..<19], as: UTF8.self)
    let date = text.prefix(10).replacingOccurrences(of: ":", with: "-")
    guard date != "0000-00-00" else { return nil }
    var result = "\(date)T\(text.suffix(8))"
    if let offset, offset.utf8.count == 6, offset.first == "+" || offset.first == "-",
      Array(offset.utf8)[3] == 0x3a
    {
      result += offset
    }
    return result
  }

  private static func gps(_ block: ExifBlock, issues: inout [String]) -> GPSCoordinate? {
    guard let latitude = block.rationals(.gps, 0x0002), let longitude = block.rationals(.gps, 0x0004)
    else { return nil }
    guard latitude.count == 3, longitude.count == 3 else {
      issues.append("GPS position is malformed; ignored")
      return nil
    }
    func degrees(_ parts: [Rational]) -> Double {
      parts[0].value + parts[1].value / 60 + parts[2].value / 3600
    }
    var lat = degrees(latitude)
    var lon = degrees(longitude)
    if block.ascii(.gps, 0x0001)?.uppercased() == "S" { lat = -lat }
    if block.ascii(.gps, 0x0003)?.uppercased() == "W" { lon = -lon }
    guard lat.isFinite, lon.isFinite, abs(lat) <= 90, abs(lon) <= 180 else {
      issues.append("GPS position is out of range; ignored")
      return nil
    }
    var altitude = block.rational(.gps, 0x0006)?.value
    if let value = altitude, block.byte(.gps, 0x0005) == 1 { altitude = -value }
    // Seven decimals is about a centimetre; more digits are only floating-point noise.
    func rounded(_ value: Double) -> Double { (value * 1e7).rounded() / 1e7 }
    return GPSCoordinate(
      latitude: rounded(lat), longitude: rounded(lon), altitude: altitude.flatMap { $0.isFinite ? $0 : nil })
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
