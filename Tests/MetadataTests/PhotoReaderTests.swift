import Foundation
import Testing

@testable import Metadata

@Suite struct BadInputTests {
  @Test(
    "bad files are refused with a reason",
    arguments: [
      ("empty.jpg", "empty file (0 bytes)"),
      ("not-a-photo.jpg", "not a JPEG file (starts with 0x6e 0x6f)"),
      ("bad-crc.png", "corrupt PNG (bad CRC in IHDR chunk)"),
      (
        "bomb.jpg",
        "image is 60000 x 60000 pixels (3600 megapixels), above the limit of 200 megapixels "
          + "(possible decompression bomb; raise it with --max-megapixels)"
      ),
      (
        "bomb.png",
        "image is 50000 x 50000 pixels (2500 megapixels), above the limit of 200 megapixels "
          + "(possible decompression bomb; raise it with --max-megapixels)"
      ),
    ])
  func refused(name: String, reason: String) {
    #expect(throws: MetadataError(reason, exceedsPixelLimit: name.hasPrefix("bomb"))) {
      try PhotoExtractor.read(Fixtures.bad(name))
    }
  }

  @Test("an FNumber or focal length of 0 (manual lenses) means unknown: absent, not refused")
  func zeroExposureValues() throws {
    let copy = FileManager.default.temporaryDirectory.appendingPathComponent("fnumber-0-\(UUID()).jpg").path
    try FileManager.default.copyItem(atPath: Fixtures.photo("nui-coc-vi-en.jpg"), toPath: copy)
    defer { try? FileManager.default.removeItem(atPath: copy) }
    _ = try run("exiftool", ["-q", "-overwrite_original", "-FNumber=0", "-FocalLength=0", copy])
    let check = String(decoding: try run("exiftool", ["-s3", "-n", "-FNumber", "-ISO", copy]), as: UTF8.self)
    #expect(check == "0\n100\n", "exiftool wrote FNumber 0")
    let metadata = try PhotoExtractor.read(copy)
    #expect(metadata.exposure?.fNumber == nil && metadata.exposure?.focalLength == nil)
    #expect(metadata.exposure?.iso == 100)
  }

  @Test("a truncated JPEG has intact headers, and its pixels decode to a partial preview, marked damaged")
  func truncated() throws {
    let path = Fixtures.bad("truncated.jpg")
    let metadata = try PhotoExtractor.read(path)
    #expect(metadata.storedWidth == 320)
    let thumbnail = try Thumbnailer.thumbnail(of: path, metadata: metadata)
    #expect(thumbnail.damaged == "truncated JPEG (the image data ends early: Premature end of JPEG file)")
    #expect(thumbnail.width == 320 && thumbnail.height == 240)
  }

  @Test("the pixel limit is configurable")
  func pixelLimit() throws {
    let path = Fixtures.photo("nui-coc-vi-en.jpg")
    let error = #expect(throws: MetadataError.self) { try PhotoExtractor.read(path, maxPixels: 300_000) }
    #expect(error?.exceedsPixelLimit == true)
    #expect(try PhotoExtractor.read(path, maxPixels: 307_200).storedWidth == 640)
  }

  @Test("a file whose extension lies is read by its content")
  func wrongExtension() throws {
    #expect(try PhotoExtractor.format(of: Fixtures.photo("wrong-extension.png")) == .jpeg)
    #expect(try PhotoExtractor.format(of: Fixtures.photo("iphone.heic")) == .heic)
  }

  @Test("a directory is not a photo")
  func directory() {
    #expect(throws: MetadataError("not a regular file")) {
      try PhotoExtractor.read(Fixtures.root.path)
    }
  }
}

@Suite struct ThumbnailTests {
  @Test("all eight EXIF orientations are applied: red ends up top-left", arguments: 1...8)
  func orientation(_ orientation: Int) throws {
    let path = Fixtures.photo("orientation-\(orientation).jpg")
    let metadata = try PhotoExtractor.read(path)
    #expect(metadata.orientation == orientation)
    #expect(metadata.width == 64 && metadata.height == 48)
    let image = try decode(try Thumbnailer.thumbnail(of: path, metadata: metadata))
    #expect(image.width == 64 && image.height == 48)
    #expect(image.color(x: 4, y: 4) == .red)
    #expect(image.color(x: 59, y: 4) == .green)
    #expect(image.color(x: 4, y: 43) == .blue)
    #expect(image.color(x: 59, y: 43) == .white)
  }

