/// A parsed CSV table (RFC 4180: comma-separated, double-quoted fields, header row).
struct CSVTable {
  /// Column names, from the header row.
  let header: [String]
  /// The data rows, each with exactly `header.count` fields.
  let rows: [[String]]
  private let columns: [String: Int]

  /// Parses `text`; fails when a row has the wrong number of fields or a quote is not closed.
  init(_ data: some Collection<UInt8>, name: String) throws(TaxonomyError) {
    let bytes = Array(data)
    var records: [[String]] = []
    var record: [String] = []
    var index = 0
    var line = 1
    let count = bytes.count
    while index < count {
      // One field.
      var field: String
      if bytes[index] == UInt8(ascii: "\"") {
        var value: [UInt8] = []
        index += 1
        while true {
          guard index < count else { throw TaxonomyError("unterminated quoted field at line \(line)", subject: name) }
          let byte = bytes[index]
          index += 1
          if byte == UInt8(ascii: "\"") {
            if index < count, bytes[index] == UInt8(ascii: "\"") {
              value.append(byte)
              index += 1
            } else {
              break
            }
          } else {
            if byte == UInt8(ascii: "\n") { line += 1 }
            value.append(byte)
          }
        }
        field = String(decoding: value, as: UTF8.self)
      } else {
        let start = index
        while index < count, bytes[index] != UInt8(ascii: ","), bytes[index] != UInt8(ascii: "\n") { index += 1 }
        var end = index
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        field = String(decoding: bytes[start..<end], as: UTF8.self)
      }
      record.append(field)
      if index < count, bytes[index] == UInt8(ascii: ",") {
        index += 1
        if index == count { record.append("") }
        continue
      }
      if index < count, bytes[index] == UInt8(ascii: "\r") { index += 1 }
      if index < count, bytes[index] != UInt8(ascii: "\n") {
        throw TaxonomyError("unexpected character after a quoted field at line \(line)", subject: name)
      }
      index += 1
      line += 1
      records.append(record)
      record = []
    }
    if !record.isEmpty { records.append(record) }
    guard let header = records.first else { throw TaxonomyError("empty file", subject: name) }
    for (index, row) in records.enumerated().dropFirst() where row.count != header.count {
      throw TaxonomyError("line \(index + 1) has \(row.count) fields, expected \(header.count)", subject: name)
    }
    self.header = header
    self.rows = Array(records.dropFirst())
    self.columns = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// The index of column `name`; fails when the file has no such column.
  func column(_ name: String, in file: String) throws(TaxonomyError) -> Int {
    guard let index = columns[name] else { throw TaxonomyError("missing column '\(name)'", subject: file) }
    return index
  }
}
