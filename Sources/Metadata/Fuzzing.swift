/// Entry points for the fuzz targets (`Fuzz/`, run by `scripts/fuzz`) into readers of untrusted
/// input that are not public. Each reads the bytes as an import does and discards the result.
package enum MetadataFuzzing {
  /// A story's YAML front matter (`StoryFrontMatter`), as a Markdown or text story's start.
  package static func frontMatter(_ bytes: [UInt8]) {
    _ = StoryExtractor.hasFrontMatter(head: bytes)
    var metadata = StoryMetadata(format: .markdown)
    _ = metadata.readFrontMatter(String(decoding: bytes, as: UTF8.self))
  }

  /// A Markdown, plain text or HTML story's bytes, decoded and read as `StoryExtractor.read` does.
  package static func story(_ bytes: [UInt8], format: StoryFormat) {
    guard let text = try? StoryText.decode(bytes) else { return }
    switch format {
    case .markdown: _ = MarkdownText.read(text)
    case .text: _ = PlainText.read(text)
    case .html: _ = HTMLText.read(text)
    case .docx: break
    }
  }

  /// An IPTC block (a Photoshop APP13 segment, 8BIM resources or bare IIM datasets).
  package static func iptc(_ bytes: [UInt8]) {
    var metadata = PhotoMetadata(format: .jpeg, width: 1, height: 1)
    IPTCReader.read(bytes, into: &metadata)
  }

  /// The PNG file at `path`: its chunk walk (text, XMP, EXIF and raw profile chunks).
  package static func png(path: String) {
    guard let file = try? FileReader(path: path) else { return }
    _ = try? PNGReader.read(file)
  }

  /// An EXIF block: libexif then `TIFFReader` (`ExifReader.read`), and `TIFFReader` on its own.
  package static func exif(_ bytes: [UInt8]) {
    var metadata = PhotoMetadata(format: .jpeg, width: 1, height: 1)
    ExifReader.read(bytes, into: &metadata)
    var gaps = PhotoMetadata(format: .jpeg, width: 1, height: 1)
    ExifReader.fillGaps(from: bytes, into: &gaps)
  }
}
