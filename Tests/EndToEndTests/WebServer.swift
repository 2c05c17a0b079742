import Foundation
import Glibc
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// A real `mediabank serve` on a free loopback port, for the tests of the web library: started
/// on a bank, stopped (SIGTERM) when the value goes away.
final class RunningServer: @unchecked Sendable {
  let process = Process()
  /// `http://127.0.0.1:PORT` (`https://` with `--tls-cert`), without the final slash.
  let base: String

  init(bank: String, listen: String = "127.0.0.1:0", arguments: [String] = []) throws {
    process.executableURL = CLI.executable
    process.arguments = ["serve", "--listen", listen, "--bank", bank] + arguments
    process.environment = CLI().environment
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    // The first line says where it listens.
    var line = Data()
    let deadline = Date().addingTimeInterval(30)
    while !line.contains(UInt8(ascii: "\n")), Date() < deadline {
      let chunk = out.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      line += chunk
    }
    // `MediaBank web library: http://127.0.0.1:PORT/ (bank …)`, or https://
    let text = String(decoding: line, as: UTF8.self)
    guard let start = text.range(of: "http://") ?? text.range(of: "https://") else {
      process.terminate()
      throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "serve printed no URL: \(text)"])
    }
    base = String(text[start.lowerBound...].prefix { $0 != " " }.dropLast())
  }

  deinit {
    process.terminate()
    process.waitUntilExit()
  }

  /// Makes the bank the web tests serve, `bank` in `scratch`, and returns its path: province 19,
  /// six photos (four titled `<script>alert(1)</script>`, one `Lễ hội Lồng Tồng` saved as
  /// `Lễ hội.jpg`, one `Đồi chè`) and the accounts `lan` (admin) and `mai` (viewer), both with
  /// `password`.
  static func makeBank(in scratch: ScratchDirectory, password: String) throws -> String {
    let cli = CLI()
    let bank = scratch.appending("bank")
    try #require(try cli("init", "--bank", bank, "--province", "19").status == 0)
    for name in ["orientation-1.jpg", "orientation-2.jpg", "orientation-3.jpg", "orientation-4.jpg"] {
      try #require(
        try cli("add", CLI.photo(name), "--bank", bank, "--title", "<script>alert(1)</script>", "--lang", "vi").status
          == 0)
    }
    let festival = scratch.appending("Lễ hội.jpg")
    try FileManager.default.copyItem(atPath: CLI.photo("orientation-5.jpg"), toPath: festival)
    try #require(try cli("add", festival, "--bank", bank, "--title", "Lễ hội Lồng Tồng", "--lang", "vi").status == 0)
    try #require(try cli("add", CLI.photo("orientation-6.jpg"), "--bank", bank, "--title", "Đồi chè").status == 0)
    for (name, role) in [("lan", "admin"), ("mai", "viewer")] {
      let added = try cli.run(
        ["user", "add", name, "--role", role, "--password-stdin", "--bank", bank], input: password + "\n")
      try #require(added.status == 0, "\(added.stderr)")
    }
    return bank
  }
}

/// An HTTP client as a browser is one, but literal: it follows no redirect and sends the cookie
/// it was given, nothing more.
final class Browser: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
  struct Answer {
    var status: Int
    var headers: [String: String]
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? {
      headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
    func json() throws -> [String: Any] {
      try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
    }
  }

  let base: String
  /// The session cookie (`mb_session=…`), once signed in.
  var cookie: String?
  private lazy var session: URLSession = {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.httpShouldSetCookies = false
    configuration.httpCookieAcceptPolicy = .never
    return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
  }()

  init(_ server: RunningServer) { base = server.base }

  func get(_ path: String, headers: [String: String] = [:]) async throws -> Answer {
    try await send("GET", path, headers: headers)
  }

  /// A form post, its fields URL-encoded in the order given.
  func post(_ path: String, form: [(String, String)], headers: [String: String] = [:]) async throws -> Answer {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    let body = form.map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
    var headers = headers
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return try await send("POST", path, headers: headers, body: Data(body.utf8))
  }

  func send(_ method: String, _ path: String, headers: [String: String] = [:], body: Data? = nil) async throws
    -> Answer
  {
    var request = URLRequest(url: URL(string: base + path)!)
    request.httpMethod = method
    request.httpBody = body
    if let cookie { request.setValue(cookie, forHTTPHeaderField: "Cookie") }
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    let (data, response) = try await session.data(for: request)
    let http = try #require(response as? HTTPURLResponse)
    var fields: [String: String] = [:]
    for (name, value) in http.allHeaderFields { fields["\(name)"] = "\(value)" }
    return Answer(status: http.statusCode, headers: fields, body: data)
  }

  /// Signs in; the session cookie is kept for the next requests.
  @discardableResult
  func signIn(_ name: String, _ password: String) async throws -> Answer {
    let answer = try await post("/login", form: [("name", name), ("password", password), ("next", "/")])
    if let setCookie = answer.header("Set-Cookie"), let pair = setCookie.split(separator: ";").first {
      cookie = String(pair)
    }
    return answer
  }

  /// The form token of the signed-in session, from a page's sign-out form.
  func formToken() async throws -> String {
    let page = try await get("/").text
    let marker = "name=\"_token\" value=\""
    let start = try #require(page.range(of: marker)).upperBound
    return String(page[start...].prefix { $0 != "\"" })
  }

  func urlSession(
    _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
  ) {
    completionHandler(nil)
  }
}
