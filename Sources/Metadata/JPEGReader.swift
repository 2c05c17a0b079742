/// Walks the marker segments of a JPEG up to the start of scan: frame size, EXIF (APP1), XMP
/// (APP1), the "Picture Info" text of older cameras (APP12) and IPTC (APP13). Pixel data is
/// never read here.
enum JPEGReader {
  static let xmpHeader: [UInt8] = Array("http://ns.adobe.com/xap/1.0/".utf8) + [0]

  static func read(_ file: FileReader) throws(MetadataError) -> PhotoMetadata {
    var offset = 2
    var size: (width: Int, height: Int)?
    var exif: [UInt8]?
    var xmp: [UInt8]?
    var iptc: [UInt8]?
    var pictureInfo: String?
    scan: while true {
      let marker = try file.bytes(at: offset, count: 4)
      guard marker.count == 4 else {
        throw MetadataError("truncated JPEG (ends inside the header at byte \(offset))")
      }
      guard marker[0] == 0xff else {
        throw MetadataError(
          "corrupt JPEG (expected a marker at byte \(offset), found 0x\(String(marker[0], radix: 16)))")
      }
      let type = marker[1]
      switch type {
      case 0xff:
        offset += 1  // Fill byte.
        continue scan
      case 0x01, 0xd0...0xd7:
        offset += 2
        continue scan
      case 0xd9, 0xda:
        break scan
      default:
        break
      }
      let length = marker.bigEndian16(at: 2)
      guard length >= 2 else { throw MetadataError("corrupt JPEG (segment length \(length) at byte \(offset))") }
      let payloadOffset = offset + 4
      let payloadLength = length - 2
      switch type {
      case 0xc0...0xc3, 0xc5...0xc7, 0xc9...0xcb, 0xcd...0xcf:
        let frame = try file.exactBytes(at: payloadOffset, count: min(payloadLength, 6), what: "JPEG frame header")
        guard frame.count >= 5 else { throw MetadataError("corrupt JPEG (frame header too short)") }
        size = (width: frame.bigEndian16(at: 3), height: frame.bigEndian16(at: 1))
      case 0xe1:
        let payload = try file.exactBytes(at: payloadOffset, count: payloadLength, what: "JPEG (APP1 segment cut off)")
        if exif == nil, payload.starts(with: Array("Exif".utf8) + [0, 0]) {
          exif = payload
        } else if xmp == nil, payload.starts(with: xmpHeader) {
          xmp = Array(payload.dropFirst(xmpHeader.count))
        }
      case 0xec:
        let payload = try file.exactBytes(at: payloadOffset, count: payloadLength, what: "JPEG (APP12 segment cut off)")
        if pictureInfo == nil, !payload.starts(with: Array("Ducky".utf8)) {
          pictureInfo = Self.pictureInfoDate(payload)
        }
      case 0xed:
        let payload = try file.exactBytes(at: payloadOffset, count: payloadLength, what: "JPEG (APP13 segment cut off)")
        if payload.starts(with: IPTCReader.header) {
          iptc = (iptc ?? []) + payload
        }
      default:
        break
      }
      offset = payloadOffset + payloadLength
    }
    guard let size else { throw MetadataError("corrupt JPEG (no frame header before the image data)") }
    // A frame of 0 lines leaves the height to a DNL marker after the first scan, which
    // libjpeg-turbo does not support: the metadata is read, the pixels are damaged.
    guard size.width > 0 else {
      throw MetadataError("corrupt JPEG (frame header gives \(size.width) x \(size.height) pixels)")
    }
    var metadata = PhotoMetadata(format: .jpeg, width: size.width, height: size.height)
    if let exif { ExifReader.read(exif, into: &metadata) }
    if let iptc { IPTCReader.read(iptc, into: &metadata) }
    if let xmp { XMPReader.read(xmp, into: &metadata) }
    metadata.candidates.pictureInfo = pictureInfo
    return metadata
  }

  /// The `TimeDate=` of an APP12 "Picture Info" block (`[picture info]\r\nTimeDate=966132513\r\n…`):
  /// seconds since 1970 rendered as exiftool does (UTC, no offset), or a date-time as written.
  static func pictureInfoDate(_ payload: [UInt8]) -> String? {
    let key = Array("TimeDate=".utf8)
    guard payload.count >= key.count else { return nil }
    var index = 0
    while index <= payload.count - key.count {
      // A key starts the block or follows a separator (not part of a longer name).
      let starts = index == 0 || [0x0d, 0x0a, 0x00, 0x20, 0x5d].contains(payload[index - 1])
      if starts, payload[index] == key[0], payload[index..<(index + key.count)].elementsEqual(key) {
        var end = index + key.count
        while end < payload.count, (0x20...0x7e).contains(payload[end]) { end += 1 }
        let value = payload[(index + key.count)..<end]
        // Digits up to the end or a space (Olympus separates `key=value` pairs with spaces).
        let digits = value.prefix { (0x30...0x39).contains($0) }
        if !digits.isEmpty, digits.count <= 18, digits.count == value.count || value[digits.endIndex] == 0x20 {
          return Int64(String(decoding: digits, as: UTF8.self)).flatMap(CaptureDate.unixTime)
        }
        return CaptureDate.parse(String(decoding: value, as: UTF8.self))
      }
      index += 1
    }
    return nil
  }
}
