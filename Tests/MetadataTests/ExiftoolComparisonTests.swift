import Foundation
import Testing

@testable import Metadata

/// Every fixture's metadata, field by field, against what exiftool says of the same file.
@Suite struct ExiftoolComparisonTests {
  /// exiftool's JSON (`-n -G1 -a`) for every good fixture, keyed by file path. Written once,
  /// then only read.
  nonisolated(unsafe) static let exiftool: [String: [String: Any]] = {
    guard let data = try? run("exiftool", ["-json", "-n", "-G1", "-a"] + allPhotos),
      let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
    else { return [:] }
    return Dictionary(uniqueKeysWithValues: list.map { ($0["SourceFile"] as! String, $0) })
  }()

  /// The photos compared: `Fixtures/photos` and `Fixtures/metadata`.
  static let allPhotos = Fixtures.photos + Fixtures.metadataPhotos

  /// exiftool tag → (field, source). Tags listed as language alternatives carry `-xx` suffixes.
  static let textTags: [String: (TextField, MetadataSource)] = [
    "XMP-dc:Title": (.title, .xmp), "XMP-dc:Description": (.description, .xmp),
    "XMP-dc:Subject": (.keyword, .xmp), "XMP-dc:Creator": (.creator, .xmp),
    "XMP-dc:Rights": (.copyright, .xmp), "XMP-xmpRights:UsageTerms": (.usageTerms, .xmp),
    "XMP-xmpRights:WebStatement": (.license, .xmp), "XMP-photoshop:City": (.city, .xmp),
    "XMP-photoshop:State": (.state, .xmp), "XMP-photoshop:Credit": (.credit, .xmp),
    "XMP-iptcCore:Location": (.location, .xmp),
    "IPTC:ObjectName": (.title, .iptc), "IPTC:Caption-Abstract": (.description, .iptc),
    "IPTC:Keywords": (.keyword, .iptc), "IPTC:By-line": (.creator, .iptc),
    "IPTC:City": (.city, .iptc), "IPTC:Sub-location": (.location, .iptc),
    "IPTC:Province-State": (.state, .iptc), "IPTC:CopyrightNotice": (.copyright, .iptc),
    "IPTC:Credit": (.credit, .iptc),
    "IFD0:ImageDescription": (.description, .exif), "IFD0:Artist": (.creator, .exif),
    "IFD0:Copyright": (.copyright, .exif),
    "PNG:Title": (.title, .png), "PNG:Description": (.description, .png),
    "PNG:Author": (.creator, .png), "PNG:Copyright": (.copyright, .png),
  ]

  @Test("exiftool is installed (the test command installs it)")
  func exiftoolAvailable() {
    #expect(Self.exiftool.count == Self.allPhotos.count)
    #expect(Fixtures.metadataPhotos.count >= 15)
  }

  @Test("technical fields match exiftool", arguments: allPhotos)
  func technical(path: String) throws {
    let expected = try #require(Self.exiftool[path])
    let metadata = try PhotoExtractor.read(path)
    let width = expected["File:ImageWidth"] ?? expected["PNG:ImageWidth"]
    let height = expected["File:ImageHeight"] ?? expected["PNG:ImageHeight"]
    #expect(metadata.storedWidth == width as? Int)
    #expect(metadata.storedHeight == height as? Int)
    #expect(metadata.orientation == expected["IFD0:Orientation"] as? Int)
    let camera = Expected.camera(expected)
    #expect(metadata.cameraMake == camera.make)
    #expect(metadata.cameraModel == camera.model)
    #expect(metadata.cameraSource == camera.source)
    let captured = Expected.capturedAt(expected)
    #expect(metadata.capturedAt == captured?.value)
    #expect(metadata.capturedAtSource == captured?.source)
    let position = Expected.gps(expected)
    #expect(metadata.gps?.latitude.isClose(to: position?.latitude) ?? (position == nil))
    #expect(metadata.gps?.longitude.isClose(to: position?.longitude) ?? (position == nil))
    #expect(metadata.gps?.altitude?.isClose(to: position?.altitude) ?? (position?.altitude == nil))
    #expect(metadata.gpsSource == position?.source)
    let exposureTime = expected["ExifIFD:ExposureTime"] as? Double
    #expect(metadata.exposure?.exposureTime.map(seconds)?.isClose(to: exposureTime) ?? (exposureTime == nil))
    #expect(metadata.exposure?.fNumber == (expected["ExifIFD:FNumber"] as? NSNumber)?.doubleValue)
    #expect(metadata.exposure?.iso == expected["ExifIFD:ISO"] as? Int)
    #expect(metadata.exposure?.focalLength == (expected["ExifIFD:FocalLength"] as? NSNumber)?.doubleValue)
    #expect(metadata.issues == [])
  }

  @Test("descriptive fields match exiftool, with their language and source", arguments: allPhotos)
  func descriptive(path: String) throws {
    let expected = try #require(Self.exiftool[path])
    var wanted: [String] = []
    var defaults: [(TextField, MetadataSource, String)] = []
    for (key, value) in expected {
      var base = key
      var language: String?
      if Self.textTags[key] == nil, key.hasPrefix("XMP-"), let dash = key.lastIndex(of: "-") {
        base = String(key[..<dash])  // XMP-dc:Title-vi → XMP-dc:Title, language vi.
        language = String(key[key.index(after: dash)...])
      }
      guard let (field, source) = Self.textTags[base] else { continue }
      let values = (value as? [Any])?.map { "\($0)" } ?? ["\(value)"]
      for text in values {
        if language == nil && source == .xmp && [.title, .description, .copyright, .usageTerms].contains(field) {
          defaults.append((field, source, text))  // x-default: resolved below.
        } else {
          wanted.append(describe(field, language ?? "und", text, source))
        }
      }
    }
    for (field, source, text) in defaults {
      let duplicate = wanted.contains {
        $0.hasPrefix("\(field.rawValue)|") && $0.hasSuffix("|\(text)|\(source.rawValue)")
      }
      if !duplicate { wanted.append(describe(field, "und", text, source)) }
    }
    let metadata = try PhotoExtractor.read(path)
    let got = metadata.texts.map { describe($0.field, $0.language, $0.value, $0.source) }
    #expect(got.sorted() == wanted.sorted())
  }

  @Test("a JPEG with a damaged EXIF block is still read, and the problem is recorded")
  func corruptExif() throws {
    let path = Fixtures.bad("corrupt-exif.jpg")
    let metadata = try PhotoExtractor.read(path)
    #expect(metadata.storedWidth == 160 && metadata.storedHeight == 120)
    #expect(metadata.cameraMake == nil)
    #expect(metadata.issues == ["EXIF block is corrupt (no readable entries in IFD0); EXIF ignored"])
  }

  private func describe(_ field: TextField, _ language: String, _ value: String, _ source: MetadataSource) -> String {
    "\(field.rawValue)|\(language)|\(value.precomposedStringWithCanonicalMapping)|\(source.rawValue)"
  }

  private func seconds(_ exposure: String) -> Double {
    let parts = exposure.split(separator: "/")
    return parts.count == 2 ? Double(parts[0])! / Double(parts[1])! : Double(exposure)!
  }
}

extension Double {
  func isClose(to other: Double?) -> Bool {
    guard let other else { return false }
    return abs(self - other) < 1e-6
  }
}
