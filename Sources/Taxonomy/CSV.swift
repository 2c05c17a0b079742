/// A parsed CSV table (RFC 4180: comma-separated, double-quoted fields that may hold commas,
/// doubled quotes and line breaks, LF or CRLF line ends, a header row). The shipped data and the
/// `metadata.csv` files of archives are both read with it.
public struct CSVTable: Sendable {
  /// Column names, from the header row.
  public let header: [String]
  /// The data rows, each with exactly `header.count` fields.
  public let rows: [[String]]
  /// The line of the file each data row starts on (1 is the header), for error messages.
  public let lines: [Int]
  private let columns: [String: Int]

  /// Parses UTF-8 `data` (a leading byte-order mark is skipped); `name` names the file in
  /// errors. Fails when a row has the wrong number of fields or a quote is not closed.
  public init(_ data: some Collection<UInt8>, name: String) throws(TaxonomyError) {
    var bytes = Array(data)
    if bytes.starts(with: [0xef, 0xbb, 0xbf]) { bytes.removeFirst(3) }
    var records: [[String]] = []
    var recordLines: [Int] = []
    var record: [String] = []
    var index = 0
    var line = 1
    var recordLine = 1
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
      // A blank line (spreadsheet programs leave them) is no record.
      if record.count > 1 || !record[0].allSatisfy({ $0 == " " || $0 == "\t" }) {
        records.append(record)
        recordLines.append(recordLine)
      }
      recordLine = line
      record = []
    }
    if !record.isEmpty {
      records.append(record)
      recordLines.append(recordLine)
    }
    guard let header = records.first else { throw TaxonomyError("empty file", subject: name) }
    for (row, rowLine) in zip(records, recordLines).dropFirst() where row.count != header.count {
      throw TaxonomyError("line \(rowLine) has \(row.count) fields, expected \(header.count)", subject: name)
    }
    self.header = header
    self.rows = Array(records.dropFirst())
    self.lines = Array(recordLines.dropFirst())
    self.columns = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// The index of column `name`; fails when the file has no such column.
  func column(_ name: String, in file: String) throws(TaxonomyError) -> Int {
    guard let index = columns[name] else { throw TaxonomyError("missing column '\(name)'", subject: file) }
    return index
  }
}
