internal import Foundation

extension Gazetteer.Units {
  /// Decodes a `units.bin` file (`Storage/gazetteer.md`): the provinces and communes of
  /// `provinces.csv` and `communes.csv`, as `scripts/make-gazetteer` writes them.
  init(compact data: Data) throws(TaxonomyError) {
    let name = "units.bin"
    let bytes = [UInt8](data)
    let decoded = try bytes.withUnsafeBufferPointer { (buffer) throws(TaxonomyError) in
      try Self.decode(buffer, name: name)
    }
    try self.init(provinces: decoded.provinces, communes: decoded.communes, subject: name)
  }

  private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, name: String) throws(TaxonomyError) -> (
    provinces: [Province], communes: [Commune]
  ) {
    var reader = CompactReader(bytes: bytes, name: name)
    guard bytes.count >= 80, bytes[0..<4].elementsEqual("MBGU".utf8) else {
      throw TaxonomyError("not a units file", subject: name)
    }
    reader.offset = 4
    let version = try reader.integer(2)
    guard version == 1 else { throw TaxonomyError("unsupported version \(version)", subject: name) }
    reader.offset = 8
    let provinceCount = try reader.integer(4)
    let communeCount = try reader.integer(4)
    reader.offset = 80  // After the SHA-256 of each CSV file.

    var provinces: [Province] = []
    provinces.reserveCapacity(provinceCount)
    for _ in 0..<provinceCount {
      let code = try reader.code(2)
      let (name, shortName, type, englishName) = (
        try reader.text(), try reader.text(), try reader.text(), try reader.text()
      )
      let counts = CommuneCounts(
        wards: try reader.varint(), communes: try reader.varint(), specialZones: try reader.varint())
      var former: [String] = []
      for _ in 0..<(try reader.varint()) { former.append(try reader.code(2)) }
      provinces.append(
        Province(
          code: code, name: name, shortName: shortName, type: type, englishName: englishName, communeCounts: counts,
          formerProvinceCodes: former, latitude: try reader.double(), longitude: try reader.double()))
    }
    var communes: [Commune] = []
    communes.reserveCapacity(communeCount)
    let kinds: [Commune.Kind] = [.ward, .commune, .specialZone]
    for _ in 0..<communeCount {
      let (code, provinceCode) = (try reader.code(5), try reader.code(2))
      let kind = try reader.integer(1)
      guard kind < kinds.count else { throw reader.corrupt() }
      communes.append(
        Commune(
          code: code, name: try reader.text(), shortName: try reader.text(), kind: kinds[kind],
          englishName: try reader.text(), provinceCode: provinceCode, latitude: try reader.double(),
          longitude: try reader.double()))
    }
    guard reader.offset == bytes.count else {
      throw TaxonomyError("\(bytes.count - reader.offset) trailing bytes", subject: name)
    }
    return (provinces, communes)
  }
}

/// Reads the fields of `units.bin` one after the other, failing at the end of the bytes.
private struct CompactReader {
  let bytes: UnsafeBufferPointer<UInt8>
  let name: String
  var offset = 0

  func corrupt() -> TaxonomyError { TaxonomyError("truncated or corrupt at byte \(offset)", subject: name) }

  /// The next `count` bytes.
  mutating func take(_ count: Int) throws(TaxonomyError) -> UnsafeBufferPointer<UInt8> {
    guard count >= 0, count <= bytes.count - offset else { throw corrupt() }
    defer { offset += count }
    return UnsafeBufferPointer(rebasing: bytes[offset..<offset + count])
  }

  /// A little-endian unsigned integer of `count` bytes.
  mutating func integer(_ count: Int) throws(TaxonomyError) -> Int {
    var value = 0
    for byte in try take(count).reversed() { value = value << 8 | Int(byte) }
    return value
  }

  /// An unsigned LEB128 varint.
  mutating func varint() throws(TaxonomyError) -> Int {
    var value = 0
    var shift = 0
    while true {
      guard shift < 63, offset < bytes.count else { throw corrupt() }
      let byte = bytes[offset]
      offset += 1
      value |= Int(byte & 0x7F) << shift
      if byte & 0x80 == 0 { return value }
      shift += 7
    }
  }

  /// A little-endian IEEE 754 binary64.
  mutating func double() throws(TaxonomyError) -> Double {
    var bits: UInt64 = 0
    for byte in try take(8).reversed() { bits = bits << 8 | UInt64(byte) }
    return Double(bitPattern: bits)
  }

  /// A string: its UTF-8 length as a varint, then its bytes.
  mutating func text() throws(TaxonomyError) -> String {
    String(decoding: try take(try varint()), as: UTF8.self)
  }

  /// A code of `digits` ASCII digits.
  mutating func code(_ digits: Int) throws(TaxonomyError) -> String {
    let bytes = try take(digits)
    guard bytes.allSatisfy({ (0x30...0x39).contains($0) }) else { throw corrupt() }
    return String(decoding: bytes, as: UTF8.self)
  }
}
