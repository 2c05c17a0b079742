import Foundation
public import MediaBank
import SyncBundle
import SystemIO

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// A bundle `sync` sent, and what the remote said of it.
public struct SentBundle: Codable, Equatable, Sendable {
  public var bundle: String
  /// Bytes of its tar file, and of them those sent by this run (less when it resumed).
  public var bytes: Int64
  public var sentBytes: Int64
  /// From the receipt: records accepted (or already held) and refused.
  public var accepted: Int
  public var rejected: Int
  /// The remote had received it already (its stored receipt answered).
  public var alreadyReceived: Bool
}

/// What one `mediabank sync` did with a remote.
public struct SyncOutcome: Codable, Equatable, Sendable {
  public var remote: String
  public var url: String
  public var sent: [SentBundle]
  /// The remote expected a later bundle than this bank had made (this bank was restored from a
  /// backup): the first bundle sent was a full one, numbered as the remote expects.
  public var resynchronised: Bool
}

/// Sends a bank's bundles to a remote bank over HTTP (`Storage/sync-bundle.md`, *Transport over
/// HTTP*): asks it which bundle it expects next, sends again the bundles whose receipt is
/// missing, exports what changed and sends it, each in pieces that resume where the remote's
/// bytes end, and applies each receipt. One sync of a remote at a time (a lock in the bank).
public struct Syncer: Sendable {
  public let library: Library
  public let remote: Remote
  /// Told the bundle, the bytes the remote holds of it and its size, as the bytes go.
  public var progress: (@Sendable (String, Int64, Int64) -> Void)?
  /// The size of each `PUT`: what a dropped connection makes the sender send again, at most.
  public var pieceSize = 16 << 20
  /// How many times a piece is tried again after a network failure (waiting 1, 2, 4… s).
  public var retries = 4

  public init(library: Library, remote: Remote) {
    self.library = library
    self.remote = remote
  }

  /// One sync. Throws `.busy` when another sync of the remote runs, `.unavailable` when the
  /// remote cannot be reached, and the remote's refusals (`.refused`) as `receive` words them.
  public func run() async throws(MediaBankError) -> SyncOutcome {
    let lock: FileLock?
    do throws(SystemError) {
      try? FileManager.default.createDirectory(atPath: library.outbox(remote.name), withIntermediateDirectories: true)
      lock = try FileLock.attempt(library.syncLockPath(remote.name))
    } catch {
      throw MediaBankError(error.description, wrapping: error)
    }
    guard let lock else {
      throw MediaBankError(.busy, "another `mediabank sync` is sending to \(remote.name); this one stops")
    }
    defer { lock.release() }
    guard let province = try library.identity().province else {
      throw MediaBankError(.conflict, "this bank has no province; `mediabank init --province CODE` first")
    }
    var outcome = SyncOutcome(remote: remote.name, url: remote.url, sent: [], resynchronised: false)
    let status: BundleStatus = try await json(
      try request("GET", "/api/v1/bundles/status?source=\(province)"), as: BundleStatus.self)
    var bundles = try library.exportedBundles(to: remote.name)
    let last = bundles.map(\.sequence).max() ?? 0
    // The remote received bundles this bank does not know of (this bank was restored from a
    // backup): one full bundle, numbered as the remote expects, brings it up to date.
    if status.nextSequence > last + 1 {
      _ = try export(ExportOptions(destination: remote.name, full: true, output: "", sequence: status.nextSequence))
      outcome.resynchronised = true
      bundles = try library.exportedBundles(to: remote.name)
    }
    // Bundles without a receipt here, and those the remote lost (it expects one this bank sent),
    // in order: below the remote's next, their receipt; from it on, each sent (from the outbox, or
    // made again as `export --resend` makes it).
    for bundle in bundles where !bundle.receiptApplied || bundle.sequence >= status.nextSequence {
      if bundle.sequence < status.nextSequence {
        if let received = try await receiptOnly(bundle) { outcome.sent.append(received) }
      } else {
        outcome.sent.append(try await send(bundle))
      }
    }
    // What changed since.
    for made in try export(ExportOptions(destination: remote.name, output: "")) {
      outcome.sent.append(try await send(ExportedBundle(id: made, sequence: 0, receiptApplied: false)))
    }
    return outcome
  }

  // MARK: Bundles

  private func tarPath(_ id: String) -> String { library.outbox(remote.name) + "/\(id).tar" }

  /// Exports into the outbox, one tar file per bundle named by its id; returns the ids.
  private func export(_ options: ExportOptions) throws(MediaBankError) -> [String] {
    var options = options
    let staging = library.outbox(remote.name) + "/export-\(getpid()).tar"
    options.output = staging
    let made = try library.export(options)
    for result in made {
      guard rename(result.path, tarPath(result.bundle)) == 0 else {
        throw MediaBankError(.io(errno: errno), "cannot move the bundle into the outbox", path: result.path)
      }
    }
    return made.map(\.bundle)
  }

