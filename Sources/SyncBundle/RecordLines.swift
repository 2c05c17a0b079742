public import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Reads `data/records.jsonl` one line at a time, in bounded memory (about 2 MiB whatever the
/// file's size): a line longer than `maximumLineLength` is refused as soon as that many bytes
/// have been read without a newline, so a 100 MB line is never held in memory.
///
/// ```swift
/// let lines = try RecordLines(path: bundle.recordsPath)
/// while let line = try lines.next() { … }   // each line without its "\n"
/// ```
public final class RecordLines {
  /// The longest line allowed, its `\n` excluded: 1 MiB.
  public static let maximumLineLength = 1 << 20

  /// The number of lines returned so far (the number of the last line returned).
  public private(set) var lineNumber = 0

  private let descriptor: Int32
  private let bundle: String
  private let file: String
  private let buffer: UnsafeMutableRawBufferPointer
  private var start = 0
  private var end = 0

  /// Opens the file at `path` for reading.
  public convenience init(path: URL) throws(BundleError) {
    try self.init(path: path.path, bundle: "", file: path.path)
  }

  init(path: String, bundle: String, file: String) throws(BundleError) {
    descriptor = try FileIO.openRegularFile(path, bundle: bundle, file: file).descriptor
    self.bundle = bundle
    self.file = file
    buffer = UnsafeMutableRawBufferPointer.allocate(
      byteCount: Self.maximumLineLength + 1 + FileIO.chunkSize, alignment: 64)
  }

  deinit {
    close(descriptor)
    buffer.deallocate()
  }

  /// The next line, without its `\n`, or nil at the end of the file. Throws `.recordTooLong` for
  /// a line longer than 1 MiB and `.badRecord` for a last line without `\n`.
  public func next() throws(BundleError) -> Data? {
    while true {
      let pending = end - start
      if pending > 0, let newline = memchr(buffer.baseAddress! + start, 0x0a, pending) {
        let length = buffer.baseAddress!.distance(to: newline) - start
        guard length <= Self.maximumLineLength else { throw tooLong(lineNumber + 1) }
        let line = Data(bytes: buffer.baseAddress! + start, count: length)
        start += length + 1
        lineNumber += 1
        return line
      }
      guard pending <= Self.maximumLineLength else { throw tooLong(lineNumber + 1) }
      if start > 0 {
        if pending > 0 { memmove(buffer.baseAddress!, buffer.baseAddress! + start, pending) }
        start = 0
        end = pending
      }
      let count = try systemCall("cannot read", bundle: bundle, file: file) {
        read(descriptor, buffer.baseAddress! + end, buffer.count - end)
      }
      if count == 0 {
        if pending == 0 { return nil }
        throw BundleError(
          .badRecord, "line \(lineNumber + 1) does not end with a newline", bundle: bundle, file: file)
      }
      end += count
    }
  }

  private func tooLong(_ number: Int) -> BundleError {
    BundleError(
      .recordTooLong,
      "line \(number) is longer than \(Self.maximumLineLength) bytes (1 MiB), the most a record may have",
      bundle: bundle, file: file)
  }

  // MARK: Checking a record

  /// Why `line` is not a record of bundle format `formatVersion`, or nil when it is one: a JSON
  /// object whose `op` is `upsert` (with `id`, `revision` and a `record` object), `retract` (with
  /// `id`, `revision` and a non-empty `reason`) or, from format 2, `delete` (with `id`, `revision`
  /// and, when present, a non-empty `reason`); `id` is `sha256:<64 hex>` and `revision` an
  /// integer ≥ 1.
  static func problem(of line: Data, formatVersion: Int) -> String? {
    let header: RecordHeader
    do {
      header = try JSONDecoder().decode(RecordHeader.self, from: line)
    } catch DecodingError.dataCorrupted {
      return "is not a JSON object"
    } catch DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty {
      return "is not a JSON object"
    } catch DecodingError.keyNotFound(let key, _) {
      return "has no `\(key.stringValue)`"
    } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
      return "has a `\(context.codingPath.map(\.stringValue).joined(separator: "."))` of the wrong type"
    } catch {
      return "is not a record: \(error)"
    }
    guard header.id.hasPrefix("sha256:"), FileIO.isObjectHex(header.id.dropFirst(7)) else {
      return "has an id `\(header.id)` that is not `sha256:<64 lowercase hex digits>`"
    }
    guard header.revision >= 1 else { return "has a revision \(header.revision), not a number from 1 up" }
    switch header.op {
    case "upsert":
      return header.record == nil ? "is an upsert without a `record` object" : nil
    case "retract":
      return (header.reason ?? "").isEmpty ? "is a retract without a `reason`" : nil
    case "delete" where formatVersion >= 2:
      return header.reason?.isEmpty == true ? "is a delete with an empty `reason`" : nil
    default:
      let known = formatVersion >= 2 ? "`upsert`, `retract` and `delete`" : "`upsert` and `retract`"
      return "has an unknown op `\(header.op)` (format \(formatVersion) knows \(known))"
    }
  }
}

/// The keys of a record that the bundle format itself checks.
private struct RecordHeader: Decodable {
  var op: String
  var id: String
  var revision: Int
  var record: JSONObject?
  var reason: String?

  /// Any JSON object, its content not decoded further.
  struct JSONObject: Decodable {
    init(from decoder: any Decoder) throws { _ = try decoder.container(keyedBy: AnyKey.self) }
  }

  struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }
}
