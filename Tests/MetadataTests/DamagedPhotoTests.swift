import Foundation
import Testing

@testable import Metadata

/// Photos whose header and metadata are intact but whose pixel data is truncated or corrupt
/// (`Fixtures/damaged/`, made by `scripts/make-damaged-fixtures`): the metadata is read, the
/// decoder's damage is reported, and a partial preview is made when the decoder produced rows.
@Suite struct DamagedPhotoTests {
  /// What decoding gave: the preview (nil when none) and the damage.
  func decoded(_ path: String) throws -> (thumbnail: Thumbnail?, damaged: String?) {
    let metadata = try PhotoExtractor.read(path)
    do {
      let thumbnail = try Thumbnailer.thumbnail(of: path, metadata: metadata)
      return (thumbnail, thumbnail.damaged)
    } catch {
      guard error.isDamaged else { throw error }
      return (nil, error.reason)
    }
  }

  static let truncated = "truncated JPEG (the image data ends early: Premature end of JPEG file)"

  @Test(
    "each damaged class: the reason, and a preview of the right size only when rows were decoded",
    arguments: [
      ("cut-after-header.jpg", truncated, nil),
      ("cut-30.jpg", truncated, (320, 240)),
      ("cut-70.jpg", truncated, (320, 240)),
      ("bad-huffman-code.jpg", "corrupt JPEG data (bad Huffman code)", (320, 240)),
      ("bad-marker-in-scan.jpg", "corrupt JPEG (Unsupported marker type 0x13)", (320, 240)),
      ("bad-huffman-table.jpg", "corrupt JPEG (Bogus Huffman table definition)", nil),
      ("zero-lines.jpg", "corrupt JPEG (Empty JPEG image (DNL not supported))", nil),
      ("idat-bad-crc.png", "corrupt PNG data (IDAT: CRC error)", (320, 240)),
      ("cut-in-idat.png", "truncated PNG (the image data ends early)", (320, 240)),
      // libheif's own words vary with its (and libde265's) Debian updates: ours are checked.
      ("decoder-error.heic", "corrupt HEIF data (", nil),
    ] as [(String, String, (Int, Int)?)])
  func damagedClasses(name: String, reason: String, size: (Int, Int)?) throws {
    let result = try decoded(Fixtures.damaged(name))
    // A reason that ends in `(` is the start of the reason, the decoder's words following.
    #expect(
      reason.hasSuffix("(") ? result.damaged?.hasPrefix(reason) == true : result.damaged == reason,
      "\(result.damaged ?? "")")
    #expect(result.thumbnail.map { [$0.width, $0.height] } == size.map { [$0.0, $0.1] })
    if let thumbnail = result.thumbnail {
      let image = try decode(thumbnail)
      #expect(image.width == thumbnail.width && image.height == thumbnail.height)
    }
  }

  @Test("the metadata of a damaged photo is read as from the whole file")
  func metadataRead() throws {
    let whole = try PhotoExtractor.read(Fixtures.photo("nui-coc-vi-en.jpg"))
    for name in ["cut-after-header.jpg", "cut-30.jpg", "bad-huffman-code.jpg", "bad-huffman-table.jpg"] {
      #expect(try PhotoExtractor.read(Fixtures.damaged(name)) == whole, "\(name)")
    }
    // A frame of 0 lines: the width is known, the height is not.
    let zero = try PhotoExtractor.read(Fixtures.damaged("zero-lines.jpg"))
    #expect(zero.storedWidth == 640 && zero.storedHeight == 0 && zero.cameraMake == whole.cameraMake)
    // The PNG cut in its IDAT keeps the eXIf before it; its text after IDAT is lost.
    let png = try PhotoExtractor.read(Fixtures.damaged("cut-in-idat.png"))
    #expect(png.storedWidth == 400 && png.cameraMake == "Nikon" && png.texts.isEmpty)
    let heic = try PhotoExtractor.read(Fixtures.damaged("decoder-error.heic"))
    #expect(heic == (try PhotoExtractor.read(Fixtures.photo("iphone.heic"))))
  }

  @Test("a JPEG cut at 30% of its scan: the top is decoded, the rest is grey")
  func partialPreview() throws {
    let thumbnail = try #require(try decoded(Fixtures.damaged("cut-30.jpg")).thumbnail)
    let image = try decode(thumbnail)
    func row(_ y: Int) -> ArraySlice<UInt8> { image.pixels[(y * image.width * 3)..<((y + 1) * image.width * 3)] }
    let grey = Int(Thumbnailer.missingDataGrey)
    #expect(!row(2).allSatisfy { abs(Int($0) - grey) <= 3 }, "the top rows are the photo's")
    #expect(row(image.height - 3).allSatisfy { abs(Int($0) - grey) <= 3 }, "the bottom rows are grey")
  }

  @Test("the pixel limit still refuses before any decoding, damaged or not")
  func pixelLimitFirst() throws {
    let error = #expect(throws: MetadataError.self) {
      try PhotoExtractor.read(Fixtures.damaged("cut-30.jpg"), maxPixels: 300_000)
    }
    #expect(error?.exceedsPixelLimit == true && error?.isDamaged == false)
    let metadata = try PhotoExtractor.read(Fixtures.damaged("cut-30.jpg"))
    let refused = #expect(throws: MetadataError.self) {
      try Thumbnailer.thumbnail(of: Fixtures.damaged("cut-30.jpg"), metadata: metadata, maxPixels: 300_000)
    }
    #expect(refused?.exceedsPixelLimit == true && refused?.isDamaged == false)
  }

  private func decode(_ thumbnail: Thumbnail) throws -> RGBImage {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("damaged-\(UUID()).jpg").path
    _ = FileManager.default.createFile(atPath: path, contents: Data(thumbnail.jpeg))
    defer { try? FileManager.default.removeItem(atPath: path) }
    var issues: [String] = []
    return try Thumbnailer.decodeJPEG(path, longEdge: 10_000, issues: &issues)
  }
}
