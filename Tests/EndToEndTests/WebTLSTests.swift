import Foundation
import Testing

/// `mediabank serve --tls-cert --tls-key`: HTTPS with a certificate the test makes with `openssl`,
/// spoken to by `curl`, which trusts only that certificate (or its CA); the session cookie is
/// `Secure`; a missing, wrong or mismatched file stops the server before it listens.
@Suite(.serialized) struct WebTLSTests {
  static let password = "mật khẩu dài lắm"
  let scratch: ScratchDirectory
  let cli = CLI()
  let bank: String

  /// A bank with one account, `lan` (admin).
  init() throws {
    scratch = try ScratchDirectory()
    bank = scratch.appending("bank")
    try #require(try cli("init", "--bank", bank, "--province", "19").status == 0)
    let added = try cli.run(
      ["user", "add", "lan", "--role", "admin", "--password-stdin", "--bank", bank], input: Self.password + "\n")
    try #require(added.status == 0, "\(added.stderr)")
  }

  @Test("over HTTPS: the URL says https, a client that trusts the certificate signs in and gets a Secure cookie")
  func signInOverTLS() throws {
    let (certificate, key) = try makeSelfSigned("server")
    let server = try RunningServer(bank: bank, arguments: ["--tls-cert", certificate, "--tls-key", key])
    #expect(server.base.hasPrefix("https://127.0.0.1:"))
    let login = try curl(["--cacert", certificate, server.base + "/login"])
    #expect(login.status == 0, "\(login.stderr)")
    #expect(login.stdout.hasPrefix("HTTP/1.1 200") && login.stdout.contains("<h1>Đăng nhập</h1>"))
    #expect(login.header("Strict-Transport-Security") == "max-age=31536000", "browsers keep to HTTPS")
    // A client that asks to close the connection is told it will be (RFC 9112 §9.6); others not.
    #expect(login.header("Connection") == nil)
    let closing = try curl(["--cacert", certificate, "-H", "Connection: close", server.base + "/login"])
    #expect(closing.header("Connection") == "close", "\(closing.stdout.prefix(300))")
    let signIn = try curl([
      "--cacert", certificate, "--data-urlencode", "name=lan", "--data-urlencode", "password=\(Self.password)",
      "--data-urlencode", "next=/", server.base + "/login",
    ])
    #expect(signIn.stdout.hasPrefix("HTTP/1.1 303"), "\(signIn.stdout)")
    let cookie = try #require(signIn.header("Set-Cookie"))
    #expect(cookie.contains("; Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
    let session = try #require(cookie.split(separator: ";").first)
    let library = try curl(["--cacert", certificate, "-H", "Cookie: \(session)", server.base + "/"])
    #expect(library.stdout.hasPrefix("HTTP/1.1 200"), "the cookie signs in over HTTPS")
    // Originals are encrypted by the process under TLS (the kernel's sendfile serves plain HTTP
    // only): the whole file and a part of it arrive as they are stored.
    let photo = CLI.photo("orientation-6.jpg")
    let added = try cli("add", photo, "--bank", bank)
    let id = try #require(added.stdout.split(separator: " ").dropFirst().first)
    let stored = try #require(FileManager.default.contents(atPath: photo))
    let output = scratch.appending("original.jpg")
    for (range, expected) in [(nil, stored), ("100-199", stored[100...199])] {
      let fetched = try Self.run(
        "/usr/bin/curl",
        ["-sS", "--cacert", certificate, "-H", "Cookie: \(session)", "-o", output] + (range.map { ["-r", $0] } ?? [])
          + [server.base + "/assets/\(id)/original"])
      #expect(fetched.status == 0, "\(fetched.stderr)")
      #expect(FileManager.default.contents(atPath: output) == Data(expected), "range \(range ?? "none")")
    }
    // Real TLS: a client that does not trust the certificate stops at it (curl's 60), and plain
    // HTTP on the same port gets no answer.
    let untrusted = try curl([server.base + "/login"])
    #expect(untrusted.status == 60 && untrusted.stdout.isEmpty, "\(untrusted.stderr)")
    let plain = try curl([server.base.replacingOccurrences(of: "https://", with: "http://") + "/login"])
    #expect(plain.status != 0 && !plain.stdout.contains("HTTP/1.1"))
  }

  @Test("a certificate file with its intermediate: a client that trusts only the root gets the whole chain")
  func chain() throws {
    // root CA → intermediate CA → server; the server's file holds the server's then the intermediate's.
    let root = try makeSelfSigned("root", extensions: ["basicConstraints=critical,CA:TRUE", "keyUsage=keyCertSign"])
    let intermediate = try makeSigned(
      "intermediate", by: root, extensions: ["basicConstraints=critical,CA:TRUE", "keyUsage=keyCertSign"])
    let leaf = try makeSigned(
      "leaf", by: intermediate, extensions: ["subjectAltName=DNS:localhost,IP:127.0.0.1", "basicConstraints=CA:FALSE"])
    let chainFile = scratch.appending("chain.pem")
    try
      (try String(contentsOfFile: leaf.certificate, encoding: .utf8)
      + String(contentsOfFile: intermediate.certificate, encoding: .utf8))
      .write(toFile: chainFile, atomically: true, encoding: .utf8)
    let server = try RunningServer(bank: bank, arguments: ["--tls-cert", chainFile, "--tls-key", leaf.key])
    let login = try curl(["--cacert", root.certificate, server.base + "/login"])
    #expect(login.status == 0 && login.stdout.hasPrefix("HTTP/1.1 200"), "\(login.stderr)")
  }

