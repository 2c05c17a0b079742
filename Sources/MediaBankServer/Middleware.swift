import Foundation
import HTTPTypes
import Hummingbird
import MediaBank
import Messages
import Synchronization

/// Says `Connection: close` in the answer to a request that asked for it (RFC 9112 §9.6): the
/// server closes that connection after the answer, and a client that was not told may send its
/// next request on it (libcurl does, then sends it again without its body, and waits).
struct ConnectionClose: RouterMiddleware {
  typealias Context = WebContext

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    var response = try await next(request, context)
    if request.headers[.connection]?.lowercased() == "close" { response.headers[.connection] = "close" }
    return response
  }
}

/// The headers every answer carries: no script, style, image or frame from elsewhere, no
/// guessing of content types, no framing, no referrer to other sites.
struct SecurityHeaders: RouterMiddleware {
  typealias Context = WebContext
  /// Whether the server itself speaks TLS: browsers are then told to use HTTPS only (HSTS).
  var strictTransport = false

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    var context = context
    if let ui = request.cookies["ui"].flatMap({ UILanguage(rawValue: $0.value) }) { context.language = ui }
    if let ui = request.uri.queryParameters["ui"].flatMap({ UILanguage(rawValue: String($0)) }) {
      context.language = ui
    }
    var response = try await next(request, context)
    response.headers[.contentSecurityPolicy] =
      "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
    response.headers[.xContentTypeOptions] = "nosniff"
    response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
    response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
    if strictTransport { response.headers[HTTPField.Name("Strict-Transport-Security")!] = "max-age=31536000" }
    if request.uri.queryParameters["ui"] != nil {
      // The language chosen stays for the next pages.
      response.setCookie(
        Cookie(
          name: "ui", value: context.language.rawValue, maxAge: 365 * 86400, path: "/", httpOnly: true,
          sameSite: .strict))
    }
    return response
  }
}

/// Errors as the caller can read them: a JSON problem (RFC 9457) under `/api/`, a page
/// elsewhere; the status from the library's error code (`MediaBankError.Code.httpStatus`).
struct ErrorPages: RouterMiddleware {
  typealias Context = WebContext

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    let status: HTTPResponse.Status
    let detail: String
    let code: String
    var reason: String?
    do {
      return try await next(request, context)
    } catch let error as MediaBankError {
      status = .init(code: error.code.httpStatus)
      if case .refused(let why) = error.code { reason = why.description }
      // An internal error's message may name files of the server: the log has it, not the answer.
      detail = status.code >= 500 ? "the server could not answer; its log says why" : error.description
      code = error.code.name
      if status.code >= 500 { context.logger.error("\(request.method) \(request.uri.path): \(error)") }
    } catch let error as HTTPError {
      status = error.status
      detail = error.body ?? API.reasonPhrase(status)
      // The names of the library's codes, for the statuses the server itself answers with.
      code =
        switch status.code {
        case 400: "invalidInput"
        case 401: "unauthenticated"
        case 403: "permissionDenied"
        case 404: "notFound"
        case 413: "tooLarge"
        case 429: "tooManyRequests"
        default: "http\(status.code)"
        }
    } catch {
      status = .internalServerError
      detail = "the server could not answer; its log says why"
      code = "internal"
      context.logger.error("\(request.method) \(request.uri.path): \(error)")
    }
    if request.uri.path.hasPrefix("/api/") {
      return API.problem(status: status, detail: detail, code: code, reason: reason)
    }
    return Pages.html(Pages.error(status: status, detail: detail, context: context), status: status)
  }
}

/// Lets a request through only with a valid session (or, under `/api/`, an API token) whose
/// account has at least `role`; else `401` (API) or a redirect to the sign-in page (pages), and
/// `403` for a role too low. The handlers of changes check the form token.
struct Authenticate: RouterMiddleware {
  typealias Context = WebContext
  /// The name of the session cookie.
  static let cookie = "mb_session"

  let library: Library
  let role: Role

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    let session: SignedIn?
    if let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
      // A script's API token; only the API takes it. (Other schemes, such as a proxy's Basic
      // authentication, are not this server's: the cookie decides.)
      guard request.uri.path.hasPrefix("/api/") else {
        throw HTTPError(.unauthorized, message: "an API token is sent as Authorization: Bearer, to /api/ only")
      }
      let token = String(authorization.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
      session = try await blocking { () throws(MediaBankError) in try library.session(token: token) }
      guard session != nil else { throw HTTPError(.unauthorized, message: "the token is not valid (revoked?)") }
    } else {
      let secret = request.cookies[Self.cookie]?.value ?? ""
      session =
        secret.isEmpty ? nil : try await blocking { () throws(MediaBankError) in try library.session(secret: secret) }
    }
    guard let session else {
      if request.uri.path.hasPrefix("/api/") || request.method != .get {
        throw HTTPError(.unauthorized, message: "sign in first")
      }
      return Response.redirect(to: "/login" + queryString([("next", request.uri.description)]), type: .found)
    }
    guard session.account.role >= role else {
      throw HTTPError(.forbidden, message: "your role (\(session.account.role.rawValue)) may not do this")
    }
    var context = context
    context.signedIn = session
    return try await next(request, context)
  }
}

