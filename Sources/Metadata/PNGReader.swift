import CMediaShim

/// Walks the chunks of a PNG: size from IHDR, text from tEXt/zTXt/iTXt, XMP from the iTXt
/// `XML:com.adobe.xmp`, EXIF from eXIf — wherever they are, before or after IDAT — and the EXIF,
/// XMP and IPTC that ImageMagick, exiv2 and older tools store as hex text chunks named
/// `Raw profile type exif` (or `APP1`, `xmp`, `iptc`, `8bim`). eXIf and the XMP iTXt are
/// preferred to the raw profiles when both are present.
///
/// Every chunk's CRC is checked except IDAT's (the decoder checks those): a bad CRC in a
/// critical chunk refuses the file, in an ancillary chunk it skips that chunk and records why.
enum PNGReader {
  static let signature: [UInt8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  /// Text chunks larger than this are skipped (a hostile file could claim gigabytes).
  static let maximumTextChunk = 8 << 20

  static let keywords: [String: TextField] = [
    "Title": .title, "Description": .description, "Author": .creator, "Copyright": .copyright,
  ]

  static func read(_ file: FileReader) throws(MetadataError) -> PhotoMetadata {
    var offset = signature.count
    var metadata: PhotoMetadata?
    var xmp: [UInt8]?
    var exif: [UInt8]?
    var rawExif: [UInt8]?
    var rawXMP: [UInt8]?
    var rawIPTC: [UInt8]?
    var texts: [EmbeddedText] = []
    var issues: [String] = []
    while true {
      let header = try file.bytes(at: offset, count: 8)
      // A file cut after its header keeps what was read: the decoder reports the damage.
      if header.count < 8, metadata != nil { break }
      guard header.count == 8 else { throw MetadataError("truncated PNG (ends before the IEND chunk)") }
      let length = header.bigEndian32(at: 0)
      let type = String(decoding: header[4..<8], as: UTF8.self)
      guard length <= Int(Int32.max),
        header[4..<8].allSatisfy({ (0x41...0x5a).contains($0) || (0x61...0x7a).contains($0) })
      else { throw MetadataError("corrupt PNG (invalid chunk header at byte \(offset))") }
      let critical = header[4] & 0x20 == 0
      if metadata == nil && type != "IHDR" { throw MetadataError("corrupt PNG (first chunk is \(type), not IHDR)") }
      let dataOffset = offset + 8
      offset = dataOffset + length + 4
      guard offset <= file.size else {
        if metadata != nil { break }
        throw MetadataError("truncated PNG (\(type) chunk cut off)")
      }
      if type == "IDAT" { continue }
      if type == "IEND" { break }
      let interesting = ["IHDR", "tEXt", "zTXt", "iTXt", "eXIf"].contains(type)
      if !interesting && !critical { continue }
      if !critical && length > maximumTextChunk {
        issues.append("PNG \(type) chunk of \(length) bytes skipped (too large)")
        continue
      }
      let body = try file.exactBytes(
        at: offset - length - 4 - 4, count: length + 8, what: "PNG (\(type) chunk cut off)")
      let stored = UInt32(body.bigEndian32(at: length + 4))
      let computed = CRC32.checksum(body[0..<(length + 4)])
      guard stored == computed else {
        if critical { throw MetadataError("corrupt PNG (bad CRC in \(type) chunk)") }
        issues.append("PNG \(type) chunk has a bad CRC; skipped")
        continue
      }
      let data = Array(body[4..<(length + 4)])
      switch type {
      case "IHDR":
        guard length == 13 else { throw MetadataError("corrupt PNG (IHDR is \(length) bytes)") }
        let width = data.bigEndian32(at: 0)
        let height = data.bigEndian32(at: 4)
        guard width > 0, height > 0 else { throw MetadataError("corrupt PNG (IHDR gives \(width) x \(height) pixels)") }
        metadata = PhotoMetadata(format: .png, width: width, height: height)
      case "eXIf":
        exif = exif ?? data
      case "tEXt", "zTXt", "iTXt":
        guard let chunk = TextChunk(type: type, data: data) else {
          issues.append("PNG \(type) chunk is malformed; skipped")
          continue
        }
        if chunk.keyword == "XML:com.adobe.xmp" {
          xmp = chunk.text
        } else if chunk.keyword.hasPrefix(RawProfile.prefix) {
          guard let profile = RawProfile.decode(chunk.text) else {
            issues.append("PNG \(type) chunk '\(chunk.keyword)' is not a valid hex profile; skipped")
            continue
          }
          let name = chunk.keyword.dropFirst(RawProfile.prefix.count).lowercased()
          let isXMP = profile.starts(with: JPEGReader.xmpHeader)
          if name == "exif" || (name == "app1" && !isXMP) {
            rawExif = rawExif ?? profile
          } else if name == "app1" || name == "xmp" {
            rawXMP = rawXMP ?? (isXMP ? Array(profile.dropFirst(JPEGReader.xmpHeader.count)) : profile)
          } else if name == "iptc" || name == "8bim" {
            rawIPTC = rawIPTC ?? profile
          }
        } else if let field = keywords[chunk.keyword], let value = chunk.decoded {
          texts.append(EmbeddedText(field, value, language: chunk.language ?? "und", source: .png))
        }
      default:
        break
      }
    }
    guard var metadata else { throw MetadataError("corrupt PNG (no IHDR chunk)") }
    metadata.texts = texts
    metadata.issues = issues
    if let exif = exif ?? rawExif { ExifReader.read(exif, into: &metadata) }
    if let rawIPTC { IPTCReader.read(rawIPTC, into: &metadata) }
    if let xmp = xmp ?? rawXMP { XMPReader.read(xmp, into: &metadata) }
    return metadata
  }

  /// A decoded tEXt, zTXt or iTXt chunk.
  private struct TextChunk {
    var keyword: String
    var text: [UInt8]
    var language: String?
    var isUTF8: Bool

    init?(type: String, data: [UInt8]) {
      guard let nul = data.firstIndex(of: 0), nul > 0 else { return nil }
      keyword = String(decoding: data[0..<nul], as: UTF8.self)
      var rest = data[(nul + 1)...]
      switch type {
      case "tEXt":
        text = Array(rest)
        isUTF8 = false
      case "zTXt":
        guard rest.first == 0, let inflated = Self.inflate(rest.dropFirst()) else { return nil }
        text = inflated
        isUTF8 = false
      default:  // iTXt
        guard rest.count >= 2 else { return nil }
        let compressed = rest[rest.startIndex] == 1
        rest = rest.dropFirst(2)
        guard let languageEnd = rest.firstIndex(of: 0) else { return nil }
        let tag = String(decoding: rest[..<languageEnd], as: UTF8.self)
        language = tag.isEmpty ? nil : tag
        rest = rest[(languageEnd + 1)...]
        guard let translatedEnd = rest.firstIndex(of: 0) else { return nil }
        rest = rest[(translatedEnd + 1)...]
        if compressed {
          guard let inflated = Self.inflate(rest) else { return nil }
          text = inflated
        } else {
          text = Array(rest)
        }
        isUTF8 = true
      }
    }

    var decoded: String? { isUTF8 ? Text.decode(text, latin1Fallback: false) : Text.latin1(text) }

    private static func inflate(_ input: ArraySlice<UInt8>) -> [UInt8]? {
      var output = [UInt8](repeating: 0, count: PNGReader.maximumTextChunk)
      var length = 0
      let status = input.withUnsafeBufferPointer { source in
        output.withUnsafeMutableBufferPointer { target in
          mb_inflate(source.baseAddress, source.count, target.baseAddress, target.count, &length)
        }
      }
      guard status == MB_OK else { return nil }
      output.removeSubrange(length...)
      return output
    }
  }
}

/// The hex text ImageMagick writes for a profile in a PNG text chunk:
/// `\nexif\n     1234\n4578696600004d4d…` (name, byte count, then hex digits broken into lines).
enum RawProfile {
  static let prefix = "Raw profile type "