  @Test(
    "previews fit 320 pixels on the long edge for every format",
    arguments: [
      ("nui-coc-vi-en.jpg", 320, 240), ("scan.png", 320, 240), ("iphone.heic", 320, 240),
      ("latin1-text.png", 200, 150), ("gps-southwest.jpg", 320, 240),
    ])
  func size(name: String, width: Int, height: Int) throws {
    let path = Fixtures.photo(name)
    let thumbnail = try Thumbnailer.thumbnail(of: path, metadata: try PhotoExtractor.read(path))
    #expect(thumbnail.jpeg.starts(with: [0xff, 0xd8, 0xff]))
    #expect((thumbnail.width, thumbnail.height) == (width, height))
    let image = try decode(thumbnail)
    #expect((image.width, image.height) == (width, height))
  }

  @Test("the box filter averages: a 2x2 block of 0 and 255 becomes 128")
  func boxFilter() {
    let pixels: [UInt8] = [0, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 0]
    let image = pixels.withUnsafeBufferPointer { buffer in
      RGBImage.downscaling(width: 2, height: 2, longEdge: 1) { buffer.baseAddress! + $0 * 6 }
    }
    #expect(image == RGBImage(width: 1, height: 1, pixels: [128, 128, 128]))
  }

  private func decode(_ thumbnail: Thumbnail) throws -> RGBImage {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("thumb-\(UUID()).jpg").path
    _ = FileManager.default.createFile(atPath: path, contents: Data(thumbnail.jpeg))
    defer { try? FileManager.default.removeItem(atPath: path) }
    var issues: [String] = []
    return try Thumbnailer.decodeJPEG(path, longEdge: 10_000, issues: &issues)
  }
}

enum Color { case red, green, blue, white, other }

extension RGBImage {
  func color(x: Int, y: Int) -> Color {
    let offset = (y * width + x) * 3
    let (r, g, b) = (pixels[offset], pixels[offset + 1], pixels[offset + 2])
    func high(_ v: UInt8) -> Bool { v > 200 }
    func low(_ v: UInt8) -> Bool { v < 60 }
    switch (high(r), high(g), high(b), low(r), low(g), low(b)) {
    case (true, _, _, _, true, true): return .red
    case (_, true, _, true, _, true): return .green
    case (_, _, true, true, true, _): return .blue
    case (true, true, true, _, _, _): return .white
    default: return .other
    }
  }
}

