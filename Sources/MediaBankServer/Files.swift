import Foundation
import HTTPTypes
import Hummingbird
import MediaBank

/// The files of an asset: its preview, its display image and its original. Each is named by its
/// hash, so it never changes: its `ETag` is the hash, `If-None-Match` gets 304, and the browser
/// keeps it for a year (`private`: only the signed-in browser may keep it).
extension WebServer {
  /// `Cache-Control` of every file named by its hash.
  static let immutable = "private, max-age=31536000, immutable"

  /// The strong `ETag` of object `id`: its hex digits, quoted.
  static func etag(_ id: String) -> String {
    "\"\(id.dropFirst("sha256:".count))\""
  }

  /// Whether `If-None-Match` (`asked`) names `etag`, or is `*`.
  static func matches(_ asked: String?, _ etag: String) -> Bool {
    guard let asked else { return false }
    return asked.split(separator: ",").contains {
      let tag = $0.trimmingCharacters(in: .whitespaces)
      return tag == etag || tag == "*" || tag == "W/" + etag
    }
  }

  /// The preview of an asset: a JPEG of 320 pixels.
  func preview(_ request: Request, _ context: WebContext) async throws -> Response {
    let id = try Self.assetID(context)
    let asked = request.headers[.ifNoneMatch]
    // One look-up of the asset's row, and the file read (a few dozen KB) only when the browser
    // does not hold it already.
    let (object, bytes) = try await blocking { () throws(MediaBankError) -> (String, [UInt8]?) in
      let preview = try library.preview(of: id)
      if Self.matches(asked, Self.etag(preview.object)) { return (preview.object, nil) }
      return (preview.object, try preview.read())
    }
    var headers: HTTPFields = [.eTag: Self.etag(object), .cacheControl: Self.immutable]
    guard let bytes else { return Response(status: .notModified, headers: headers) }
    headers[.contentType] = "image/jpeg"
    return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
  }

  /// The large view of a photo (`Library.display(of:)`): the original when a browser shows it as
  /// it is, else its display rendition, a JPEG of 1600 pixels made on the first request and kept.
  func display(_ request: Request, _ context: WebContext) async throws -> Response {
    let id = try Self.assetID(context)
    let image = try await blocking { () throws(MediaBankError) in try library.display(of: id) }
    var headers: HTTPFields = [.eTag: Self.etag(image.object), .cacheControl: Self.immutable]
    if Self.matches(request.headers[.ifNoneMatch], Self.etag(image.object)) {
      return Response(status: .notModified, headers: headers)
    }
    headers[.contentType] = image.mediaType
    let body = try await FileIO().loadFile(path: image.path, context: context, chunkLength: 1 << 20)
    return Response(status: .ok, headers: headers, body: body)
  }

  /// The original file, as an attachment under its first original name (RFC 6266 with the
  /// RFC 5987 `filename*` for names that are not ASCII), streamed from its file in 1 MiB pieces.
  /// `Range` (RFC 9110) is honoured for one range: 206 with the part, 416 when it lies past the
  /// end; several ranges get the whole file (200), as does a `Range` whose `If-Range` is not the
  /// `ETag`. `?inline=1` shows it in the page instead (`Content-Disposition: inline`) when it is a
  /// video or an image a browser shows, never for other types (HTML, SVG, text stay attachments).
  func original(_ request: Request, _ context: WebContext) async throws -> Response {
    let id = try Self.assetID(context)
    let (record, path, size) = try await blocking { () throws(MediaBankError) -> (AssetRecord, String, Int64) in
      let record = try library.asset(id)
      let path = try library.objectFile(record.id)
      // The file's own size, which the ranges are of (the record's, were the file unreadable).
      let attributes = try? FileManager.default.attributesOfItem(atPath: path)
      let size = (attributes?[.size] as? NSNumber)?.int64Value ?? record.byteSize
      return (record, path, size)
    }
    let name = record.originalNames.first ?? String(record.id.dropFirst("sha256:".count).prefix(12))
    let inline = Form(query: request)["inline"] == "1" && Self.showsInline(record)
    let etag = Self.etag(record.id)
    var headers: HTTPFields = [
      .contentType: inline ? Self.inlineType(record) : record.mediaType,
      .contentDisposition: inline
        ? "inline" + Self.attachment(name).dropFirst("attachment".count) : Self.attachment(name),
      .eTag: etag, .cacheControl: Self.immutable, .acceptRanges: "bytes",
    ]
    if Self.matches(request.headers[.ifNoneMatch], etag) { return Response(status: .notModified, headers: headers) }
    let ifRange = request.headers[.ifRange]
    switch ByteRange(request.headers[.range], size: size) {
    case .part(let range) where ifRange == nil || ifRange == etag:
      headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
      return try await fileResponse(.partialContent, headers, record.id, path, range, context)
    case .unsatisfiable where ifRange == nil || ifRange == etag:
      headers[.contentType] = nil
      headers[.contentDisposition] = nil
      headers[.contentRange] = "bytes */\(size)"
      return Response(status: .rangeNotSatisfiable, headers: headers)
    default:
      return try await fileResponse(.ok, headers, record.id, path, size > 0 ? 0...Int(size - 1) : nil, context)
    }
  }

