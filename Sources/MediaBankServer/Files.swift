import Foundation
import HTTPTypes
import Hummingbird
import MediaBank

/// The files of an asset: its preview and its original.
extension WebServer {
  /// The preview of an asset: a JPEG named by its hash, so it never changes: revalidated by its
  /// `ETag`, kept by the browser for a year. `private`: only the signed-in browser may keep it.
  func preview(_ request: Request, _ context: WebContext) async throws -> Response {
    let id = try Self.assetID(context)
    let asked = request.headers[.ifNoneMatch]
    // One look-up of the asset's row, and the file read (a few dozen KB) only when the browser
    // does not hold it already.
    let (object, bytes) = try await blocking { () throws(MediaBankError) -> (String, [UInt8]?) in
      let preview = try library.preview(of: id)
      let etag = "\"\(preview.object.dropFirst("sha256:".count))\""
      if asked?.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag }) == true {
        return (preview.object, nil)
      }
      return (preview.object, try preview.read())
    }
    var headers: HTTPFields = [
      .eTag: "\"\(object.dropFirst("sha256:".count))\"", .cacheControl: "private, max-age=31536000, immutable",
    ]
    guard let bytes else { return Response(status: .notModified, headers: headers) }
    headers[.contentType] = "image/jpeg"
    return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
  }

  /// The original file, as an attachment under its first original name (RFC 6266 with the
  /// RFC 5987 `filename*` for names that are not ASCII).
  func original(_ request: Request, _ context: WebContext) async throws -> Response {
    let id = try Self.assetID(context)
    let (record, path) = try await blocking { () throws(MediaBankError) -> (AssetRecord, String) in
      let record = try library.asset(id)
      return (record, try library.objectFile(record.id))
    }
    let name = record.originalNames.first ?? String(record.id.dropFirst("sha256:".count).prefix(12))
    let headers: HTTPFields = [
      .contentType: record.mediaType, .contentDisposition: Self.attachment(name),
      .eTag: "\"\(record.id.dropFirst("sha256:".count))\"", .cacheControl: "private, max-age=31536000, immutable",
    ]
    // Large reads: a 1 GiB original in 1 MiB pieces.
    let body = try await FileIO().loadFile(path: path, context: context, chunkLength: 1 << 20)
    return Response(status: .ok, headers: headers, body: body)
  }
}
