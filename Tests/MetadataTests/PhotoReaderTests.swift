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

  @Test("EXIF dates keep their offset; an all-zero date is absent")
  func exifDates() {
    #expect(ExifReader.captureDate("2024:03:15 06:30:00", offset: "+07:00") == "2024-03-15T06:30:00+07:00")
    #expect(ExifReader.captureDate("2024:03:15 06:30:00", offset: nil) == "2024-03-15T06:30:00")
    #expect(ExifReader.captureDate("0000:00:00 00:00:00", offset: nil) == nil)
    #expect(ExifReader.captureDate("garbage", offset: nil) == nil)
  }

  @Test("PNG text chunks after IDAT are read, Latin-1 tEXt is decoded")
  func pngText() throws {
    let scan = try PhotoExtractor.read(Fixtures.photo("scan.png"))
    #expect(scan.texts.contains(EmbeddedText(.title, "Ruộng bậc thang Mù Cang Chải", source: .png)))
    let latin1 = try PhotoExtractor.read(Fixtures.photo("latin1-text.png"))
    #expect(latin1.texts == [EmbeddedText(.title, "Café au lait", source: .png)])
  }
}
