/// Reads photos: recognises the format by content, extracts metadata without decoding pixels,
/// and refuses decompression bombs by a pixel limit before any decoder runs.
public enum PhotoExtractor {
  /// The default pixel limit: 200 megapixels.
  public static let defaultMaxPixels = 200_000_000

  /// Recognises the photo format from the first bytes of the file at `path`.
  ///
  /// The error says what the file claimed to be (by its extension) and how it starts, e.g.
  /// `not a JPEG file (starts with 0x6e 0x6f)`.
  public static func format(of path: String) throws(MetadataError) -> PhotoFormat {
    let file = try FileReader(path: path)
    return try format(of: file, path: path)
  }

  /// Recognises the photo format from the first bytes of a file (at least 64 when the file has
  /// them), its size and its name (used only to word the error).
  public static func format(head: [UInt8], size: Int64, name: String) throws(MetadataError) -> PhotoFormat {
    guard size > 0 else { throw MetadataError("empty file (0 bytes)") }
    if head.starts(with: [0xff, 0xd8, 0xff]) { return .jpeg }
    if head.starts(with: PNGReader.signature) { return .png }
    if let format = isobmffFormat(head) { return format }
    let claimed: String
    switch name.split(separator: ".").last.map({ $0.lowercased() }) {
    case "jpg", "jpeg", "jpe", "jfif": claimed = "not a JPEG file"
    case "png": claimed = "not a PNG file"
    case "heic", "heif", "hif", "avif": claimed = "not a HEIF file"
    default: claimed = "not a supported photo (JPEG, PNG, HEIC/HEIF, AVIF)"
    }
    throw MetadataError("\(claimed) (starts with \(head.hexPrefix()))")
  }

  /// Reads an XMP sidecar file (`IMG_0001.xmp`): its values, with source `sidecar`, and the
  /// problems met (a sidecar that is not well-formed XML).
  public static func readSidecar(_ bytes: [UInt8]) -> (texts: [EmbeddedText], issues: [String]) {
    var metadata = PhotoMetadata(format: .jpeg, width: 1, height: 1)
    XMPReader.read(bytes, into: &metadata)
    let texts = metadata.texts.map { text in
      var copy = text
      copy.source = .sidecar
      return copy
    }
    return (texts, metadata.issues.map { $0.replacingOccurrences(of: "XMP packet", with: "XMP sidecar") })
  }

  /// Reads the metadata of the photo at `path`.
  ///
  /// Throws when the file is not a photo MediaBank can read, is structurally corrupt, or has more
  /// than `maxPixels` pixels. Problems with optional metadata (broken EXIF, malformed XMP) do not
  /// throw: they are listed in `issues`.
  public static func read(_ path: String, maxPixels: Int = defaultMaxPixels) throws(MetadataError)
    -> PhotoMetadata
  {
    let file = try FileReader(path: path)
    let format = try format(of: file, path: path)
    var metadata: PhotoMetadata
    switch format {
    case .jpeg: metadata = try JPEGReader.read(file)
    case .png: metadata = try PNGReader.read(file)
    case .heic, .heif, .avif: metadata = try HEIFImage(path: path).metadata(format: format)
    }
    try checkPixelLimit(width: metadata.storedWidth, height: metadata.storedHeight, maxPixels: maxPixels)
    metadata.resolveCandidates()
    return metadata
  }

  static func checkPixelLimit(width: Int, height: Int, maxPixels: Int) throws(MetadataError) {
    let pixels = width.multipliedReportingOverflow(by: height)
    guard pixels.overflow || pixels.partialValue > maxPixels else { return }
    let megapixels = Double(width) * Double(height) / 1_000_000
    throw MetadataError(
      "image is \(width) x \(height) pixels (\(Int(megapixels.rounded())) megapixels), above the "
        + "limit of \(maxPixels / 1_000_000) megapixels (possible decompression bomb; "
        + "raise it with --max-megapixels)",
      exceedsPixelLimit: true)
  }

  private static func format(of file: FileReader, path: String) throws(MetadataError) -> PhotoFormat {
    try format(head: try file.bytes(at: 0, count: 64), size: Int64(file.size), name: path)
  }

  /// HEIF family files start with an `ftyp` box whose brands say what they hold.
  private static func isobmffFormat(_ head: [UInt8]) -> PhotoFormat? {
    guard head.count >= 16, head[4..<8].elementsEqual("ftyp".utf8) else { return nil }
    let boxSize = min(head.bigEndian32(at: 0), head.count)
    guard boxSize >= 16 else { return nil }
    var brands: Set<String> = [String(decoding: head[8..<12], as: UTF8.self)]
    for offset in stride(from: 16, to: boxSize - 3, by: 4) {
      brands.insert(String(decoding: head[offset..<(offset + 4)], as: UTF8.self))
    }
    if !brands.isDisjoint(with: ["avif", "avis"]) { return .avif }
    if !brands.isDisjoint(with: ["heic", "heix", "heim", "heis", "hevc", "hevx"]) { return .heic }
    if !brands.isDisjoint(with: ["mif1", "msf1"]) { return .heif }
    return nil
  }
}
