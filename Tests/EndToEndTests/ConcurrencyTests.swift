import Foundation
import Testing

/// Commands run at the same time on one bank, as several operators and cron jobs do (issue 15,
/// item 4): each one's result is whole, nothing is recorded twice, and the bank verifies.
@Suite struct ConcurrencyTests {
  let scratch: ScratchDirectory
  let bank: String
  let folder: String
  let cli = CLI()

  init() throws {
    scratch = try ScratchDirectory()
    bank = scratch.appending("bank")
    folder = scratch.appending("archive")
    #expect(try cli("init", "--bank", bank, "--province", "19").status == 0)
    // 37 files of 35 contents: the committed photos (two of them twice, under other names) and 20
    // copies of one scan made distinct by a trailing byte, which readers ignore.
    try FileManager.default.createDirectory(atPath: folder + "/again", withIntermediateDirectories: true)
    for name in try FileManager.default.contentsOfDirectory(atPath: CLI.fixtures.path + "/photos") {
      try FileManager.default.copyItem(atPath: CLI.photo(name), toPath: folder + "/" + name)
    }
    for name in ["scan.png", "orientation-1.jpg"] {
      try FileManager.default.copyItem(atPath: CLI.photo(name), toPath: folder + "/again/" + name)
    }
    let scan = try Data(contentsOf: URL(fileURLWithPath: CLI.photo("scan.png")))
    for index in 0..<20 {
      try (scan + [UInt8(index)]).write(to: URL(fileURLWithPath: "\(folder)/scan-\(index).png"))
    }
  }

  /// Runs every command at once; their outputs, in the same order.
  func together(_ commands: [[String]]) throws -> [CLI.Output] {
    let outputs = OutputBox(count: commands.count)
    let cli = cli
    DispatchQueue.concurrentPerform(iterations: commands.count) { index in
      outputs.set(index, Result { try cli.run(commands[index]) })
    }
    return try outputs.values.map { try $0!.get() }
  }

  /// Rows of `sql` on the bank's catalog, as the `sqlite3` shell prints them.
  func query(_ sql: String) throws -> String { try CLI.sqlite(bank + "/catalog.sqlite", sql) }

  /// Provenance rows recorded more than once for one asset, path and batch.
  func repeatedProvenance() throws -> String {
    try query(
      """
      SELECT count(*) FROM (SELECT 1 FROM provenance
        GROUP BY asset_id, original_path, ifnull(batch_id, 0) HAVING count(*) > 1)
      """)
  }

  /// The number in the `added` line of an import's summary.
  func added(_ output: CLI.Output) -> Int {
    let line = output.stdout.split(separator: "\n").first { $0.hasPrefix("  added") } ?? ""
    return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? -1
  }