  /// The answer that carries the bytes `range` (nil: none) of the object `id`, whose file is at
  /// `path`: sent by the kernel (`SendFile`) over plain HTTP, read in 1 MiB pieces under TLS.
  private func fileResponse(
    _ status: HTTPResponse.Status, _ headers: HTTPFields, _ id: String, _ path: String,
    _ range: ClosedRange<Int>?, _ context: WebContext
  ) async throws -> Response {
    var headers = headers
    guard let range else {
      return Response(status: status, headers: headers)
    }
    if tls == nil {
      headers[.contentLength] = String(range.count)
      headers[SendFile.field] = SendFile.value(id, range)
      return Response(status: status, headers: headers)
    }
    let body = try await FileIO().loadFile(path: path, range: range, context: context, chunkLength: 1 << 20)
    return Response(status: status, headers: headers, body: body)
  }

  /// Whether the original of `record` may be shown in a page (`?inline=1`): a video, or an image
  /// of a type every browser shows. Never HTML, SVG or text, which a browser would run or render.
  static func showsInline(_ record: AssetRecord) -> Bool {
    record.mediaType.hasPrefix("video/") || Library.browserImageTypes.contains(record.mediaType)
  }

  /// The type an original is shown inline as: a QuickTime or M4V video as `video/mp4` (the same
  /// ISO base media file, and a type every browser's player takes), else its own.
  static func inlineType(_ record: AssetRecord) -> String {
    ["mov", "m4v"].contains(record.container ?? "") ? "video/mp4" : record.mediaType
  }

  /// Whether browsers play the video `record` in a `<video>` element: H.264, VP9 or AV1 in MP4
  /// (or QuickTime, M4V), VP8, VP9 or AV1 in WebM. HEVC (Safari and some Chrome only), MPEG-2,
  /// MPEG-4 Part 2, WMV, H.263 and Matroska, AVI, MPEG-TS, 3GP and FLV containers are not.
  static func playsInBrowser(_ record: AssetRecord) -> Bool {
    guard record.kind == "video", let codec = record.videoCodec else { return false }
    switch record.container {
    case "mp4", "mov", "m4v": return ["h264", "vp9", "av1"].contains(codec)
    case "webm": return ["vp8", "vp9", "av1"].contains(codec)
    default: return false
    }
  }
}

/// What a `Range` header asks of a representation of `size` bytes (RFC 9110, section 14).
enum ByteRange: Equatable {
  /// No range, or one this server does not serve as a part (another unit, a syntax error,
  /// several ranges): the whole representation.
  case whole
  /// One satisfiable range, clamped to the representation.
  case part(ClosedRange<Int>)
  /// One range that starts past the end (or a suffix of an empty file): 416.
  case unsatisfiable

  init(_ header: String?, size: Int64) {
    self = .whole
    guard let header else { return }
    let trimmed = header.trimmingCharacters(in: .whitespaces)
    guard trimmed.lowercased().hasPrefix("bytes=") else { return }
    let specs = trimmed.dropFirst("bytes=".count).split(separator: ",", omittingEmptySubsequences: false)
      .map { $0.trimmingCharacters(in: .whitespaces) }
    // Several ranges would need a multipart/byteranges answer: the whole file instead (RFC 9110
    // lets a server ignore Range).
    guard specs.count == 1, let spec = specs.first else { return }
    let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
    guard parts.count == 2 else { return }
    func number(_ text: Substring) -> Int64? {
      guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
        return nil
      }
      return Int64(text)
    }
    if parts[0].isEmpty {
      // `-n`: the last n bytes.
      guard let suffix = number(parts[1]) else { return }
      guard suffix > 0, size > 0 else {
        self = .unsatisfiable
        return
      }
      self = .part(Int(max(0, size - suffix))...Int(size - 1))
      return
    }
    guard let first = number(parts[0]) else { return }
    let last: Int64
    if parts[1].isEmpty {
      last = size - 1
    } else {
      guard let given = number(parts[1]), given >= first else { return }
      last = min(given, size - 1)
    }
    guard first < size else {
      self = .unsatisfiable
      return
    }
    self = .part(Int(first)...Int(last))
  }
}