/// A URL-encoded form, read whole (bounded by the context's upload size).
struct Form {
  private var fields: [String: String] = [:]
  /// Every value of each name, in order (a list of ticked boxes).
  private var lists: [String: [String]] = [:]

  init(request: inout Request) async throws {
    self.init(encoded: String(buffer: try await request.collectBody(upTo: 64 * 1024)))
  }

  /// The fields of a URL's query, decoded as a form's (`+` is a space, as a GET form and
  /// `URLSearchParams` write it; Hummingbird's `queryParameters` leave it a `+`).
  init(query request: Request) {
    self.init(encoded: request.uri.query ?? "")
  }

  private init(encoded: String) {
    for pair in encoded.split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard let name = Self.decode(parts[0]) else { continue }
      let value = parts.count > 1 ? Self.decode(parts[1]) : ""
      fields[name] = value
      if let value { lists[name, default: []].append(value) }
    }
  }

  subscript(name: String) -> String? { fields[name] }

  /// Every value of the field `name`, in order.
  func values(_ name: String) -> [String] { lists[name] ?? [] }

  /// The field `name` trimmed, nil when absent or empty.
  func value(_ name: String) -> String? {
    guard let text = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
    return text
  }

  /// Refuses (403) a form without the session's token: a page of another site cannot post here
  /// on the signed-in user's behalf.
  func checkToken(_ context: WebContext) throws {
    try Self.checkToken(fields["_token"], context)
  }

  /// Refuses (403) `given` unless it is the session's form token (compared in constant time).
  static func checkToken(_ given: String?, _ context: WebContext) throws {
    // A script's API token is the request's proof: it sends no cookie a page of another site
    // could make the browser send.
    if context.signedIn?.byToken == true { return }
    guard let expected = context.signedIn?.formToken, let given, given.utf8.count == expected.utf8.count,
      zip(given.utf8, expected.utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
    else { throw HTTPError(.forbidden, message: "the form is out of date or not from this site: reload the page") }
  }

  /// Whether the request came from a page of this site: its `Origin`, when sent, names the host
  /// the request was sent to. (The sign-in form has no session, hence no token, yet.)
  func checkOrigin(_ request: Request) throws -> Bool {
    guard let origin = request.headers[.origin] else { return true }
    guard let host = request.head.authority else { return false }
    return origin == "http://\(host)" || origin == "https://\(host)"
  }

  private static func decode(_ text: Substring) -> String? {
    text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
  }
}

/// Failed sign-ins, counted per account name and per address: after 5 failures in 15 minutes,
/// either one is refused until the oldest of them is 15 minutes old. An attempt counts as a
/// failure from the moment it is let through (so that many at once are not all let through), and
/// a success takes it back and clears the name. At most `concurrent` attempts run at once (each
/// costs 32 MiB and a tenth of a second of scrypt); the others are refused at once.
final class SignInThrottle: Sendable {
  static let limit = 5
  static let window: TimeInterval = 15 * 60
  static let concurrent = 4
  private let state = Mutex<(failures: [String: [Date]], running: Int)>(([:], 0))

  /// Whether an attempt of `name` from `address` may run now; if so it is counted, and
  /// `finished(name:address:succeeded:at:)` must follow.
  func begin(name: String, address: String, now: Date = Date()) -> Bool {
    state.withLock { state in
      guard state.running < Self.concurrent else { return false }
      let keys = ["name:" + name, "address:" + address]
      for key in keys {
        state.failures[key] = state.failures[key]?.filter { now.timeIntervalSince($0) < Self.window }
        if (state.failures[key]?.count ?? 0) >= Self.limit { return false }
      }
      // Bounded memory: past 10,000 names and addresses, those without a recent failure go.
      if state.failures.count > 10_000 {
        state.failures = state.failures.filter { $0.value.contains { now.timeIntervalSince($0) < Self.window } }
      }
      for key in keys { state.failures[key, default: []].append(now) }
      state.running += 1
      return true
    }
  }

  /// Ends an attempt that `begin` let through: a success takes its count back and clears the
  /// name's failures.
  func finished(name: String, address: String, succeeded: Bool, at start: Date) {
    state.withLock { state in
      state.running -= 1
      guard succeeded else { return }
      state.failures["name:" + name] = nil
      state.failures["address:" + address]?.removeAll { $0 == start }
    }
  }
}
