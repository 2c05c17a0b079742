import Foundation

@testable import Metadata

/// What exiftool (`-n -G1 -a`) says of a file's capture date, camera and position, chosen in the
/// order of preference MediaBank documents (README, "What is read"), so that the comparison tests
/// and `scripts/compare-metadata` agree on what "agreement" means.
enum Expected {
  /// The capture date in MediaBank's ISO form, and the block it comes from.
  static func capturedAt(_ tags: [String: Any]) -> (value: String, source: MetadataSource)? {
    func string(_ key: String) -> String? { (tags[key] as? String) ?? (tags[key] as? NSNumber)?.stringValue }
    let exifOriginal = string("ExifIFD:DateTimeOriginal") ?? string("IFD0:DateTimeOriginal")
    let iptc = string("IPTC:DateCreated").map { date in string("IPTC:TimeCreated").map { "\(date) \($0)" } ?? date }
    let candidates: [(String?, String?, String?, MetadataSource)] = [
      (exifOriginal, string("ExifIFD:SubSecTimeOriginal"), string("ExifIFD:OffsetTimeOriginal"), .exif),
      (iptc, nil, nil, .iptc),
      (string("XMP-photoshop:DateCreated"), nil, nil, .xmp),
      (string("XMP-exif:DateTimeOriginal"), nil, nil, .xmp),
      (
        string("ExifIFD:CreateDate"), string("ExifIFD:SubSecTimeDigitized"), string("ExifIFD:OffsetTimeDigitized"),
        .exif
      ),
      (string("XMP-xmp:CreateDate"), nil, nil, .xmp),
      (string("PictureInfo:DateTimeOriginal"), nil, nil, .pictureInfo),
    ]
    for (value, subSecond, offset, source) in candidates {
      if let value, let date = normalized(value, subSecond: subSecond, offset: offset) { return (date, source) }
    }
    return nil
  }

  /// exiftool's `2016:06:27 15:29:42.041-04:00` (and what follows, ignored) as
  /// `2016-06-27T15:29:42.041-04:00`.
  static func normalized(_ value: String, subSecond: String?, offset: String?) -> String? {
    let pattern = #"^(\d{4})(?:[:-](\d\d)(?:[:-](\d\d)(?:[ T](\d\d:\d\d(?::\d\d)?)(\.\d+)?)?)?)?\s*(Z|[+-]\d\d:?\d\d)?"#
    let regex = try! NSRegularExpression(pattern: pattern)
    let range = NSRange(value.startIndex..., in: value)
    guard let match = regex.firstMatch(in: value, range: range) else { return nil }
    func group(_ index: Int) -> String? {
      Range(match.range(at: index), in: value).map { String(value[$0]) }
    }
    guard let year = group(1), year != "0000" else { return nil }
    var result = year
    if let month = group(2) { result += "-" + month }
    if let day = group(3) { result += "-" + day }
    guard let time = group(4) else { return result }
    result += "T" + time
    if let fraction = group(5) {
      result += fraction
    } else if let subSecond, !subSecond.isEmpty, time.count == 8 {
      result += "." + subSecond
    }
    if let zone = group(6) {
      result += zone.count == 5 ? zone.prefix(3) + ":" + zone.suffix(2) : zone
    } else if let offset, offset.range(of: #"^[+-]\d\d:\d\d$"#, options: .regularExpression) != nil {
      result += offset
    }
    return result
  }

  /// The camera's make and model, EXIF first, then XMP's `tiff:` properties.
  static func camera(_ tags: [String: Any]) -> (make: String?, model: String?, source: MetadataSource?) {
    let exifMake = tags["IFD0:Make"] as? String
    let exifModel = tags["IFD0:Model"] as? String
    let make = exifMake ?? tags["XMP-tiff:Make"] as? String
    let model = exifModel ?? tags["XMP-tiff:Model"] as? String
    let source: MetadataSource? =
      exifMake != nil || (make == nil && exifModel != nil) ? .exif : (make != nil || model != nil ? .xmp : nil)
    return (make, model, source)
  }

  /// The position, EXIF's GPS IFD first (exiftool's Composite tags), then XMP's `exif:GPS…`.
  static func gps(_ tags: [String: Any]) -> (
    latitude: Double, longitude: Double, altitude: Double?, source: MetadataSource
  )? {
    func number(_ key: String) -> Double? { (tags[key] as? NSNumber)?.doubleValue }
    if let latitude = number("Composite:GPSLatitude"), let longitude = number("Composite:GPSLongitude") {
      return (latitude, longitude, number("Composite:GPSAltitude"), .exif)
    }
    if let latitude = number("XMP-exif:GPSLatitude"), let longitude = number("XMP-exif:GPSLongitude") {
      return (latitude, longitude, number("Composite:GPSAltitude"), .xmp)
    }
    return nil
  }
}
