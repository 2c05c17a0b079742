import Foundation
import HTTPTypes
import Hummingbird
import MediaBank
import Synchronization
import SystemIO

/// Sync bundles over HTTP, on the national bank (`Storage/sync-bundle.md`, *Transport over
/// HTTP*). No account: the bundle's signature by a trusted province key is the authentication,
/// checked once its bytes are all there, as `mediabank receive` checks it; before that, only a
/// bundle id of a trusted source and of the sequence expected from it is taken, one upload of it
/// at a time, up to the server's size limit.
///
/// - `HEAD /api/v1/bundles/{id}`: `Upload-Offset` = the bytes held of it so far (0: none);
///   `MediaBank-Received-At` when it was received already.
/// - `PUT /api/v1/bundles/{id}` with `Upload-Length` (the tar's size) and `Upload-Offset` (where
///   this body starts: the bytes held): appends the body. While bytes are missing, 202 with the
///   new `Upload-Offset`; once the last byte is there, the bundle is received and the answer is
///   its signed receipt (200, `application/json`); a bundle received before gets its stored
///   receipt. Refusals are problems (RFC 9457) with the reason, as `receive` words it.
/// - `GET /api/v1/bundles/status?source=19`: the next sequence expected from a province and its
///   last bundle's receipt (`BundleStatus`), so a province restored from a backup catches up.
extension WebServer {
  static let uploadOffset = HTTPField.Name("Upload-Offset")!
  static let uploadLength = HTTPField.Name("Upload-Length")!
  static let receivedAt = HTTPField.Name("MediaBank-Received-At")!

  func addBundleRoutes(to router: Router<WebContext>) {
    router.head("/api/v1/bundles/:id") { _, context in try await bundleOffset(context) }
    router.put("/api/v1/bundles/:id") { request, context in try await bundleUpload(request, context) }
    router.get("/api/v1/bundles/status") { request, _ in try await bundleStatus(request) }
  }

  private func incoming(_ context: WebContext) async throws -> IncomingBundle {
    let id = context.parameters.get("id") ?? ""
    return try await blocking { () throws(MediaBankError) in try library.incomingBundle(id) }
  }

  private func bundleOffset(_ context: WebContext) async throws -> Response {
    let bundle = try await incoming(context)
    var headers: HTTPFields = [Self.uploadOffset: String(bundle.heldBytes), .cacheControl: "no-store"]
    if let receivedAt = bundle.receivedAt { headers[Self.receivedAt] = receivedAt }
    return Response(status: .ok, headers: headers)
  }

  private func bundleUpload(_ request: Request, _ context: WebContext) async throws -> Response {
    let bundle = try await incoming(context)
    if let receivedAt = bundle.receivedAt {
      let receipt = try await blocking { () throws(MediaBankError) in try library.storedReceipt(bundle) }
      return Self.receiptAnswer(receipt, receivedAt: receivedAt)
    }
    guard let length = request.headers[Self.uploadLength].flatMap({ Int64($0) }), length > 0 else {
      throw MediaBankError(.invalidInput, "Upload-Length gives the size of the bundle's tar file")
    }
    guard length <= maxBundleBytes else {
      throw HTTPError(.contentTooLarge, message: "the bundle is larger than the limit of \(maxBundleBytes) bytes")
    }
    let offset = Int64(request.headers[Self.uploadOffset] ?? "0") ?? -1
    // One upload of a bundle at a time: a second (a retry while the first still runs) waits for
    // nothing and is told to ask again.
    guard bundlesInProgress.begin(bundle.id) else {
      throw MediaBankError(.busy, "\(bundle.id) is being received; ask again (HEAD) in a moment")
    }
    defer { bundlesInProgress.end(bundle.id) }
    let held = bundle.heldBytes
    guard offset == held, held <= length else {
      return API.problem(
        status: .conflict, detail: "the server holds \(held) bytes of \(bundle.id): send from there",
        code: "conflict", headers: [Self.uploadOffset: String(held)])
    }
    if held < length {
      let appended = try await append(request.body, to: bundle, room: length - held)
      if held + appended < length {
        return Response(
          status: .accepted, headers: [Self.uploadOffset: String(held + appended), .cacheControl: "no-store"])
      }
    }
    let (_, receipt) = try await blocking { () throws(MediaBankError) in
      defer { IO.returnFreedMemory() }
      return try library.receiveIncoming(bundle)
    }
    return Self.receiptAnswer(receipt, receivedAt: nil)
  }

  /// Appends `body` to the bytes held of `bundle`, at most `room` bytes (413 past them), a
  /// mebibyte at a time; what arrived before a dropped connection stays. Returns the bytes added.
  private func append(_ body: RequestBody, to bundle: IncomingBundle, room: Int64) async throws -> Int64 {
    let descriptor = try await blocking { () throws(MediaBankError) in try library.openIncoming(bundle) }
    defer { IO.close(FileDescriptor(rawValue: descriptor)) }
    var pending = ByteBuffer()
    var added: Int64 = 0
    func flush() async throws {
      guard pending.readableBytes > 0 else { return }
      let bytes = pending
      pending.clear()
      try await blocking { () throws(MediaBankError) in
        do throws(SystemError) {
          try bytes.withUnsafeReadableBytes { buffer throws(SystemError) in
            try IO.writeAll(buffer, to: FileDescriptor(rawValue: descriptor), path: bundle.path)
          }
        } catch {
          throw MediaBankError(error.description, path: bundle.id, wrapping: error)
        }
      }
    }
    do {
      for try await var buffer in body {
        added += Int64(buffer.readableBytes)
        guard added <= room else {
          throw HTTPError(.contentTooLarge, message: "the body runs past Upload-Length")
        }
        pending.writeBuffer(&buffer)
        if pending.readableBytes >= 1 << 20 { try await flush() }
      }
    } catch {
      // Keep what arrived whole before the connection dropped (not past Upload-Length).
      if added <= room { try? await flush() }
      throw error
    }
    try await flush()
    return added
  }

  static func receiptAnswer(_ receipt: String, receivedAt: String?) -> Response {
    var headers: HTTPFields = [.contentType: "application/json", .cacheControl: "no-store"]
    if let receivedAt { headers[Self.receivedAt] = receivedAt }
    return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: receipt)))
  }

  private func bundleStatus(_ request: Request) async throws -> Response {
    guard let source = Form(query: request)["source"] else {
      throw MediaBankError(.invalidInput, "source= names the province (19)")
    }
    let status = try await blocking { () throws(MediaBankError) in try library.bundleStatus(source: source) }
    return try API.json(status)
  }
}

/// The ids of the bundles whose bytes are being received.
final class BundlesInProgress: Sendable {
  private let ids = Mutex<Set<String>>([])

  /// Marks `id` as being received; false when it is already.
  func begin(_ id: String) -> Bool { ids.withLock { $0.insert(id).inserted } }

  func end(_ id: String) { _ = ids.withLock { $0.remove(id) } }
}
