import Foundation
import Glibc
import Testing

/// Provinces sending their bundles to the national bank's server over loopback (`mediabank
/// sync`, `PUT /api/v1/bundles/ID`): a normal sync, a connection cut in the middle of an upload
/// and the national server killed in the middle of one (the broken uploads sent by
/// Tests/Sync/partial_put.py), the refusals of `receive` over HTTP, a bank restored from a backup,
/// three provinces at once and a second sync of one.
@Suite(.serialized) struct SyncHTTPTests {
  let scratch: ScratchDirectory
  let cli = CLI()
  let national: String

  init() throws {
    scratch = try ScratchDirectory()
    national = scratch.appending("national")
    try #require(try cli("init", "--bank", national, "--national").status == 0)
  }

  /// A province's bank with `photos` added, trusted by the national bank, whose remote
  /// `national` is `url` (when given).
  func province(_ code: String, photos: [String], url: String? = nil, trusted: Bool = true) throws -> String {
    let bank = scratch.appending("province-\(code)")
    try #require(try cli("init", "--bank", bank, "--province", code).status == 0)
    for photo in photos { try #require(try cli("add", CLI.photo(photo), "--bank", bank).status == 0) }
    if trusted {
      let trust = try cli(
        "trust", "add", "--bank", code, "--public-key", bank + "/keys/bank.pub", "--bank-path", national)
      try #require(trust.status == 0, "\(trust.stderr)")
    }
    if let url { try setRemote(bank, url) }
    return bank
  }

  func setRemote(_ bank: String, _ url: String) throws {
    let added = try cli("remote", "add", "national", url, "--key", national + "/keys/bank.pub", "--bank", bank)
    try #require(added.status == 0, "\(added.stderr)")
  }

  /// `mediabank sync --json` of `bank`: its exit status, what it sent, and its standard error.
  func sync(_ bank: String, _ extra: [String] = []) throws -> (status: Int32, sent: [[String: Any]], stderr: String) {
    let output = try cli.run(["sync", "--json", "--bank", bank] + extra)
    let outcomes = (try? output.json() as? [[String: Any]]) ?? []
    return (output.status, outcomes.flatMap { $0["sent"] as? [[String: Any]] ?? [] }, output.stderr)
  }

  /// The national bank's assets contributed by `source`.
  func contributed(_ source: String) throws -> Int {
    let listed = try cli("list", "--ids", "--source-bank", source, "--bank", national)
    return listed.stdout.split(separator: "\n").count
  }

  func nationalVerifies() throws -> Bool {
    try cli("verify", "--bank", national).status == 0
  }

  @Test("a province syncs: its assets arrive, the receipt is applied, a second sync has nothing to say")
  func normalSync() async throws {
    let server = try RunningServer(bank: national)
    let bank = try province(
      "19", photos: ["orientation-1.jpg", "orientation-2.jpg", "gps-southwest.jpg"], url: server.base)
    let first = try sync(bank)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.sent.map { $0["bundle"] as? String } == ["mediabank-19-000001"])
    #expect(first.sent.first?["accepted"] as? Int == 3 && first.sent.first?["rejected"] as? Int == 0)
    #expect(try contributed("19") == 3)
    let status = try cli("sync-status", "--json", "--bank", bank).json() as? [String: Any]
    let destination = (status?["destinations"] as? [[String: Any]])?.first { $0["name"] as? String == "national" }
    #expect((destination?["awaitingReceipt"] as? [String]) == [])
    // Nothing changed: no output at all, exit 0.
    let again = try cli("sync", "--bank", bank)
    #expect(again.status == 0 && again.stdout.isEmpty && again.stderr.isEmpty, "\(again.stdout)\(again.stderr)")
    // A change goes as the next bundle.
    try #require(try cli("add", CLI.photo("orientation-3.jpg"), "--bank", bank).status == 0)
    let second = try cli("sync", "--bank", bank)
    #expect(second.status == 0 && second.stdout.hasPrefix("mediabank-19-000002 → national: sent "), "\(second.stdout)")
    #expect(try contributed("19") == 4)
    #expect(try FileManager.default.contentsOfDirectory(atPath: bank + "/outbox/national").isEmpty)
    #expect(try nationalVerifies())
    // The national bank's web library: what the province sent, the last received first, with the
    // province each record came from as a facet.
    let account = try cli.run(
      ["user", "add", "bo", "--role", "viewer", "--password-stdin", "--bank", national], input: "mật khẩu rất dài\n")
    try #require(account.status == 0, "\(account.stderr)")
    let browser = Browser(server)
    try await browser.signIn("bo", "mật khẩu rất dài")
    let page = try await browser.get("/")
    #expect(page.status == 200 && page.text.contains("data-total=\"4\""), "\(page.status)")
    #expect(page.text.contains("href=\"/?source=19\""), "the source facet")
    let newest = try #require(
      try cli("list", "--ids", "--source-bank", "19", "--bank", national).stdout.split(separator: "\n").last)
    let grid = try #require(page.text.range(of: "<ul class=\"grid\">"))
    #expect(page.text[grid.upperBound...].hasPrefix("<li><a href=\"/assets/\(newest)\""), "the last received first")
    #expect(try await browser.get("/?source=19").text.contains("data-total=\"4\""))
    let stranger = try await browser.get("/?source=01")
    #expect(
      (400..<500).contains(stranger.status) && stranger.text.contains("sends records to this bank"),
      "\(stranger.status)")
    #expect(try await browser.get("/?source=x").status == 400)
  }

  /// Exports `bank`'s next bundle into its outbox for `national`, where `sync` looks for it, and
  /// returns its id, path and size.
  func outboxBundle(_ bank: String) throws -> (id: String, path: String, size: Int) {
    let outbox = bank + "/outbox/national"
    let made = try cli("export", "--out", outbox + "/next.tar", "--json", "--bank", bank)
    let id = try #require((try made.json() as? [[String: Any]])?.first?["bundle"] as? String)
    let path = outbox + "/\(id).tar"
    try FileManager.default.moveItem(atPath: outbox + "/next.tar", toPath: path)
    return (id, path, try #require(Self.size(path)))
  }

  /// Tests/Sync/partial_put.py: `count` bytes of `file` from byte `from` sent as bundle `id`, then
  /// the connection closed (`close`), or kept open with the request unfinished (`hold`; the
  /// process is returned, running).
  func partialPut(_ port: Int, _ id: String, _ file: String, from: Int = 0, _ count: Int, _ mode: String) throws
    -> Process
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "python3", SchemaTests.root.appendingPathComponent("Tests/Sync/partial_put.py").path, String(port), id, file,
      String(from), String(count), mode,
    ]
    let out = Pipe()
    process.standardOutput = out
    process.standardInput = Pipe()
    try process.run()
    _ = out.fileHandleForReading.availableData  // "sent"
    if mode == "close" { process.waitUntilExit() }
    return process
  }

  @Test("a connection cut in the middle of an upload: the server keeps what arrived, sync sends the rest")
  func cutAndResumed() throws {
    let server = try RunningServer(bank: national)
    let port = try #require(Int(server.base.split(separator: ":").last ?? ""))
    let bank = try province(
      "19", photos: ["orientation-1.jpg", "orientation-2.jpg", "orientation-3.jpg", "iptc-utf8.jpg"], url: server.base)
    let bundle = try outboxBundle(bank)
    _ = try partialPut(port, bundle.id, bundle.path, 10000, "close")
    let part = national + "/incoming/\(bundle.id).tar"
    let deadline = Date().addingTimeInterval(10)
    while Self.size(part) != 10000, Date() < deadline { usleep(20_000) }
    #expect(Self.size(part) == 10000, "the server kept the 10,000 bytes that came before the cut")
    #expect(try contributed("19") == 0)
    let result = try sync(bank)
    #expect(result.status == 0, "\(result.stderr)")
    let sent = try #require(result.sent.first)
    #expect(sent["bundle"] as? String == bundle.id && sent["bytes"] as? Int == bundle.size)
    #expect(sent["sentBytes"] as? Int == bundle.size - 10000, "only the bytes the server lacked: \(sent)")
    #expect(try contributed("19") == 4)
    #expect(Self.size(part) == nil && Self.size(bundle.path) == nil, "both sides' copies are gone once received")
    #expect(try nationalVerifies())
  }

  @Test("the national server killed in the middle of a receive: nothing half-applied, the next sync goes on")
  func killedAndRestarted() throws {
    var server: RunningServer? = try RunningServer(bank: national)
    let port = try #require(Int(server!.base.split(separator: ":").last ?? ""))
    let bank = try province(
      "19", photos: ["orientation-1.jpg", "orientation-2.jpg", "orientation-3.jpg"], url: server!.base)
    let bundle = try outboxBundle(bank)
    // 6,000 bytes held from an earlier connection; then a request that has sent 3,000 bytes more
    // and waits for the rest when the server is killed.
    _ = try partialPut(port, bundle.id, bundle.path, 6000, "close")
    let part = national + "/incoming/\(bundle.id).tar"
    let deadline = Date().addingTimeInterval(10)
    while Self.size(part) != 6000, Date() < deadline { usleep(20_000) }
    try #require(Self.size(part) == 6000)
    let holding = try partialPut(port, bundle.id, bundle.path, from: 6000, 3000, "hold")
    usleep(300_000)
    kill(server!.process.processIdentifier, SIGKILL)
    server!.process.waitUntilExit()
    server = nil
    holding.terminate()
    #expect(try contributed("19") == 0, "nothing applied")
    #expect(try nationalVerifies())
    // Started again on the same port: the province's sync sends what the server lacks.
    server = try RunningServer(bank: national, listen: "127.0.0.1:\(port)")
    let held = Self.size(part) ?? 0
    #expect(held == 6000, "what was written before the kill stays; the request in flight added nothing")
    let result = try sync(bank)
    #expect(result.status == 0, "\(result.stderr)")
    let sent = try #require(result.sent.first)
    #expect(sent["sentBytes"] as? Int == bundle.size - held, "\(sent)")
    #expect(try contributed("19") == 3)
    #expect(try nationalVerifies())
  }

  @Test(
    "over HTTP, an untrusted key, a gap, a tampered bundle are refused as receive refuses them; a replay gets its receipt"
  )
  func refusals() async throws {
    let server = try RunningServer(bank: national)
    let api = Recorder(server)
    let bank = try province("19", photos: ["orientation-1.jpg", "orientation-2.jpg"])
    let trust = try cli(
      "trust", "add", "--bank", "national", "--public-key", national + "/keys/bank.pub", "--bank-path", bank)
    try #require(trust.status == 0, "\(trust.stderr)")
    let stranger = try province("01", photos: ["orientation-3.jpg"], trusted: false)
    func export(_ bank: String) throws -> (id: String, data: Data) {
      let out = scratch.appending("usb-\(UUID())")
      let made = try cli("export", "--out", out + "/bundle.tar", "--json", "--bank", bank)
      let bundle = try #require((try made.json() as? [[String: Any]])?.first)
      return (
        try #require(bundle["bundle"] as? String), try Data(contentsOf: URL(fileURLWithPath: out + "/bundle.tar"))
      )
    }
    func put(_ id: String, _ data: Data, offset: Int = 0, length: Int? = nil) async throws -> Browser.Answer {
      try await api.call(
        "PUT", "/api/v1/bundles/\(id)", token: nil, data: data.dropFirst(offset), type: "application/octet-stream",
        headers: ["Upload-Length": String(length ?? data.count), "Upload-Offset": String(offset)])
    }
    // An untrusted province: refused before a byte is taken.
    let (strangerID, strangerData) = try export(stranger)
    let untrusted = try await put(strangerID, strangerData)
    let untrustedReason = try untrusted.json()["reason"] as? String
    #expect(untrusted.status == 422 && untrustedReason == "unknownKey")
    // A gap: bundle 2 before bundle 1.
    let (firstID, first) = try export(bank)
    try #require(try cli("add", CLI.photo("orientation-4.jpg"), "--bank", bank).status == 0)
    let (secondID, second) = try export(bank)
    let gap = try await put(secondID, second)
    let gapReason = try gap.json()["reason"] as? String
    #expect(gap.status == 409 && gapReason == "sequence", "\(gap.text)")
    #expect(try await api.call("HEAD", "/api/v1/bundles/\(secondID)", token: nil).status == 409)
    // A tampered bundle: one byte of its content changed. Refused once complete; its bytes go.
    var tampered = first
    tampered[tampered.count - 3000] ^= 0xFF
    let head = try await api.call("HEAD", "/api/v1/bundles/\(firstID)", token: nil)
    #expect(head.status == 200 && head.header("Upload-Offset") == "0")
    let halfway = try await put(firstID, tampered.prefix(10000), length: tampered.count)
    #expect(halfway.status == 202 && halfway.header("Upload-Offset") == "10000")
    let wrongOffset = try await put(firstID, tampered, offset: 5000)
    #expect(wrongOffset.status == 409 && wrongOffset.header("Upload-Offset") == "10000")
    let refused = try await put(firstID, tampered, offset: 10000)
    let refusedCode = try refused.json()["code"] as? String
    #expect(refused.status == 422 && refusedCode == "refused", "\(refused.text)")
    #expect(try contributed("19") == 0)
    #expect(try await api.call("HEAD", "/api/v1/bundles/\(firstID)", token: nil).header("Upload-Offset") == "0")
    // The bundle itself, whole: received, with its signed receipt, which the province applies.
    let received = try await put(firstID, first)
    #expect(received.status == 200 && received.header("MediaBank-Received-At") == nil)
    let receipt = scratch.appending("receipt.json")
    try received.body.write(to: URL(fileURLWithPath: receipt))
    #expect(try cli("receipt", "apply", receipt, "--bank", bank).status == 0)
    #expect(try contributed("19") == 2)
    // A replay: the stored receipt again, nothing applied again.
    let replay = try await put(firstID, first)
    #expect(replay.status == 200 && replay.header("MediaBank-Received-At") != nil && replay.body == received.body)
    #expect(try await put(secondID, second).status == 200)
    #expect(try contributed("19") == 3)
    let status = try await api.call("GET", "/api/v1/bundles/status?source=19", token: nil)
    let next = try status.json()["nextSequence"] as? Int
    #expect(status.status == 200 && next == 3)
    #expect(try await api.call("GET", "/api/v1/bundles/status?source=99", token: nil).status == 400)
    #expect(try await api.call("PUT", "/api/v1/bundles/..%2Fetc", token: nil, data: Data()).status == 400)
    // Every answer is one the API's document allows, and each route answered with success.
    let checked = try Self.check(api.exchanges, in: scratch)
    #expect(checked.status == 0, "\(checked.output)")
    #expect(try nationalVerifies())
  }

  @Test("a province restored from a backup sends one full bundle under the number the national bank expects")
  func restoredFromBackup() throws {
    let server = try RunningServer(bank: national)
    let bank = try province("19", photos: ["orientation-1.jpg"], url: server.base)
    #expect(try sync(bank).status == 0)
    let backup = scratch.appending("backup.tar")
    try #require(try cli("backup", "--out", backup, "--bank", bank).status == 0)
    try #require(try cli("add", CLI.photo("orientation-2.jpg"), "--bank", bank).status == 0)
    #expect(try sync(bank).status == 0)
    let restored = scratch.appending("restored")
    let restore = try cli("restore", backup, "--bank", restored)
    try #require(restore.status == 0, "\(restore.stderr)")
    try #require(try cli("add", CLI.photo("orientation-3.jpg"), "--bank", restored).status == 0)
    let result = try cli.run(["sync", "--bank", restored])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("restored from a backup?") && result.stdout.contains("mediabank-19-000003"))
    #expect(try contributed("19") == 3)
    #expect(try cli("sync", "--bank", restored).stdout.isEmpty, "in step again")
  }

  @Test("three provinces sync at once, and a second sync of one province meanwhile stops at once (75)")
  func concurrent() throws {
    let server = try RunningServer(bank: national)
    let banks = try [
      ("19", ["orientation-1.jpg", "orientation-2.jpg"]), ("01", ["orientation-3.jpg"]),
      ("79", ["orientation-4.jpg", "orientation-5.jpg", "orientation-6.jpg"]),
    ].map {
      try province($0.0, photos: $0.1, url: server.base)
    }
    let runs = try banks.map { try cli.start(["sync", "--bank", $0]) }
    for run in runs { run.waitUntilExit() }
    #expect(runs.map(\.terminationStatus) == [0, 0, 0])
    #expect(try [contributed("19"), contributed("01"), contributed("79")] == [2, 1, 3])
    #expect(try nationalVerifies())
    // Another sync of the province running (its lock held): this one stops at once.
    let holder = Process()
    holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
    holder.arguments = [banks[0] + "/outbox/national.lock", "sleep", "30"]
    try holder.run()
    defer {
      holder.terminate()
      holder.waitUntilExit()
    }
    usleep(300_000)
    let second = try cli("sync", "--bank", banks[0])
    #expect(second.status == 75 && second.stderr.contains("another `mediabank sync`"), "\(second.stderr)")
  }

  // MARK: Helpers

  static func size(_ path: String) -> Int? {
    (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
  }

  /// `scripts/check-http-api` on `exchanges`, with `options` (by default: requiring every
  /// bundle route to have succeeded).
  static func check(
    _ exchanges: [[String: Any]], in scratch: ScratchDirectory, options: [String] = ["--all", "--tag", "bundles"]
  ) throws -> (status: Int32, output: String) {
    let file = scratch.appending("exchanges-\(UUID()).json")
    try JSONSerialization.data(withJSONObject: exchanges, options: [.sortedKeys]).write(to: URL(fileURLWithPath: file))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments =
      [
        "python3", SchemaTests.root.appendingPathComponent("scripts/check-http-api").path, file,
      ] + options
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, output)
  }
}