  /// The receipt of `bundle`, which the remote received (or moved past: nil), applied.
  private func receiptOnly(_ bundle: ExportedBundle) async throws(MediaBankError) -> SentBundle? {
    var sent = SentBundle(bundle: bundle.id, bytes: 0, sentBytes: 0, accepted: 0, rejected: 0, alreadyReceived: true)
    let receipt: Data
    do {
      receipt = try await upload(tarPath(bundle.id), id: bundle.id, size: 0, sent: &sent)
    } catch {
      // Older than the last bundle the remote received and not received there: superseded (a
      // full bundle after a restore carries its records).
      if case .refused(let reason) = error.code, reason == .sequence { return nil }
      throw error
    }
    try apply(receipt, of: bundle.id, to: &sent)
    unlink(tarPath(bundle.id))
    return sent
  }

  private func apply(_ receipt: Data, of id: String, to sent: inout SentBundle) throws(MediaBankError) {
    let receiptPath = tarPath(id) + ".receipt.json"
    defer { unlink(receiptPath) }
    do throws(SystemError) {
      try IO.writeAtomically(receipt, to: receiptPath)
    } catch {
      throw MediaBankError(error.description, path: receiptPath, wrapping: error)
    }
    let applied = try library.applyReceipt(receiptPath)
    sent.accepted = applied.accepted + applied.unchanged
    sent.rejected = applied.rejected.count
  }

  /// Sends `bundle` (made again from the catalog when its tar file is not in the outbox),
  /// applies the receipt and removes the tar file.
  private func send(_ bundle: ExportedBundle) async throws(MediaBankError) -> SentBundle {
    let path = tarPath(bundle.id)
    if !FileManager.default.fileExists(atPath: path) {
      _ = try export(ExportOptions(destination: remote.name, resend: bundle.sequence, output: ""))
    }
    let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    var sent = SentBundle(
      bundle: bundle.id, bytes: size, sentBytes: 0, accepted: 0, rejected: 0, alreadyReceived: false)
    let receipt = try await upload(path, id: bundle.id, size: size, sent: &sent)
    try apply(receipt, of: bundle.id, to: &sent)
    unlink(path)
    return sent
  }

  /// Sends the bytes of `path` the remote does not hold, a piece at a time, and returns the
  /// receipt. A network failure is retried, from the bytes the remote then says it holds.
  private func upload(_ path: String, id: String, size: Int64, sent: inout SentBundle) async throws(MediaBankError)
    -> Data
  {
    let resource = "/api/v1/bundles/\(id)"
    var failures = 0
    while true {
      do {
        let head = try await exchange(try request("HEAD", resource))
        if head.1.value(forHTTPHeaderField: "MediaBank-Received-At") != nil {
          sent.alreadyReceived = true
          guard let receipt = try await piece(resource, path: path, from: size, size: size).receipt else {
            throw MediaBankError(.conflict, "\(remote.name) received \(id) but gave no receipt", path: id)
          }
          return receipt
        }
        guard size > 0 else {
          throw MediaBankError(.notFound, "\(remote.name) has not received \(id)", path: id)
        }
        var offset = Int64(head.1.value(forHTTPHeaderField: "Upload-Offset") ?? "0") ?? 0
        while true {
          progress?(id, offset, size)
          let answer = try await piece(resource, path: path, from: offset, size: size)
          if let receipt = answer.receipt {
            sent.sentBytes += size - offset
            progress?(id, size, size)
            return receipt
          }
          sent.sentBytes += answer.offset - offset
          offset = answer.offset
        }
      } catch let error as Unreachable {
        failures += 1
        guard failures <= retries else {
          throw MediaBankError(.unavailable, "\(remote.url) cannot be reached: \(error.reason)", path: id)
        }
        try? await Task.sleep(for: .seconds(1 << (failures - 1)))
      } catch let error as MediaBankError {
        throw error
      } catch {
        throw MediaBankError("\(error)", path: id, wrapping: error)
      }
    }
  }

  /// One `PUT` of the bytes from `offset` (at most `pieceSize`): the remote's new offset, or the
  /// receipt once the bundle is received.
  private func piece(_ resource: String, path: String, from offset: Int64, size: Int64) async throws -> (
    offset: Int64, receipt: Data?
  ) {
    var put = try request("PUT", resource)
    put.setValue(String(size), forHTTPHeaderField: "Upload-Length")
    put.setValue(String(offset), forHTTPHeaderField: "Upload-Offset")
    put.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
    let count = Int(min(Int64(pieceSize), size - offset))
    if count > 0 {
      guard let file = FileHandle(forReadingAtPath: path) else {
        throw MediaBankError(.notFound, "cannot read the bundle", path: path)
      }
      defer { try? file.close() }
      try file.seek(toOffset: UInt64(offset))
      put.httpBody = try file.read(upToCount: count) ?? Data()
    } else {
      put.httpBody = Data()
    }
    // The last piece's answer waits for the remote to check and apply the whole bundle.
    if offset + Int64(count) == size { put.timeoutInterval = 3600 }
    let (data, response) = try await exchange(put)
    switch response.statusCode {
    case 200: return (size, data)
    case 202:
      return (Int64(response.value(forHTTPHeaderField: "Upload-Offset") ?? "") ?? offset + Int64(count), nil)
    case 409 where response.value(forHTTPHeaderField: "Upload-Offset") != nil:
      // The remote holds other bytes than this side thought (a piece arrived in part): from there.
      return (Int64(response.value(forHTTPHeaderField: "Upload-Offset")!) ?? 0, nil)
    default: throw problem(data, response)
    }
  }

