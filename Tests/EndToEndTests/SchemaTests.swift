import Foundation
import Testing

/// The JSON Schemas of `Storage/schemas/` and the worked example of `Storage/examples/`
/// (`Storage/sync-bundle.md`, *JSON Schemas and the worked example*), checked as a program not
/// written in Swift would: Python's `jsonschema` (installed by `scripts/setup`) through
/// `scripts/check-json-schema`. A missing `jsonschema` fails these tests; it does not skip them.
@Suite struct SchemaTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let schemas = root.appendingPathComponent("Storage/schemas")
  static let examples = root.appendingPathComponent("Storage/examples")
  static let exampleBundle = examples.appendingPathComponent("mediabank-19-000001")
  static let exampleKey = examples.appendingPathComponent("thai-nguyen-example.pub").path
  static let exampleReceipt = examples.appendingPathComponent("receipt-19-000001.json").path
  /// Bundle 2 of the example: the deletion of one of the two photos.
  static let exampleDeletion = examples.appendingPathComponent("mediabank-19-000002")
  static let exampleDeletionReceipt = examples.appendingPathComponent("receipt-19-000002.json").path

  let scratch: ScratchDirectory
  let cli: CLI

  init() throws {
    scratch = try ScratchDirectory()
    // No default bank: `verify-bundle` must succeed with the example's key alone.
    cli = CLI(environment: ["MEDIABANK_PATH": scratch.appending("no-bank")])
  }

  /// Runs a program found on PATH (as `python3` is by the tests of `bagit`); its status and output.
  func run(_ arguments: [String], in directory: String? = nil) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, output)
  }

  /// `scripts/check-json-schema [mode] SCHEMA FILE`: the exit status (0 valid, 1 invalid) and what
  /// it said. Throws when it cannot check at all (status 2).
  func check(_ schema: String, _ file: String, _ mode: String? = nil) throws -> (status: Int32, output: String) {
    let script = Self.root.appendingPathComponent("scripts/check-json-schema").path
    let result = try run(["python3", script] + (mode.map { [$0] } ?? []) + [schema, file])
    // Not a verdict: no jsonschema (run scripts/setup), or an input it cannot read. A failure.
    if result.status == 2 { throw CannotCheck(output: result.output) }
    return result
  }

  struct CannotCheck: Error, CustomStringConvertible {
    var output: String
    var description: String { "scripts/check-json-schema could not check: \(output)" }
  }

  /// Expects `file` to be valid against `schema`.
  func expectValid(_ schema: String, _ file: String, _ mode: String? = nil, _ what: String) throws {
    let result = try check(schema, file, mode)
    #expect(result.status == 0, "\(what) against \(schema).schema.json: \(result.output)")
  }

  /// Expects the JSON `value` to be rejected by `schema`, with a message that contains `mentioning`.
  func expectRejected(_ schema: String, _ value: Any, mentioning: String, _ what: String) throws {
    let file = scratch.appending("instance-\(UUID()).json")
    try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]).write(to: URL(fileURLWithPath: file))
    let result = try check(schema, file)
    #expect(result.status == 1, "\(what) must be rejected by \(schema).schema.json: \(result.output)")
    #expect(result.output.contains(mentioning), "\(what): the failure should name `\(mentioning)`: \(result.output)")
  }

  func write(_ value: Any, _ name: String) throws -> String {
    let file = scratch.appending(name)
    try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]).write(to: URL(fileURLWithPath: file))
    return file
  }

  func object(_ text: some StringProtocol) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not an object: \(text)")
  }

  /// The decoded lines of a bag's `data/records.jsonl`.
  func lines(_ bag: String) throws -> [[String: Any]] {
    let text = try String(contentsOfFile: bag + "/data/records.jsonl", encoding: .utf8)
    return try text.split(separator: "\n").map { try object($0) }
  }

  /// Runs `mediabank` and expects it to succeed.
  @discardableResult
  func mediabank(_ arguments: String...) throws -> CLI.Output {
    let output = try cli.run(arguments)
    #expect(output.status == 0, "mediabank \(arguments.joined(separator: " ")): \(output.stderr)")
    return output
  }

  // MARK: The worked example

  @Test("the committed example bundle verifies with the committed key, and BagIt and sha256sum accept it")
  func exampleVerifies() throws {
    // A copy, so that nothing can touch the committed files; the bag keeps its name, the bundle id.
    let bag = scratch.appending("mediabank-19-000001")
    try FileManager.default.copyItem(atPath: Self.exampleBundle.path, toPath: bag)
    let verified = try cli("verify-bundle", bag, "--public-key", Self.exampleKey)
    #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
    #expect(verified.stdout.hasPrefix("mediabank-19-000001: intact, signed by ed25519:"), "\(verified.stdout)")
    let bagit = try run(["python3", "-m", "bagit", "--validate", bag])
    #expect(bagit.status == 0, "bagit: \(bagit.output)")
    let payload = try run(["sha256sum", "--check", "--strict", "manifest-sha256.txt"], in: bag)
    #expect(payload.status == 0, "sha256sum: \(payload.output)")
    // Another key does not verify it.
    let other = try cli(
      "verify-bundle", bag, "--public-key", Self.examples.appendingPathComponent("national-example.pub").path)
    #expect(other.status == 1, "\(other.stdout)")

    // The example is what the script says: two upserts, their four objects, one receipt for them.
    #expect(try cli("verify-bundle", bag, "--public-key", Self.exampleKey).stdout.contains("format 2"))
    let records = try lines(bag)
    #expect(records.map { $0["op"] as? String } == ["upsert", "upsert"])
    let receipt = try object(try String(contentsOfFile: Self.exampleReceipt, encoding: .utf8))
    let body = try object(try #require(receipt["body"] as? String))
    #expect(body["bundle"] as? String == "mediabank-19-000001" && body["sequence"] as? Int == 1)
    let accepted = (body["accepted"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    #expect(accepted == records.compactMap { $0["id"] as? String })
    let objects = scratch.files(under: "mediabank-19-000001/data/objects/sha256").map { "sha256:" + $0 }
    #expect(objects.count == 4 && (body["held"] as? [String]) == objects.sorted())

    // Bundle 2: the second photo deleted, one delete line without content; accepted.
    let deletion = scratch.appending("mediabank-19-000002")
    try FileManager.default.copyItem(atPath: Self.exampleDeletion.path, toPath: deletion)
    let checked = try cli("verify-bundle", deletion, "--public-key", Self.exampleKey)
    #expect(checked.status == 0 && checked.stdout.contains("format 2"), "\(checked.stdout) \(checked.stderr)")
    let bagit2 = try run(["python3", "-m", "bagit", "--validate", deletion])
    #expect(bagit2.status == 0, "bagit: \(bagit2.output)")
    let deleted = try lines(deletion)
    #expect(deleted.map { "\($0["op"] ?? "") \($0["id"] ?? "")" } == ["delete \(records[1]["id"] ?? "")"])
    #expect(!FileManager.default.fileExists(atPath: deletion + "/data/objects"))
    let deletionBody = try object(
      try #require(
        try object(try String(contentsOfFile: Self.exampleDeletionReceipt, encoding: .utf8))["body"] as? String))
    #expect(
      (deletionBody["accepted"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [
        records[1]["id"] as? String ?? ""
      ])
    #expect((deletionBody["held"] as? [String]) == [])
    // Small enough to keep in the repository.
    let sizes = try FileManager.default.subpathsOfDirectory(atPath: Self.examples.path).map {
      (try FileManager.default.attributesOfItem(atPath: Self.examples.appendingPathComponent($0).path)[.size]
        as? Int) ?? 0
    }
    #expect(sizes.reduce(0, +) < 100_000)
  }

  @Test("every line of the example's records.jsonl, its receipt and the receipt's body match the schemas")
  func exampleMatchesSchemas() throws {
    let bag = Self.exampleBundle.path
    try expectValid("record-line", bag + "/data/records.jsonl", "--lines", "the example's records")
    // What a schema cannot say: an upsert's record is the line's asset.
    for line in try lines(bag) {
      #expect((line["record"] as? [String: Any])?["id"] as? String == line["id"] as? String)
    }
    try expectValid("receipt", Self.exampleReceipt, nil, "the example receipt")
    try expectValid("receipt-body", Self.exampleReceipt, "--body", "the example receipt's body")
    try expectValid(
      "record-line", Self.exampleDeletion.path + "/data/records.jsonl", "--lines", "the example's delete line")
    try expectValid("receipt", Self.exampleDeletionReceipt, nil, "the example's second receipt")
    try expectValid("receipt-body", Self.exampleDeletionReceipt, "--body", "the example's second receipt's body")
  }

  // MARK: What mediabank writes now

  @Test("records, record lines (upsert and retract), receipts and the national bank's records match the schemas")
  func writtenRecordsMatchSchemas() throws {
    let province = scratch.appending("province")
    let national = scratch.appending("national")
    let usb = scratch.appending("usb")
    let archive = scratch.appending("archive")
    try mediabank("init", "--bank", province, "--province", "19", "--name", "Sở VHTTDL Thái Nguyên")
    try mediabank(
      "add", CLI.photo("nui-coc-vi-en.jpg"), "--pillar", "tourism-landscape", "--lang", "vi", "--title",
      "Hồ Núi Cốc", "--creator", "Nguyễn Văn An", "--license", "CC BY 4.0", "--bank", province)
    try mediabank(
      "add", CLI.photo("scan.png"), CLI.photo("gps-southwest.jpg"), CLI.photo("iphone.heic"),
      CLI.photo("latin1-text.png"), CLI.photo("orientation-6.jpg"), "--bank", province)
    // Videos and stories, two of them translations of one.
    try mediabank(
      "add", CLI.video("rotated-gps.mp4"), CLI.video("two-languages.mkv"), CLI.story("nui-coc.vi.md"),
      CLI.story("trang-an.vi.docx"), "--bank", province)
    let original = try #require(
      (try mediabank("list", "--kind", "story", "--json", "--bank", province).json() as? [[String: Any]])?
        .first?["id"] as? String)
    try mediabank(
      "add", CLI.story("nui-coc.en.md"), CLI.story("hue.en.html"), "--translation-of", original, "--bank", province)
    // An import: batches, folders, hints, metadata.csv and sidecar values, a name that is not UTF-8.
    try CLI.makeArchive(at: archive)
    #expect(try cli("import", archive, "--bank", province, "--operator", "Trần Thị B").status == 1)

    let list = try mediabank("list", "--json", "--bank", province)
    let records = try #require(try list.json() as? [[String: Any]])
    // The import's records are there: with hints, a batch, and a name that is not UTF-8.
    #expect(records.count >= 8 && records.contains { $0["hints"] != nil })
    #expect(records.contains { (($0["provenance"] as? [[String: Any]]) ?? []).contains { $0["batch"] != nil } })
    #expect(records.contains { (($0["originalNames"] as? [String]) ?? []).contains { $0.contains("\\x") } })
    let listed = scratch.appending("list.json")
    try list.stdout.write(toFile: listed, atomically: false, encoding: .utf8)
    try expectValid("asset-record", listed, "--each", "every record of `list --json`")
    let ids = records.compactMap { $0["id"] as? String }
    let shown = scratch.appending("show.json")
    try mediabank("show", ids[0], "--json", "--bank", province).stdout.write(
      toFile: shown, atomically: false, encoding: .utf8)
    try expectValid("asset-record", shown, nil, "`show --json`")
    let story = try mediabank("show", original, "--json", "--bank", province)
    #expect((try story.json() as? [String: Any])?["translations"] as? [[String: Any]] != nil)
    try story.stdout.write(toFile: shown, atomically: false, encoding: .utf8)
    try expectValid("asset-record", shown, nil, "`show --json` of a story with translations")

    // Bundle 1: every asset. Bundle 2: a retraction, a tag and an edited capture time (which
    // the record shows as explicit, the file's as overridden).
    let first = try #require(
      (try mediabank("export", "--out", usb, "--json", "--bank", province).json() as? [[String: Any]])?.first)
    let bag1 = try #require(first["path"] as? String)
    try mediabank("retract", ids[1], "--reason", "rights withdrawn by the photographer", "--bank", province)
    try mediabank("tag", ids[2], "--pillar", "tourism-landscape", "--bank", province)
    try mediabank("edit", ids[2], "--captured-at", "2019-02-05T08:00:00+07:00", "--bank", province)
    let second = try #require(
      (try mediabank("export", "--out", usb, "--json", "--bank", province).json() as? [[String: Any]])?.first)
    let bag2 = try #require(second["path"] as? String)
    #expect(try lines(bag2).map { "\($0["op"] ?? "") \($0["id"] ?? "")" } == ["retract \(ids[1])", "upsert \(ids[2])"])
    for bag in [bag1, bag2] {
      try expectValid("record-line", bag + "/data/records.jsonl", "--lines", "the records of \(bag)")
    }
    // A retracted asset's record, as the province shows it, has its retraction.
    let relisted = scratch.appending("relist.json")
    try mediabank("list", "--json", "--bank", province).stdout.write(
      toFile: relisted, atomically: false, encoding: .utf8)
    try expectValid("asset-record", relisted, "--each", "`list --json` after a retraction")

    // The national bank receives both; its receipts and its records (with sourceBank) match.
    try mediabank("init", "--bank", national, "--national")
    try mediabank("trust", "add", "--bank", "19", "--public-key", province + "/keys/bank.pub", "--bank-path", national)
    for (number, bag) in [bag1, bag2].enumerated() {
      let receipt = scratch.appending("receipt-\(number + 1).json")
      try mediabank("receive", bag, "--receipt-out", receipt, "--bank", national)
      try expectValid("receipt", receipt, nil, "receipt \(number + 1)")
      try expectValid("receipt-body", receipt, "--body", "the body of receipt \(number + 1)")
    }
    let contributed = try mediabank("list", "--json", "--bank", national)
    let nationalRecords = try #require(try contributed.json() as? [[String: Any]])
    #expect(
      nationalRecords.count == records.count - 1 && nationalRecords.allSatisfy { $0["sourceBank"] as? String == "19" })
    let nationalList = scratch.appending("national.json")
    try contributed.stdout.write(toFile: nationalList, atomically: false, encoding: .utf8)
    try expectValid("asset-record", nationalList, "--each", "the national bank's `list --json`")
  }

  // MARK: The schemas themselves

  @Test("the schemas reject a misspelled key, a wrong type and other malformed records")
  func schemasAreNotVacuous() throws {
    let text = try String(contentsOf: Self.exampleBundle.appendingPathComponent("data/records.jsonl"), encoding: .utf8)
    let line = try object(try #require(text.split(separator: "\n").first))
    let record = try #require(line["record"] as? [String: Any])
    // The unchanged values pass, so the failures below are the changes'.
    try expectValid("asset-record", try write(record, "record.json"), nil, "the example's first record")
    try expectValid("record-line", try write(line, "line.json"), nil, "the example's first line")

    func changed(_ change: (inout [String: Any]) -> Void) -> [String: Any] {
      var copy = record
      change(&copy)
      return copy
    }
    try expectRejected(
      "asset-record",
      changed {
        $0["byteSzie"] = $0["byteSize"]
        $0["byteSize"] = nil
      }, mentioning: "byteSzie", "a misspelled key")
    try expectRejected(
      "asset-record", changed { $0["mediaTypes"] = "image/jpeg" }, mentioning: "mediaTypes", "an unknown key")
    try expectRejected(
      "asset-record", changed { $0["byteSize"] = "11688" }, mentioning: "is not of type 'integer'", "a size as text")
    try expectRejected(
      "asset-record", changed { $0["title"] = ["Hồ Núi Cốc"] }, mentioning: "is not of type 'object'",
      "a title that is not a language map")
    try expectRejected(
      "asset-record", changed { $0["camera"] = ["make": "Canon", "modle": "EOS R6"] }, mentioning: "modle",
      "a misspelled nested key")
    try expectRejected(
      "asset-record", changed { $0["id"] = ($0["id"] as! String).uppercased() }, mentioning: "does not match",
      "an id in upper case")
    try expectRejected(
      "asset-record", changed { $0["originalNames"] = nil }, mentioning: "'originalNames' is a required property",
      "a record without its original names")
    try expectRejected(
      "asset-record", changed { $0["pillars"] = [["code": "tourism-landscape", "source": "explicit"]] },
      mentioning: "'confirmed' is a required property", "a pillar without `confirmed`")
    try expectRejected(
      "asset-record", changed { $0["addedAt"] = "2025-06-01 08:30:00" }, mentioning: "does not match",
      "an instant that is not RFC 3339 UTC")

    var upsert = line
    upsert["revision"] = 0
    try expectRejected("record-line", upsert, mentioning: "less than the minimum of 1", "revision 0")
    upsert = line
    upsert["record"] = changed { $0["kind"] = "photograph" }
    try expectRejected("record-line", upsert, mentioning: "'photograph' is not one of", "an unknown kind in a line")
    upsert = line
    upsert["record"] = changed { $0["sourceBank"] = "19" }
    try expectRejected("record-line", upsert, mentioning: "should not be valid", "a national-only key in an upsert")
    upsert = line
    upsert["op"] = "purge"
    try expectRejected("record-line", upsert, mentioning: "'purge' is not one of", "an unknown op")
    // A deletion: its reason is optional, never empty; it carries no record.
    var deletion: [String: Any] = ["id": line["id"]!, "op": "delete", "revision": 4]
    try expectValid("record-line", try write(deletion, "delete.json"), nil, "a deletion without a reason")
    deletion["reason"] = "personal data"
    try expectValid("record-line", try write(deletion, "delete-reason.json"), nil, "a deletion")
    deletion["reason"] = ""
    try expectRejected("record-line", deletion, mentioning: "should be non-empty", "a deletion with an empty reason")
    deletion["reason"] = nil
    deletion["record"] = record
    try expectRejected("record-line", deletion, mentioning: "'record' was unexpected", "a deletion with a record")
    deletion["record"] = nil
    deletion["revision"] = "4"
    try expectRejected("record-line", deletion, mentioning: "is not of type 'integer'", "a deletion's revision as text")
    let retract: [String: Any] = ["id": line["id"]!, "op": "retract", "revision": 2]
    try expectRejected(
      "record-line", retract, mentioning: "'reason' is a required property", "a retraction without its reason")
    var retracting = retract
    retracting["reason"] = "duplicate"
    try expectValid("record-line", try write(retracting, "retract.json"), nil, "a retraction")
    retracting["record"] = record
    try expectRejected("record-line", retracting, mentioning: "'record' was unexpected", "a retraction with a record")

    let receipt = try object(try String(contentsOfFile: Self.exampleReceipt, encoding: .utf8))
    var body = try object(try #require(receipt["body"] as? String))
    body["held"] = nil
    try expectRejected("receipt-body", body, mentioning: "'held' is a required property", "a body without `held`")
    var envelope = receipt
    envelope["formatVersion"] = 2
    try expectRejected("receipt", envelope, mentioning: "1 was expected", "a receipt of format 2")
    envelope = receipt
    envelope["body"] = body
    try expectRejected("receipt", envelope, mentioning: "is not of type 'string'", "a body that is not a string")
  }

  @Test(
    "the asset-record schema names every key of AssetRecord.swift and MediaFacts.swift, and requires exactly the non-optional ones"
  )
  func schemaCoversAssetRecord() throws {
    // The record's keys are its facts' (MediaFacts.swift, 2 spaces in) and its details' (the
    // `Details` struct, 4 spaces in); its other nested structs' keys are 4 spaces in.
    // struct name → [(key, optional)].
    var keys: [String: [(name: String, optional: Bool)]] = [:]
    let property = /^ *public var `?(\w+)`?: ([^=]+?)\s*$/
    for file in ["Sources/Catalog/MediaFacts.swift", "Sources/MediaBank/AssetRecord.swift"] {
      let source = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
      var current = "AssetRecord"
      for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
        if let match = line.wholeMatch(of: /^  public struct (\w+): .*\{$/) {
          current = match.1 == "Details" ? "AssetRecord" : String(match.1)
        } else if line == "  }" {
          current = "AssetRecord"
        } else if let match = line.wholeMatch(of: property) {
          let indent = line.prefix { $0 == " " }.count
          let parts = file.hasSuffix("MediaFacts.swift") ? 2 : 4
          guard indent == (current == "AssetRecord" ? parts : 4) else { continue }
          keys[current, default: []].append((String(match.1), match.2.hasSuffix("?")))
        }
      }
    }
    // Where each nested struct is in the schema: the record's key, and whether it is an array's item.
    let places: [String: (key: String?, item: Bool)] = [
      "AssetRecord": (nil, false), "Camera": ("camera", false), "GPS": ("gps", false),
      "Exposure": ("exposure", false), "Rights": ("rights", false), "Location": ("location", false),
      "Provenance": ("provenance", true), "Hints": ("hints", false), "Overridden": ("overridden", true),
      "Pillar": ("pillars", true), "Language": ("languages", true), "Locality": ("locality", false),
      "Retraction": ("retraction", false), "Translation": ("translations", true),
    ]
    #expect(Set(keys.keys) == Set(places.keys), "AssetRecord.swift has other structs: \(keys.keys.sorted())")
    let schema = try object(
      try String(contentsOf: Self.schemas.appendingPathComponent("asset-record.schema.json"), encoding: .utf8))
    for (name, place) in places {
      var node = schema
      if let key = place.key {
        node = try #require((node["properties"] as? [String: Any])?[key] as? [String: Any], "\(name): \(key)")
      }
      if place.item { node = try #require(node["items"] as? [String: Any], "\(name): items") }
      let properties = Set((node["properties"] as? [String: Any] ?? [:]).keys)
      let declared = keys[name] ?? []
      #expect(properties == Set(declared.map(\.name)), "\(name): schema \(properties.sorted())")
      #expect(
        Set(node["required"] as? [String] ?? []) == Set(declared.filter { !$0.optional }.map(\.name)),
        "\(name): required")
      #expect(node["additionalProperties"] as? Bool == false, "\(name) is closed")
    }
  }
}