@Suite struct EmbeddedTextTests {
  @Test("XMP in attribute and element form, language alternatives, NFC normalisation")
  func xmp() {
    let decomposed = "Ho\u{302}\u{300} Nu\u{301}i Co\u{302}\u{301}c"  // "Hồ Núi Cốc" in NFD
    let packet = """
      <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
      <rdf:Description xmlns:ps="http://ns.adobe.com/photoshop/1.0/" ps:City="Đại Từ"
        xmlns:dc="http://purl.org/dc/elements/1.1/">
      <dc:title><rdf:Alt><rdf:li xml:lang="x-default">\(decomposed)</rdf:li>
        <rdf:li xml:lang="vi">\(decomposed)</rdf:li><rdf:li xml:lang="en">Nui Coc Lake</rdf:li></rdf:Alt></dc:title>
      <dc:rights><rdf:Alt><rdf:li xml:lang="x-default">CC BY 4.0</rdf:li></rdf:Alt></dc:rights>
      <dc:subject><rdf:Bag><rdf:li>hồ</rdf:li><rdf:li>du lịch</rdf:li></rdf:Bag></dc:subject>
      </rdf:Description></rdf:RDF></x:xmpmeta>
      """
    var metadata = PhotoMetadata(format: .jpeg, width: 1, height: 1)
    XMPReader.read(Array(packet.utf8), into: &metadata)
    #expect(
      metadata.texts == [
        EmbeddedText(.city, "Đại Từ", source: .xmp),
        EmbeddedText(.title, "Hồ Núi Cốc", language: "vi", source: .xmp),
        EmbeddedText(.title, "Nui Coc Lake", language: "en", source: .xmp),
        EmbeddedText(.copyright, "CC BY 4.0", source: .xmp),
        EmbeddedText(.keyword, "hồ", source: .xmp),
        EmbeddedText(.keyword, "du lịch", source: .xmp),
      ])
    #expect(metadata.issues.isEmpty)
  }

  @Test("malformed XMP is recorded as a problem, not fatal")
  func malformedXMP() {
    var metadata = PhotoMetadata(format: .jpeg, width: 1, height: 1)
    XMPReader.read(Array("<x:xmpmeta><unclosed".utf8), into: &metadata)
    #expect(metadata.texts.isEmpty)
    #expect(metadata.issues == ["XMP packet is not well-formed XML; XMP ignored"])
  }

  @Test("IPTC without the UTF-8 marker falls back to Latin-1 for bytes that are not UTF-8")
  func iptcLatin1() {
    let caption: [UInt8] = Array("Caf".utf8) + [0xe9]  // "Café" in ISO 8859-1
    let iim: [UInt8] = [0x1c, 2, 120, 0, UInt8(caption.count)] + caption
    var resource: [UInt8] = Array("8BIM".utf8) + [0x04, 0x04, 0, 0]
    resource += [0, 0, 0, UInt8(iim.count)] + iim
    var metadata = PhotoMetadata(format: .jpeg, width: 1, height: 1)
    IPTCReader.read(IPTCReader.header + resource, into: &metadata)
    #expect(metadata.texts == [EmbeddedText(.description, "Café", source: .iptc)])
  }

  @Test("dates keep their fraction and offset; a bad suffix never drops the date")
  func captureDates() {
    #expect(CaptureDate.parse("2024:03:15 06:30:00", offset: "+07:00") == "2024-03-15T06:30:00+07:00")
    #expect(CaptureDate.parse("2024:03:15 06:30:00") == "2024-03-15T06:30:00")
    #expect(CaptureDate.parse("0000:00:00 00:00:00") == nil)
    #expect(CaptureDate.parse("    :  :     :  :  ") == nil)
    #expect(CaptureDate.parse("garbage") == nil)
    #expect(
      CaptureDate.parse("2016:06:27 15:29:42", subSecond: "041", offset: "-04:00") == "2016-06-27T15:29:42.041-04:00")
    #expect(CaptureDate.parse("2016:06:27 15:29:42.041-04:00") == "2016-06-27T15:29:42.041-04:00")
    #expect(CaptureDate.parse("2016-06-27T15:29:42Z") == "2016-06-27T15:29:42Z")
    #expect(CaptureDate.parse("2016:06:27 15:29:42 PM garbage", offset: "+07:00") == "2016-06-27T15:29:42+07:00")
    #expect(CaptureDate.parse("2016:06:27 15:29:42\u{0}\u{0}") == "2016-06-27T15:29:42")
    #expect(CaptureDate.parse("2016:06:27 15:29:42+0530") == "2016-06-27T15:29:42+05:30")
    #expect(CaptureDate.parse("2016:06:27 15:29:42", offset: "garbage") == "2016-06-27T15:29:42")
    #expect(CaptureDate.parse("2016-06-27") == "2016-06-27")
    #expect(CaptureDate.parse("2016-06") == "2016-06")
    #expect(CaptureDate.parse("2016") == "2016")
    #expect(CaptureDate.parse("2016-06-27T15:29") == "2016-06-27T15:29")
    #expect(CaptureDate.iptc(date: "20140902", time: "074500+0700") == "2014-09-02T07:45:00+07:00")
    #expect(CaptureDate.iptc(date: "20140902", time: nil) == "2014-09-02")
    #expect(CaptureDate.iptc(date: "2014", time: "074500") == nil)
    #expect(CaptureDate.unixTime(966_132_513) == "2000-08-13T02:08:33")
    #expect(CaptureDate.unixTime(951_782_400) == "2000-02-29T00:00:00")
    #expect(CaptureDate.unixTime(0) == nil)
  }

  @Test("XMP GPS coordinates in DD,MM.mmk, DD,MM,SSk and decimal forms")
  func xmpCoordinates() {
    #expect(XMPReader.coordinate("22,57.114S", negative: "S").map { ($0 * 1e6).rounded() / 1e6 } == -22.9519)
    #expect(XMPReader.coordinate("43,12,37.8W", negative: "W").map { ($0 * 1e6).rounded() / 1e6 } == -43.2105)
    #expect(XMPReader.coordinate("16.4637", negative: "S") == 16.4637)
    #expect(XMPReader.coordinate("north", negative: "S") == nil)
    #expect(XMPReader.coordinate("1,2,3,4N", negative: "S") == nil)
  }

  @Test("XMP dates, camera and GPS in element and attribute form; a structure's GPS is another place")
  func xmpTechnical() {
    let packet = """
      <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
      <rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/"
        xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" tiff:Make="Nikon"
        exif:DateTimeOriginal="2016-06-27T15:29:42.041-04:00">
        <tiff:Model>D750</tiff:Model>
        <Iptc4xmpExt:LocationShown><rdf:Bag><rdf:li><rdf:Description exif:GPSLatitude="1,0N">
          <exif:GPSLongitude>2,0E</exif:GPSLongitude></rdf:Description></rdf:li></rdf:Bag>
        </Iptc4xmpExt:LocationShown>
      </rdf:Description></rdf:RDF></x:xmpmeta>
      """
    var metadata = PhotoMetadata(format: .jpeg, width: 1, height: 1)
    XMPReader.read(Array(packet.utf8), into: &metadata)
    metadata.resolveCandidates()
    #expect(metadata.cameraMake == "Nikon" && metadata.cameraModel == "D750" && metadata.cameraSource == .xmp)
    #expect(metadata.capturedAt == "2016-06-27T15:29:42.041-04:00" && metadata.capturedAtSource == .xmp)
    #expect(metadata.gps == nil && metadata.gpsSource == nil)
  }

  @Test("APP12 Picture Info: TimeDate as seconds since 1970, or as a date")
  func pictureInfo() {
    let block = Array("[picture info]\r\nTimeDate=966132513\r\nShutter=1000\r\n".utf8)
    #expect(JPEGReader.pictureInfoDate(block) == "2000-08-13T02:08:33")
    #expect(JPEGReader.pictureInfoDate(Array("TimeDate=966132513 Shutter=1000".utf8)) == "2000-08-13T02:08:33")
    #expect(JPEGReader.pictureInfoDate(Array("xTimeDate=966132513".utf8)) == nil)
    #expect(JPEGReader.pictureInfoDate(Array("TimeDate=2001:02:03 04:05:06".utf8)) == "2001-02-03T04:05:06")
    #expect(JPEGReader.pictureInfoDate(Array("TimeDate=".utf8)) == nil)
  }

  @Test("PNG raw profiles: ImageMagick's hex text, bounded by its announced length")
  func rawProfiles() {
    #expect(RawProfile.decode(Array("\nexif\n       4\n45786966\n".utf8)) == Array("Exif".utf8))
    #expect(RawProfile.decode(Array("\nexif\n       4\n4578\n6966".utf8)) == Array("Exif".utf8))
    #expect(RawProfile.decode(Array("\nexif\n       8\n45786966\n".utf8)) == nil)  // Shorter than announced.
    #expect(RawProfile.decode(Array("\nexif\n       2\n45zz\n".utf8)) == nil)
    #expect(RawProfile.decode(Array("\nexif\n999999999999\n00".utf8)) == nil)
    #expect(RawProfile.decode([]) == nil)
  }

  @Test("PNG text chunks after IDAT are read, Latin-1 tEXt is decoded")
  func pngText() throws {
    let scan = try PhotoExtractor.read(Fixtures.photo("scan.png"))
    #expect(scan.texts.contains(EmbeddedText(.title, "Ruộng bậc thang Mù Cang Chải", source: .png)))
    let latin1 = try PhotoExtractor.read(Fixtures.photo("latin1-text.png"))
    #expect(latin1.texts == [EmbeddedText(.title, "Café au lait", source: .png)])
  }
}