  // MARK: HTTP

  /// A network failure (no answer, a dropped connection, a server error): worth trying again.
  struct Unreachable: Error {
    var reason: String
  }

  /// Whether `error` is a server's certificate this machine does not trust. Foundation on Linux
  /// gives libcurl's errors as `.unknown` with libcurl's words (`SSL certificate problem:
  /// self-signed certificate`, `SSL: no alternative certificate subject name matches…`).
  static func isUntrustedCertificate(_ error: URLError) -> Bool {
    let codes: Set<URLError.Code> = [
      .serverCertificateUntrusted, .serverCertificateHasUnknownRoot, .serverCertificateHasBadDate,
      .serverCertificateNotYetValid,
    ]
    let text = error.localizedDescription
    return codes.contains(error.code) || text.hasPrefix("SSL certificate problem")
      || text.hasPrefix("SSL: no alternative certificate subject name")
  }

  private func request(_ method: String, _ resource: String) throws(MediaBankError) -> URLRequest {
    guard let url = URL(string: remote.url + resource) else {
      throw MediaBankError(.invalidInput, "'\(remote.url)' is not a URL")
    }
    var request = URLRequest(url: url)
    request.httpMethod = method
    request.timeoutInterval = 120
    request.setValue("MediaBank", forHTTPHeaderField: "User-Agent")
    // A connection for each request: libcurl sends a request again by itself when a connection it
    // reused dies under it, and cannot send a body again (that request then waits for nothing).
    // So a dropped connection is an error here, and the next try asks the server what it holds.
    request.setValue("close", forHTTPHeaderField: "Connection")
    return request
  }

  private static let session: URLSession = {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.httpShouldSetCookies = false
    configuration.urlCache = nil
    return URLSession(configuration: configuration)
  }()

  /// Sends `request`; a failure to get an answer, or a 5xx one, is `Unreachable`.
  private func exchange(_ request: URLRequest) async throws -> (Data, HTTPURLResponse) {
    let data: Data
    let response: URLResponse
    do {
      (data, response) = try await Self.session.data(for: request)
    } catch let error as URLError where Self.isUntrustedCertificate(error) {
      // Not worth trying again: the certificate will not change in the next seconds.
      throw MediaBankError(
        .unavailable,
        "\(remote.url) cannot be reached: \(error.localizedDescription) (add the certificate authority of the "
          + "server to this machine's store: README, Connecting to the national bank)")
    } catch {
      throw Unreachable(reason: error.localizedDescription)
    }
    guard let http = response as? HTTPURLResponse else { throw Unreachable(reason: "not an HTTP answer") }
    if http.statusCode >= 500 { throw Unreachable(reason: "HTTP \(http.statusCode)") }
    return (data, http)
  }

  private func json<T: Decodable>(_ request: URLRequest, as type: T.Type) async throws(MediaBankError) -> T {
    var failures = 0
    while true {
      do {
        let (data, response) = try await exchange(request)
        guard response.statusCode == 200 else { throw problem(data, response) }
        return try JSONDecoder().decode(type, from: data)
      } catch let error as Unreachable {
        failures += 1
        guard failures <= retries else {
          throw MediaBankError(.unavailable, "\(remote.url) cannot be reached: \(error.reason)")
        }
        try? await Task.sleep(for: .seconds(1 << (failures - 1)))
      } catch let error as MediaBankError {
        throw error
      } catch {
        throw MediaBankError(.unavailable, "\(remote.url) answered something else than MediaBank's status: \(error)")
      }
    }
  }

  /// The remote's refusal (a problem, RFC 9457) as the error `receive` would have thrown there.
  private func problem(_ data: Data, _ response: HTTPURLResponse) -> MediaBankError {
    struct Problem: Decodable {
      var detail: String
      var code: String
      var reason: String?
    }
    guard let problem = try? JSONDecoder().decode(Problem.self, from: data) else {
      return MediaBankError(.unavailable, "\(remote.url) answered HTTP \(response.statusCode), not MediaBank's")
    }
    let code: MediaBankError.Code =
      switch problem.code {
      case "refused": .refused(problem.reason.flatMap { BundleError.Reason(name: $0) } ?? .structure)
      case "notFound": .notFound
      case "invalidInput": .invalidInput
      case "conflict": .conflict
      case "busy": .busy
      case "diskFull": .diskFull
      default: .unavailable
      }
    return MediaBankError(code, "\(remote.name) refused: \(problem.detail)")
  }
}