  @Test("a missing, wrong, encrypted or mismatched certificate or key: an error naming the file, exit 2")
  func badFiles() throws {
    let (certificate, key) = try makeSelfSigned("server")
    let (_, otherKey) = try makeSelfSigned("other")
    let garbage = scratch.appending("garbage.pem")
    try "not a key\n".write(toFile: garbage, atomically: true, encoding: .utf8)
    let encrypted = scratch.appending("encrypted.pem")
    try openssl(["pkey", "-in", key, "-aes256", "-passout", "pass:secret", "-out", encrypted])
    let missing = scratch.appending("missing.pem")
    let cases: [(certificate: String, key: String, says: String)] = [
      (missing, key, "\(missing): cannot open the TLS certificate: No such file or directory"),
      (certificate, missing, "\(missing): cannot open the TLS private key: No such file or directory"),
      (scratch.path, key, "\(scratch.path): the TLS certificate: not a regular file"),
      (key, key, "\(key): not a PEM certificate (-----BEGIN CERTIFICATE-----)"),
      (certificate, garbage, "\(garbage): not a PEM private key (-----BEGIN PRIVATE KEY-----)"),
      (certificate, encrypted, "\(encrypted): not a PEM private key"),
      (certificate, otherKey, "\(otherKey): not the private key of the certificate in \(certificate)"),
    ]
    for (certificate, key, says) in cases {
      // Standard input holds nothing: an encrypted key must not wait for a passphrase.
      let run = try cli.run(
        ["serve", "--listen", "127.0.0.1:0", "--bank", bank, "--tls-cert", certificate, "--tls-key", key], input: "")
      #expect(run.status == 2, "\(says)")
      #expect(run.stderr.contains("mediabank: error: \(says)"), "\(run.stderr)")
      #expect(run.stdout.isEmpty, "nothing listened")
    }
    // One without the other is a usage error (64), as every other one.
    for (option, other) in [("--tls-cert", "--tls-key"), ("--tls-key", "--tls-cert")] {
      let run = try cli("serve", "--bank", bank, option, certificate)
      #expect(run.status == 64 && run.stderr.contains("\(option) needs \(other)"), "\(run.stderr)")
    }
  }

  // MARK: Certificates and a client

  /// A key and certificate, in `NAME.key` and `NAME.pem` of the scratch directory.
  typealias Pair = (certificate: String, key: String)

  /// A new P-256 key and a certificate of it signed by itself, valid for a day, with `extensions`:
  /// by default one for `localhost` and 127.0.0.1.
  func makeSelfSigned(_ name: String, extensions: [String] = ["subjectAltName=DNS:localhost,IP:127.0.0.1"]) throws
    -> Pair
  {
    let pair = (certificate: scratch.appending("\(name).pem"), key: scratch.appending("\(name).key"))
    try openssl(
      [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj",
        "/CN=\(name)", "-days", "1", "-keyout", pair.key, "-out", pair.certificate,
      ] + extensions.flatMap { ["-addext", $0] })
    return pair
  }

  /// A new P-256 key and a certificate of it signed by `issuer`, valid for a day, with `extensions`.
  func makeSigned(_ name: String, by issuer: Pair, extensions: [String]) throws -> Pair {
    let pair = (certificate: scratch.appending("\(name).pem"), key: scratch.appending("\(name).key"))
    let request = scratch.appending("\(name).csr"), settings = scratch.appending("\(name).ext")
    try extensions.joined(separator: "\n").write(toFile: settings, atomically: true, encoding: .utf8)
    try openssl([
      "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=\(name)",
      "-keyout", pair.key, "-out", request,
    ])
    try openssl([
      "x509", "-req", "-in", request, "-CA", issuer.certificate, "-CAkey", issuer.key, "-CAcreateserial", "-days", "1",
      "-extfile", settings, "-out", pair.certificate,
    ])
    return pair
  }

  /// Runs `openssl arguments…`, which must succeed.
  func openssl(_ arguments: [String]) throws {
    let run = try Self.run("/usr/bin/openssl", arguments)
    try #require(run.status == 0, "openssl \(arguments.joined(separator: " ")): \(run.stderr)")
  }

  /// What `curl` got: its exit status, the answer's status line, headers and body (`-i`), and
  /// what it said on standard error.
  struct Fetched {
    var status: Int32
    var stdout: String
    var stderr: String

    /// The value of the first header `name` of the answer.
    func header(_ name: String) -> String? {
      for line in stdout.components(separatedBy: "\r\n") {
        if line.isEmpty { break }
        if line.lowercased().hasPrefix(name.lowercased() + ":") {
          return line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)
        }
      }
      return nil
    }
  }

  /// `curl -sS -i arguments…`, with a deadline of 20 seconds.
  func curl(_ arguments: [String]) throws -> Fetched {
    try Self.run("/usr/bin/curl", ["-sS", "-i", "--max-time", "20"] + arguments)
  }

  static func run(_ executable: String, _ arguments: [String]) throws -> Fetched {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardInput = FileHandle.nullDevice
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Standard output read to its end first: curl's standard error holds a line at most.
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let problem = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Fetched(
      status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self),
      stderr: String(decoding: problem, as: UTF8.self))
  }
}
