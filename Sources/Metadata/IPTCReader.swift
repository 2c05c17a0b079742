/// Reads IPTC IIM datasets from a Photoshop APP13 segment (`Photoshop 3.0\0` + 8BIM resources,
/// resource 0x0404), from bare 8BIM resources, or from bare IIM datasets (as ImageMagick stores
/// them in a PNG's `Raw profile type iptc`).
///
/// Text is UTF-8 when record 1:90 says so (`ESC % G`); otherwise UTF-8 when the bytes are valid
/// UTF-8, else ISO 8859-1.
enum IPTCReader {
  static let header: [UInt8] = Array("Photoshop 3.0".utf8) + [0]

  static func read(_ segment: [UInt8], into metadata: inout PhotoMetadata) {
    guard let iim = iimBlock(in: segment) else { return }
    var datasets: [(record: UInt8, dataset: UInt8, value: ArraySlice<UInt8>)] = []
    var offset = iim.startIndex
    while offset + 5 <= iim.endIndex, iim[offset] == 0x1c {
      let record = iim[offset + 1]
      let dataset = iim[offset + 2]
      var length = Int(iim[offset + 3]) << 8 | Int(iim[offset + 4])
      offset += 5
      if length & 0x8000 != 0 {
        // Extended dataset: the low bits give the number of length bytes.
        let count = length & 0x7fff
        guard count <= 4, offset + count <= iim.endIndex else { break }
        length = iim[offset..<(offset + count)].reduce(0) { $0 << 8 | Int($1) }
        offset += count
      }
      guard offset + length <= iim.endIndex else {
        metadata.issues.append("IPTC dataset \(record):\(dataset) runs past the end; IPTC truncated")
        break
      }
      datasets.append((record, dataset, iim[offset..<(offset + length)]))
      offset += length
    }
    let utf8 = datasets.contains { $0.record == 1 && $0.dataset == 90 && Array($0.value) == [0x1b, 0x25, 0x47] }
    let fields: [UInt8: TextField] = [
      5: .title, 25: .keyword, 80: .creator, 90: .city, 92: .location, 95: .state,
      110: .credit, 116: .copyright, 120: .description,
    ]
    func value(_ dataset: UInt8) -> String? {
      datasets.first { $0.record == 2 && $0.dataset == dataset }.flatMap { Text.decode($0.value) }
    }
    metadata.candidates.iptcCreated = CaptureDate.iptc(date: value(55), time: value(60))
    for item in datasets where item.record == 2 {
      guard let field = fields[item.dataset] else { continue }
      let decoded = utf8 ? Text.decode(item.value, latin1Fallback: false) : Text.decode(item.value)
      guard let value = decoded else {
        metadata.issues.append("IPTC 2:\(item.dataset) is not valid UTF-8 although marked so; ignored")
        continue
      }
      metadata.texts.append(EmbeddedText(field, value, source: .iptc))
    }
  }

  /// The IIM data inside the 8BIM resource 0x0404 of a Photoshop segment.
  private static func iimBlock(in segment: [UInt8]) -> ArraySlice<UInt8>? {
    var offset: Int
    if segment.starts(with: header) {
      offset = header.count
    } else if segment.starts(with: Array("8BIM".utf8)) {
      offset = 0
    } else if segment.first == 0x1c {
      return segment[...]
    } else {
      return nil
    }
    while offset + 12 <= segment.count, segment[offset..<(offset + 4)].elementsEqual("8BIM".utf8) {
      let id = segment.bigEndian16(at: offset + 4)
      let nameLength = Int(segment[offset + 6])
      var cursor = offset + 6 + ((nameLength + 2) & ~1)  // Pascal string padded to even.
      guard cursor + 4 <= segment.count else { return nil }
      let size = segment.bigEndian32(at: cursor)
      cursor += 4
      guard size >= 0, cursor + size <= segment.count else { return nil }
      if id == 0x0404 { return segment[cursor..<(cursor + size)] }
      offset = cursor + ((size + 1) & ~1)
    }
    return nil
  }
}
