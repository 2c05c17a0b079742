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

  /// The most lines a bundle may have (`MediaBank-Records`): 100,000, so that the receipt a receiver builds
  /// and stores, one entry a line, stays small (a receive of 100,000 lines peaks under 200 MB). A larger export is cut
  /// into bags of one group (`export` does it by itself).
  public static let maximumCount = 100_000

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
}

/// A record of an `upsert` line, as much of it as the line's own rules need: its `id`.
public protocol LineRecord: Decodable, Sendable {
  /// The record's `id`, which must be the line's.
  var id: String { get }
}

/// The `record` of an upsert decoded no further than its `id` (what `BundleReader` checks).
public struct RecordIdentity: LineRecord {
  public var id: String
}

/// One line of `data/records.jsonl`, decoded once and checked against the line rules of
/// `Storage/sync-bundle.md`: an operation of the bundle's format on one asset.
///
/// A line that breaks these rules refuses the whole bundle; what the record says of the asset
/// (`Record`) is checked by the receiver, which rejects that record alone.
public struct RecordLine<Record: LineRecord>: Sendable {
  /// What a line does to the source's word on an asset.
  public enum Operation: String, Sendable {
    case upsert, retract, delete
  }

  public var op: Operation
  /// The asset id, `sha256:<64 lowercase hex digits>`.
  public var id: String
  /// An integer ≥ 1.
  public var revision: Int
  /// The record, for an upsert (its `id` is the line's).
  public var record: Record?
  /// Why, for a retraction (never empty) and a deletion (when given, not empty).
  public var reason: String?

  /// Decodes `line` (without its `\n`) and checks it is a line of bundle format `formatVersion`:
  /// a JSON object whose `op` is `upsert` (with a `record` object whose `id` is the line's),
  /// `retract` (with a non-empty `reason`) or, from format 2, `delete` (its `reason`, when given,
  /// not empty); `id` an asset id, `revision` an integer ≥ 1. Throws the reason, worded to follow
  /// `line N ` (`has no \`revision\``).
  public static func decode(_ line: Data, formatVersion: Int) throws(LineProblem) -> RecordLine {
    let raw: Raw
    do {
      raw = try JSONDecoder().decode(Raw.self, from: line)
    } catch DecodingError.dataCorrupted {
      throw LineProblem("is not a JSON object")
    } catch DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty {
      throw LineProblem("is not a JSON object")
    } catch DecodingError.keyNotFound(let key, let context) {
      let path = (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
      throw LineProblem("has no `\(path)`")
    } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
      throw LineProblem("has a `\(context.codingPath.map(\.stringValue).joined(separator: "."))` of the wrong type")
    } catch {
      throw LineProblem("is not a record: \(error)")
    }
    if let key = duplicateKey(in: line) {
      throw LineProblem("has the key `\(key)` twice in one object (readers would disagree on its value)")
    }
    guard raw.id.hasPrefix("sha256:"), FileIO.isObjectHex(raw.id.dropFirst(7)) else {
      throw LineProblem("has an id `\(raw.id)` that is not `sha256:<64 lowercase hex digits>`")
    }
    guard raw.revision >= 1 else { throw LineProblem("has a revision \(raw.revision), not a number from 1 up") }
    let op: Operation
    switch raw.op {
    case "upsert":
      guard let record = raw.record else { throw LineProblem("is an upsert without a `record` object") }
      guard record.id == raw.id else {
        throw LineProblem("has a `record.id` `\(record.id)` that is not the line's `id` `\(raw.id)`")
      }
      op = .upsert
    case "retract":
      guard let reason = raw.reason, !reason.isEmpty else { throw LineProblem("is a retract without a `reason`") }
      op = .retract
    case "delete" where formatVersion >= 2:
      guard raw.reason?.isEmpty != true else { throw LineProblem("is a delete with an empty `reason`") }
      op = .delete
    default:
      let known = formatVersion >= 2 ? "`upsert`, `retract` and `delete`" : "`upsert` and `retract`"
      throw LineProblem("has an unknown op `\(raw.op)` (format \(formatVersion) knows \(known))")
    }
    // Only an upsert's record counts: another op's is ignored, as an unknown key is.
    return RecordLine(
      op: op, id: raw.id, revision: raw.revision, record: op == .upsert ? raw.record : nil, reason: raw.reason)
  }

  /// The first key that an object of `line` (valid JSON) has twice, if any: JSON leaves its value
  /// to the reader (Foundation takes the first, Python the last), so such a line is refused.
  /// One pass over the bytes; keys are compared after their escapes are decoded.
  static func duplicateKey(in line: Data) -> String? {
    var objects: [(keys: Set<String>, expectingKey: Bool)?] = []
    return line.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> String? in
      var index = 0
      while index < bytes.count {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "{"): objects.append(([], true))
        case UInt8(ascii: "["): objects.append(nil)
        case UInt8(ascii: "}"), UInt8(ascii: "]"): objects.removeLast()
        case UInt8(ascii: ","):
          if objects.last??.expectingKey == false { objects[objects.count - 1]!.expectingKey = true }
        case UInt8(ascii: ":"):
          if objects.last??.expectingKey == true { objects[objects.count - 1]!.expectingKey = false }
        case UInt8(ascii: "\""):
          let start = index
          var escaped = false
          index += 1
          while index < bytes.count, bytes[index] != UInt8(ascii: "\"") || escaped {
            escaped = !escaped && bytes[index] == UInt8(ascii: "\\")
            index += 1
          }
          guard objects.last??.expectingKey == true else { break }
          let token = Data(bytes[start...min(index, bytes.count - 1)])
          let key =
            token.contains(UInt8(ascii: "\\"))
            ? (try? JSONDecoder().decode(String.self, from: token)) ?? ""
            : String(decoding: token.dropFirst().dropLast(), as: UTF8.self)
          if !objects[objects.count - 1]!.keys.insert(key).inserted { return key }
        default: break
        }
        index += 1
      }
      return nil
    }
  }

  /// The line as JSON gives it.
  private struct Raw: Decodable {
    var op: String
    var id: String
    var revision: Int
    var record: Record?
    var reason: String?
  }
}

/// Why a line of `data/records.jsonl` is not a record line: words that follow `line N `.
public struct LineProblem: Error, Sendable, CustomStringConvertible {
  public let description: String
  init(_ description: String) { self.description = description }
}
