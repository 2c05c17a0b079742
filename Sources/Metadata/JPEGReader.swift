/// Walks the marker segments of a JPEG up to the start of scan: frame size, EXIF (APP1), XMP
/// (APP1) and IPTC (APP13). Pixel data is never read here.
enum JPEGReader {
  static let xmpHeader: [UInt8] = Array("http://ns.adobe.com/xap/1.0/".utf8) + [0]

  static func read(_ file: FileReader) throws(MetadataError) -> PhotoMetadata {
    var offset = 2
    var size: (width: Int, height: Int)?
    var exif: [UInt8]?
    var xmp: [UInt8]?
    var iptc: [UInt8]?
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
    return metadata
  }
}