  /// The profile's bytes; nil when the text is not of that form or holds fewer bytes than it
  /// announces.
  static func decode(_ text: [UInt8]) -> [UInt8]? {
    var index = 0
    func skipSpace() {
      while index < text.count, [0x0a, 0x0d, 0x20, 0x09].contains(text[index]) { index += 1 }
    }
    skipSpace()
    while index < text.count, ![0x0a, 0x0d, 0x20, 0x09].contains(text[index]) { index += 1 }  // Name.
    skipSpace()
    var length = 0
    var digits = 0
    while index < text.count, (0x30...0x39).contains(text[index]), digits < 10 {
      length = length * 10 + Int(text[index] - 0x30)
      index += 1
      digits += 1
    }
    guard digits > 0, length > 0, length <= (text.count - index) / 2 else { return nil }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(length)
    var high: UInt8?
    while index < text.count, bytes.count < length {
      let character = text[index]
      index += 1
      let nibble: UInt8
      switch character {
      case 0x30...0x39: nibble = character - 0x30
      case 0x61...0x66: nibble = character - 0x61 + 10
      case 0x41...0x46: nibble = character - 0x41 + 10
      case 0x0a, 0x0d, 0x20, 0x09: continue
      default: return nil
      }
      if let first = high {
        bytes.append(first << 4 | nibble)
        high = nil
      } else {
        high = nibble
      }
    }
    return bytes.count == length ? bytes : nil
  }
}

/// CRC-32 (ISO 3309, as used by PNG).
enum CRC32 {
  private static let table: [UInt32] = (0..<256).map { index in
    var value = UInt32(index)
    for _ in 0..<8 { value = value & 1 == 1 ? 0xedb8_8320 ^ (value >> 1) : value >> 1 }
    return value
  }

  static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xffff_ffff
    for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8) }
    return crc ^ 0xffff_ffff
  }
}
