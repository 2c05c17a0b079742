import Foundation
import Testing

/// `mediabank sync` to a national bank that serves HTTPS itself (`serve --tls-cert --tls-key`),
/// with a self-signed certificate made by `openssl`. The province's `sync` (Foundation's
/// URLSession, libcurl under it on Linux) checks the certificate against the system's certificate
/// authorities, the CA bundle libcurl was built with (Debian's
/// `/etc/ssl/certs/ca-certificates.crt`), and nothing else: `SSL_CERT_FILE`, `SSL_CERT_DIR` and
/// `CURL_CA_BUNDLE` are read by the `curl` program and by OpenSSL's default paths, which libcurl
/// does not use when it has a bundle of its own. The certificate is added to the system's
/// authorities for one process only: in a mount namespace of its own (`unshare`), a bundle of the
/// system's authorities and the certificate is mounted over the system's bundle, as
/// `update-ca-certificates` would have made it, without changing the machine.
@Suite(.serialized) struct SyncHTTPSTests {
  /// The CA bundle of the system: Debian's libcurl reads it (its `CURLOPT_CAINFO` by default).
  static let systemBundle = "/etc/ssl/certs/ca-certificates.crt"
  /// The variables that name other certificate authorities to OpenSSL and to `curl`.
  static let certificateVariables = ["SSL_CERT_FILE", "SSL_CERT_DIR", "CURL_CA_BUNDLE"]

  let scratch: ScratchDirectory
  let national: String
  /// The commands' environment, without the machine's certificate variables.
  let environment: [String: String]

  init() throws {
    scratch = try ScratchDirectory()
    national = scratch.appending("national")
    var environment = CLI().environment
    for name in Self.certificateVariables { environment[name] = nil }
    self.environment = environment
    let made = try run(CLI.executable.path, ["init", "--bank", national, "--national"])
    try #require(made.status == 0, "\(made.stderr)")
  }