  @Test(
    "two and three imports of one folder at once store each content once, each path once a batch", arguments: [2, 3])
  func concurrentImports(count: Int) throws {
    let runs = try together(Array(repeating: ["import", folder, "--bank", bank], count: count))
    for run in runs { #expect(run.status == 0, "\(run.stdout)\(run.stderr)") }
    #expect(runs.map(added).reduce(0, +) == 35, "\(runs.map(\.stdout))")
    #expect(try query("SELECT count(*) FROM asset") == "35")
    #expect(try repeatedProvenance() == "0")
    // Every path was recorded, by at least one batch.
    #expect(try query("SELECT count(DISTINCT original_path) FROM provenance") == "37")
    let verify = try cli("verify", "--bank", bank)
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
  }

  @Test("import and add at once, and add of the same file again, record a path once a batch")
  func importAndAdd() throws {
    let runs = try together([
      ["import", folder, "--bank", bank],
      ["add", folder + "/scan.png", folder + "/scan-3.png", "--bank", bank],
    ])
    for run in runs { #expect(run.status == 0, "\(run.stdout)\(run.stderr)") }
    #expect(try cli("add", folder + "/scan.png", "--bank", bank).status == 0)
    #expect(try cli("add", folder + "/scan.png", "--bank", bank).status == 0)
    #expect(try repeatedProvenance() == "0")
    #expect(
      try query("SELECT count(*) FROM provenance WHERE batch_id IS NULL AND original_path = '\(folder)/scan.png'")
        == "1")
    #expect(try query("SELECT count(*) FROM asset") == "35")
    #expect(try cli("verify", "--bank", bank).status == 0)
  }

  @Test("two exports at once give two bundles in sequence, or one and nothing to do; both verify")
  func concurrentExports() throws {
    let national = scratch.appending("national")
    #expect(try cli("init", "--bank", national, "--national").status == 0)
    for (bank, key, path) in [
      ("19", bank + "/keys/bank.pub", national), ("national", national + "/keys/bank.pub", bank),
    ] {
      #expect(try cli("trust", "add", "--bank", bank, "--public-key", key, "--bank-path", path).status == 0)
    }
    #expect(try cli("import", folder, "--bank", bank).status == 0)
    let runs = try together([
      ["export", "--out", scratch.appending("usb1"), "--json", "--bank", bank],
      ["export", "--out", scratch.appending("usb2"), "--json", "--bank", bank],
    ])
    for run in runs { #expect(run.status == 0, "\(run.stdout)\(run.stderr)") }
    let bags = try runs.flatMap { run in
      try (run.json() as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
    }
    // Each asset went out in exactly one bundle, and sequences follow each other.
    #expect((1...2).contains(bags.count), "\(runs.map(\.stdout))")
    let sequences = try query("SELECT DISTINCT sequence FROM export_record ORDER BY sequence")
    #expect(sequences == (bags.count == 1 ? "1" : "1\n2"), "\(sequences)")
    #expect(try query("SELECT count(DISTINCT asset_id), count(*) FROM export_record") == "35|35")
    for bag in bags.sorted(by: { $0.hasSuffix("000001") && !$1.hasSuffix("000001") }) {
      let received = try cli("receive", bag, "--bank", national)
      #expect(received.status == 0, "\(received.stdout)\(received.stderr)")
    }
    let listed = try cli("list", "--bank", national, "--ids")
    #expect(listed.stdout.split(separator: "\n").count == 35)
  }

  @Test("the same bundle received twice at once is applied once; both answer with one receipt")
  func concurrentReceives() throws {
    let national = scratch.appending("national")
    #expect(try cli("init", "--bank", national, "--national").status == 0)
    #expect(
      try cli("trust", "add", "--bank", "19", "--public-key", bank + "/keys/bank.pub", "--bank-path", national)
        .status == 0)
    #expect(try cli("import", folder, "--bank", bank).status == 0)
    let export = try cli("export", "--out", scratch.appending("usb"), "--json", "--bank", bank)
    let bag = try #require((try export.json() as? [[String: Any]])?.first?["path"] as? String)
    let runs = try together([
      ["receive", bag, "--bank", national, "--receipt-out", scratch.appending("r1.json")],
      ["receive", bag, "--bank", national, "--receipt-out", scratch.appending("r2.json")],
    ])
    for run in runs { #expect(run.status == 0, "\(run.stdout)\(run.stderr)") }
    #expect(runs.filter { $0.stdout.contains("was already received on") }.count == 1, "\(runs.map(\.stdout))")
    let first = try Data(contentsOf: URL(fileURLWithPath: scratch.appending("r1.json")))
    #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.appending("r2.json"))) == first)
    let rows = try CLI.sqlite(
      national + "/catalog.sqlite", "SELECT count(*) FROM received_bundle; SELECT count(*) FROM contribution")
    #expect(rows == "1\n35")
    #expect(try cli("verify", "--bank", national).status == 0)
  }
}

/// Results written by concurrent workers, one slot each.
private final class OutputBox: @unchecked Sendable {
  private let lock = NSLock()
  private(set) var values: [Result<CLI.Output, any Error>?]

  init(count: Int) { values = Array(repeating: nil, count: count) }

  func set(_ index: Int, _ value: Result<CLI.Output, any Error>) {
    lock.lock()
    values[index] = value
    lock.unlock()
  }
}
