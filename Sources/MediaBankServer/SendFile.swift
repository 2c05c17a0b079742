import HTTPTypes
import HummingbirdCore
import Logging
import MediaBank
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import SystemIO

/// Originals sent by the kernel (`sendfile`), from the page cache to the socket, instead of read
/// into buffers and written again: a large download then costs about what `cat` costs.
///
/// Hummingbird writes bodies as buffers only. So a handler answers with the head of the file's
/// response and an empty body, and names the stored object in an internal header,
/// `x-mediabank-send-object: sha256:<hex> <first> <last>` (the bytes to send, inclusive).
/// ``SendFileHandler`` sits in the channel's pipeline below Hummingbird's codec, where the parts
/// are NIO's HTTP/1 parts, whose bodies may be file regions: it removes the header and writes the
/// object's bytes as a `FileRegion` before the end of the response. Over TLS the bytes must be
/// encrypted in the process, so the server installs it only for plain HTTP
/// (``SendFileHTTP1Channel``), and `WebServer.original` reads the file into buffers there.
enum SendFile {
  /// The internal header; never sent (the handler removes it from every response).
  static let field = HTTPField.Name("x-mediabank-send-object")!

  /// The value of the internal header for the bytes `range` of object `id`.
  static func value(_ id: String, _ range: ClosedRange<Int>) -> String {
    "\(id) \(range.lowerBound) \(range.upperBound)"
  }

  /// The object and the bytes a header value names; nil for anything else.
  static func parse(_ value: String) -> (id: String, range: ClosedRange<Int>)? {
    let parts = value.split(separator: " ")
    guard parts.count == 3, let first = Int(parts[1]), let last = Int(parts[2]), first >= 0, last >= first
    else { return nil }
    return (String(parts[0]), first...last)
  }
}

/// Writes the bytes of the object that a response's internal header names as a file region (see
/// ``SendFile``). Requests on one connection are answered in order, so the methods of the
/// requests read (a queue: the next request may be read before this one's answer is written) say
/// whether an answer is to a `HEAD`, which gets the head only.
final class SendFileHandler: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias InboundOut = HTTPServerRequestPart
  typealias OutboundIn = HTTPServerResponsePart
  typealias OutboundOut = HTTPServerResponsePart

  /// The file of a stored object (nil when it is not stored).
  let objectFile: @Sendable (String) -> String?
  private var methods: [HTTPMethod] = []
  /// The file region of the response being written, written before its end.
  private var pending: (path: String, range: ClosedRange<Int>)?

  init(objectFile: @escaping @Sendable (String) -> String?) {
    self.objectFile = objectFile
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    if case .head(let head) = unwrapInboundIn(data) { methods.append(head.method) }
    context.fireChannelRead(data)
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    switch unwrapOutboundIn(data) {
    case .head(var head):
      let named = head.headers[canonicalForm: SendFile.field.canonicalName].first
      head.headers.remove(name: SendFile.field.canonicalName)
      // An interim answer (100 Continue) is not the request's answer.
      let final = head.status.code >= 200
      let method = final && !methods.isEmpty ? methods.removeFirst() : nil
      if let named, method != .HEAD, let (id, range) = SendFile.parse(String(named)), let path = objectFile(id) {
        pending = (path, range)
      }
      context.write(wrapOutboundOut(.head(head)), promise: promise)
    case .body(let body):
      context.write(wrapOutboundOut(.body(body)), promise: promise)
    case .end(let trailers):
      guard let (path, range) = pending else {
        context.write(wrapOutboundOut(.end(trailers)), promise: promise)
        return
      }
      pending = nil
      // A stored object's file: `open` of a file that was just looked at does not wait on the
      // disk, so it runs here, on the event loop.
      let handle: NIOFileHandle
      do throws(SystemError) {
        let descriptor = try IO.open(path, .readOnly)
        handle = NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: descriptor.rawValue)
      } catch {
        // The head promised bytes that cannot come (the object was removed meanwhile): the
        // connection is closed, and the client sees a short answer.
        promise?.fail(error)
        context.close(promise: nil)
        return
      }
      let region = FileRegion(fileHandle: handle, readerIndex: range.lowerBound, endIndex: range.upperBound + 1)
      context.write(wrapOutboundOut(.body(.fileRegion(region))), promise: nil)
      let written = context.eventLoop.makePromise(of: Void.self)
      written.futureResult.whenComplete { _ in try? handle.close() }
      if let promise { written.futureResult.cascade(to: promise) }
      context.write(wrapOutboundOut(.end(trailers)), promise: written)
    }
  }
}

/// Hummingbird's HTTP/1 channel with a ``SendFileHandler`` between NIO's HTTP/1 codec and
/// Hummingbird's: the same pipeline as `HTTP1Channel` otherwise, with `WebServer.idleSeconds`.
struct SendFileHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
  typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

  let responder: HTTPChannelHandler.Responder
  let objectFile: @Sendable (String) -> String?

  func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
    channel.eventLoop.makeCompletedFuture {
      try channel.pipeline.syncOperations.configureHTTPServerPipeline(
        withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false,
        withEncoderConfiguration: .init(), withDecoderLimitConfiguration: Self.decoderLimits)
      try channel.pipeline.syncOperations.addHandler(SendFileHandler(objectFile: objectFile))
      try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
      try channel.pipeline.syncOperations.addHandler(
        HTTPConnectionStateHandler(idleTimeout: .seconds(WebServer.idleSeconds), logger: logger))
      return try NIOAsyncChannel(
        wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
    }
  }

  /// Hummingbird's defaults: 80 KiB for a header field and for all of them, 1,000 fields.
  static var decoderLimits: NIOHTTPDecoderLimitConfiguration {
    var limits = NIOHTTPDecoderLimitConfiguration()
    limits.maxHeaderFieldSize = 80 * 1024
    limits.maxHeaderListSize = 80 * 1024
    limits.maxHeaderFieldCount = 1000
    return limits
  }

  func handle(value asyncChannel: Value, logger: Logger) async {
    await handleHTTP(asyncChannel: asyncChannel, logger: logger)
  }
}

extension HTTPServerBuilder {
  /// HTTP/1 whose originals go out by `sendfile` (``SendFileHTTP1Channel``).
  static func http1SendingFiles(_ objectFile: @escaping @Sendable (String) -> String?) -> HTTPServerBuilder {
    .init { responder in SendFileHTTP1Channel(responder: responder, objectFile: objectFile) }
  }
}
