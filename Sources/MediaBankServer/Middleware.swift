import Foundation
import HTTPTypes
import Hummingbird
import MediaBank
import Synchronization

/// The headers every answer carries: no script, style, image or frame from elsewhere, no
/// guessing of content types, no framing, no referrer to other sites.
struct SecurityHeaders: RouterMiddleware {
  typealias Context = WebContext

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    var context = context
    if let ui = request.cookies["ui"].flatMap({ UILanguage(rawValue: $0.value) }) { context.language = ui }
    if let ui = request.uri.queryParameters["ui"].flatMap({ UILanguage(rawValue: String($0)) }) {
      context.language = ui
    }
    var response = try await next(request, context)
    response.headers[.contentSecurityPolicy] = "default-src 'self'; frame-ancestors 'none'; form-action 'self'"
    response.headers[.xContentTypeOptions] = "nosniff"
    response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
    response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
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
    do {
      return try await next(request, context)
    } catch let error as MediaBankError {
      status = .init(code: error.code.httpStatus)
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
      return API.problem(status: status, detail: detail, code: code)
    }
    return Pages.html(Pages.error(status: status, detail: detail, context: context), status: status)
  }
}

/// Lets a request through only with a valid session whose account has at least `role`; else
/// `401` (API) or a redirect to the sign-in page (pages), and `403` for a role too low. A request
/// that changes something must also come from this site (`Origin`), besides its form token.
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
    if let authorization = request.headers[.authorization] {
      // A script's API token; only the API takes it.
      guard request.uri.path.hasPrefix("/api/"), authorization.hasPrefix("Bearer ") else {
        throw HTTPError(.unauthorized, message: "an API token is sent as Authorization: Bearer, to /api/ only")
      }
      let token = String(authorization.dropFirst("Bearer ".count))
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

  init(request: inout Request) async throws {
    let body = try await request.collectBody(upTo: 64 * 1024)
    for pair in String(buffer: body).split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard let name = Self.decode(parts[0]) else { continue }
      fields[name] = parts.count > 1 ? Self.decode(parts[1]) : ""
    }
  }

  subscript(name: String) -> String? { fields[name] }

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
/// either one is refused until the oldest of them is 15 minutes old. A success clears the name.
final class SignInThrottle: Sendable {
  static let limit = 5
  static let window: TimeInterval = 15 * 60
  private let failures = Mutex<[String: [Date]]>([:])

  func allows(name: String, address: String, now: Date = Date()) -> Bool {
    failures.withLock { failures in
      for key in ["name:" + name, "address:" + address] {
        failures[key] = failures[key]?.filter { now.timeIntervalSince($0) < Self.window }
        if (failures[key]?.count ?? 0) >= Self.limit { return false }
      }
      return true
    }
  }

  func failed(name: String, address: String, now: Date = Date()) {
    failures.withLock { failures in
      // Bounded memory: a flood of names forgets the oldest entries first.
      if failures.count > 100_000 { failures.removeAll() }
      for key in ["name:" + name, "address:" + address] { failures[key, default: []].append(now) }
    }
  }

  func succeeded(name: String, address: String) {
    failures.withLock { $0["name:" + name] = nil }
  }
}