  @Test(
    "over HTTPS, sync trusts the certificate in the system's authorities, not in SSL_CERT_FILE, SSL_CERT_DIR or CURL_CA_BUNDLE"
  )
  func syncOverHTTPS() throws {
    try #require(
      try run("/usr/bin/unshare", ["-r", "-m", "/bin/true"]).status == 0,
      "unshare -r -m: user and mount namespaces are needed to give sync a system store of its own")
    try #require(FileManager.default.isReadableFile(atPath: Self.systemBundle), "\(Self.systemBundle)")
    // A self-signed certificate for 127.0.0.1, and the system's authorities with it added.
    let certificate = scratch.appending("national.pem"), key = scratch.appending("national.key")
    let made = try run(
      "/usr/bin/openssl",
      [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=localhost",
        "-days", "1", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", certificate,
      ])
    try #require(made.status == 0, "openssl: \(made.stderr)")
    let bundle = scratch.appending("ca-certificates.crt")
    try
      (try String(contentsOfFile: Self.systemBundle, encoding: .utf8)
      + String(contentsOfFile: certificate, encoding: .utf8))
      .write(toFile: bundle, atomically: true, encoding: .utf8)
    // The same certificate as a directory of OpenSSL's hashed names, for SSL_CERT_DIR.
    let directory = scratch.appending("certs")
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: certificate, toPath: directory + "/national.pem")
    let rehashed = try run("/usr/bin/openssl", ["rehash", directory])
    try #require(rehashed.status == 0, "openssl rehash: \(rehashed.stderr)")
    let named = Dictionary(
      uniqueKeysWithValues: zip(Self.certificateVariables, [certificate, directory, certificate]))

    // The national bank over HTTPS, and province 19 with one photo; each trusts the other's key.
    let server = try RunningServer(bank: national, arguments: ["--tls-cert", certificate, "--tls-key", key])
    try #require(server.base.hasPrefix("https://127.0.0.1:"), "\(server.base)")
    let province = scratch.appending("province-19")
    try mediabank(["init", "--bank", province, "--province", "19"])
    try mediabank(["add", CLI.photo("orientation-1.jpg"), "--bank", province])
    try mediabank(
      ["trust", "add", "--bank", "19", "--public-key", province + "/keys/bank.pub", "--bank-path", national])
    try mediabank(
      ["remote", "add", "national", server.base, "--key", national + "/keys/bank.pub", "--bank", province])

    // Trusted through the system's authorities: the bundle goes, the receipt comes back.
    let first = try trustingSystem(bundle, ["sync", "--once", "--bank", province])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.hasPrefix("mediabank-19-000001 → national: sent "), "\(first.stdout)")
    #expect(try received() == provinceIDs(province), "the national bank lists the province's record")
    #expect(try destination(province)?["awaitingReceipt"] as? [String] == [], "the receipt was applied")
    #expect(try source()?["bundles"] as? Int == 1)

    // A new change, and the certificate not in the system's authorities, whether or not the
    // variables name it: the sync stops at the certificate (a remote that cannot be reached,
    // exit 2) and nothing is applied on either side.
    try mediabank(["add", CLI.photo("orientation-2.jpg"), "--bank", province])
    for variables in [[:], named] {
      // Not tried again (that would take 1 + 2 + 4 + 8 s): the certificate will not change.
      let started = Date()
      let untrusted = try run(
        CLI.executable.path, ["sync", "--once", "--bank", province], environment: environment.merging(variables) { $1 })
      #expect(Date().timeIntervalSince(started) < 10, "\(variables): tried again")
      #expect(untrusted.status == 2, "\(variables): \(untrusted.stdout)\(untrusted.stderr)")
      #expect(untrusted.stdout.isEmpty, "\(untrusted.stdout)")
      #expect(
        untrusted.stderr.contains("mediabank: error: \(server.base) cannot be reached: ")
          && untrusted.stderr.contains("SSL certificate problem: self-signed certificate"),
        "\(variables): \(untrusted.stderr)")
    }
    #expect(try received().count == 1, "nothing received")
    #expect(try source()?["bundles"] as? Int == 1)
    let waiting = try destination(province)
    #expect(
      waiting?["bundles"] as? Int == 1 && waiting?["pendingRecords"] as? Int == 1, "nothing exported: \(waiting ?? [:])"
    )
    #expect(waiting?["awaitingReceipt"] as? [String] == [])
    // The same variables do make the `curl` program trust the server: the server is sound.
    let fetched = try run(
      "/usr/bin/curl", ["-sS", "--max-time", "20", server.base + "/api/v1/bundles/status?source=19"],
      environment: environment.merging(named) { $1 })
    #expect(fetched.status == 0, "\(fetched.stderr)")
    let status = try JSONSerialization.jsonObject(with: Data(fetched.stdout.utf8)) as? [String: Any]
    #expect(status?["nextSequence"] as? Int == 2, "\(fetched.stdout)")

    // Trusted again: the change goes as the next bundle, and its receipt is applied.
    let second = try trustingSystem(bundle, ["sync", "--once", "--bank", province])
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stdout.hasPrefix("mediabank-19-000002 → national: sent "), "\(second.stdout)")
    #expect(try received() == provinceIDs(province))
    #expect(try received().count == 2)
    let done = try destination(province)
    #expect(done?["awaitingReceipt"] as? [String] == [] && done?["pendingRecords"] as? Int == 0, "\(done ?? [:])")
    #expect(done?["lastBundle"] as? String == "mediabank-19-000002")
    #expect(try source()?["bundles"] as? Int == 2 && source()?["assets"] as? Int == 2)
    #expect(try FileManager.default.contentsOfDirectory(atPath: province + "/outbox/national").isEmpty)
  }

  // MARK: Helpers

  /// `mediabank arguments…`, which must succeed.
  func mediabank(_ arguments: [String]) throws {
    let ran = try run(CLI.executable.path, arguments)
    try #require(ran.status == 0, "mediabank \(arguments.joined(separator: " ")): \(ran.stderr)")
  }

  /// `mediabank arguments…` in a mount namespace of its own where `bundle` is the system's CA
  /// bundle, as `update-ca-certificates` writes it after a certificate is added to
  /// `/usr/local/share/ca-certificates/`.
  func trustingSystem(_ bundle: String, _ arguments: [String]) throws -> CLI.Output {
    try run(
      "/usr/bin/unshare",
      [
        "-r", "-m", "--", "/bin/sh", "-c", "/usr/bin/mount --bind \"$1\" \"$2\" && shift 2 && exec \"$@\"", "sh",
        bundle, Self.systemBundle, CLI.executable.path,
      ] + arguments)
  }

  /// The ids of the national bank's records sent by province 19, sorted.
  func received() throws -> [String] {
    try ids(run(CLI.executable.path, ["list", "--json", "--source-bank", "19", "--bank", national]))
  }

  /// The ids of the province's assets, sorted.
  func provinceIDs(_ province: String) throws -> [String] {
    try ids(run(CLI.executable.path, ["list", "--json", "--bank", province]))
  }

  func ids(_ listed: CLI.Output) throws -> [String] {
    // `list` exits 1 when nothing matched, as `grep` does.
    guard listed.status == 0 else { return [] }
    let records = try #require(try listed.json() as? [[String: Any]], "\(listed.stdout)")
    return records.compactMap { $0["id"] as? String }.sorted()
  }

  /// The province's `sync-status --json` of its destination `national`.
  func destination(_ province: String) throws -> [String: Any]? {
    let status = try run(CLI.executable.path, ["sync-status", "--json", "--bank", province])
    let destinations = (try status.json() as? [String: Any])?["destinations"] as? [[String: Any]]
    return destinations?.first { $0["name"] as? String == "national" }
  }

  /// The national bank's `sync-status --json` of its source 19.
  func source() throws -> [String: Any]? {
    let status = try run(CLI.executable.path, ["sync-status", "--json", "--bank", national])
    let sources = (try status.json() as? [String: Any])?["sources"] as? [[String: Any]]
    return sources?.first { $0["bank"] as? String == "19" }
  }

  /// Runs `executable arguments…` to completion in `environment` (by default the commands'
  /// own), its standard input empty.
  func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> CLI.Output {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = environment ?? self.environment
    process.standardInput = FileHandle.nullDevice
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Standard output read to its end first: what these commands say on standard error is short.
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let problem = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CLI.Output(
      status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self),
      stderr: String(decoding: problem, as: UTF8.self))
  }
}
