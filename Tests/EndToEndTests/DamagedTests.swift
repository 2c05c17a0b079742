import Foundation
import Testing

/// Damaged photos end to end: stored with what could be read, `damaged` in the record, a partial
/// preview when the decoder produced rows, listed, shown, counted by the import and the report,
/// carried in bundles; files that are not photos at all are still refused.
@Suite struct DamagedTests {
  let scratch: ScratchDirectory
  let bank: String
  let cli = CLI()

  init() throws {
    scratch = try ScratchDirectory()
    bank = scratch.appending("bank")
    #expect(try cli("init", "--bank", bank, "--province", "19").status == 0)
  }

  /// The damaged fixtures: reason, and the preview's size when one is expected.
  static let cases: [(name: String, reason: String, preview: String?)] = [
    ("cut-after-header.jpg", "truncated JPEG (the image data ends early: Premature end of JPEG file)", nil),
    ("cut-30.jpg", "truncated JPEG (the image data ends early: Premature end of JPEG file)", "320 240"),
    ("bad-huffman-code.jpg", "corrupt JPEG data (bad Huffman code)", "320 240"),
    ("bad-huffman-table.jpg", "corrupt JPEG (Bogus Huffman table definition)", nil),
    ("zero-lines.jpg", "corrupt JPEG (Empty JPEG image (DNL not supported))", nil),
    ("idat-bad-crc.png", "corrupt PNG data (IDAT: CRC error)", "320 240"),
    ("cut-in-idat.png", "truncated PNG (the image data ends early)", "320 240"),
    // libheif's own words vary with its (and libde265's) Debian updates: ours are checked.
    ("decoder-error.heic", "corrupt HEIF data (", nil),
  ]

  func records(_ arguments: String...) throws -> [[String: Any]] {
    let output = try cli.run(["list", "--json", "--bank", bank] + arguments)
    return try #require(try output.json() as? [[String: Any]], "\(output.stderr)")
  }

  func names(_ records: [[String: Any]]) -> Set<String> {
    Set(records.compactMap { ($0["originalNames"] as? [String])?.first })
  }

  /// `width height` of the stored object `id` as djpeg decodes it, or nil when it does not decode.
  func decodedSize(_ id: String) throws -> String? {
    let hex = id.dropFirst("sha256:".count)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["djpeg", "\(bank)/objects/sha256/\(hex.prefix(2))/\(hex.dropFirst(2))"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    // P6\n<width> <height>\n255\n
    let lines = String(decoding: data.prefix(32), as: UTF8.self).split(separator: "\n")
    return lines.count > 1 ? String(lines[1]) : nil
  }

  @Test("add: every damaged class is stored with its reason, its metadata and a preview that decodes")
  func add() throws {
    for item in Self.cases {
      let added = try cli("add", CLI.damaged(item.name), "--bank", bank)
      #expect(added.status == 0, "\(item.name): \(added.stderr)")
      #expect(added.stdout.contains("damaged: \(item.reason)"), "\(item.name): \(added.stdout)")
      if item.reason.hasSuffix("(") { #expect(added.stdout.contains(")\n"), "\(item.name): \(added.stdout)") }
    }
    let all = try records()
    #expect(all.count == Self.cases.count)
    for item in Self.cases {
      let record = try #require(all.first { ($0["originalNames"] as? [String]) == [item.name] })
      // A reason that ends in `(` is the start of the reason, the decoder's words following.
      let reason = record["damaged"] as? String ?? ""
      #expect(
        item.reason.hasSuffix("(") ? reason.hasPrefix(item.reason) : reason == item.reason, "\(item.name): \(reason)")
      if let preview = item.preview {
        let thumbnail = try #require(record["thumbnail"] as? String, "\(item.name)")
        #expect(try decodedSize(thumbnail) == preview, "\(item.name)")
      } else {
        #expect(record["thumbnail"] == nil, "\(item.name)")
      }
      #expect(record["capturedAt"] != nil, "\(item.name): the metadata was read")
    }
    // The JPEGs keep their camera and title; the frame of 0 lines has no height.
    let zero = try #require(all.first { ($0["originalNames"] as? [String]) == ["zero-lines.jpg"] })
    #expect(zero["width"] as? Int == 640 && zero["height"] == nil)
    #expect((zero["camera"] as? [String: Any])?["make"] as? String == "Canon")

    // show says it, and whether there is a preview.
    let id = try #require(all.first { ($0["originalNames"] as? [String]) == ["cut-30.jpg"] }?["id"] as? String)
    let shown = try cli("show", id, "--bank", bank)
    #expect(
      shown.stdout.contains(
        "  damaged           truncated JPEG (the image data ends early: Premature end of JPEG file) (kept with the "
          + "metadata that could be read; partial preview)"), "\(shown.stdout)")
    // list marks the lines.
    let listed = try cli("list", "--bank", bank)
    #expect(listed.stdout.split(separator: "\n").filter { $0.hasSuffix("[damaged]") }.count == Self.cases.count)
  }

  @Test("files that are not photos at all are still refused, with the exit status as before")
  func notPhotos() throws {
    let random = scratch.appending("random.jpg")
    var generator = SystemRandomNumberGenerator()
    try Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) } + [0]).write(
      to: URL(fileURLWithPath: random))
    for path in [random, CLI.bad("empty.jpg"), CLI.bad("not-a-photo.jpg")] {
      let result = try cli("add", path, "--bank", bank)
      #expect(result.status == 1, "\(path)")
      #expect(!result.stdout.contains("added"), "\(path)")
    }
    // The pixel limit refuses a damaged photo too.
    let limited = try cli("add", CLI.damaged("cut-30.jpg"), "--max-megapixels", "0", "--bank", bank)
    #expect(limited.status != 0)
  }

  @Test("import: damaged photos are added and counted, the status is 0, a re-import is unchanged")
  func importCounts() throws {
    let folder = scratch.appending("archive")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for item in Self.cases {
      try FileManager.default.copyItem(atPath: CLI.damaged(item.name), toPath: "\(folder)/\(item.name)")
    }
    try FileManager.default.copyItem(atPath: CLI.photo("gps-southwest.jpg"), toPath: "\(folder)/good.jpg")
    let text = try cli("import", folder, "--bank", bank)
    #expect(text.status == 0, "\(text.stderr)")
    #expect(text.stdout.contains("  added         9 (8 damaged; "), "\(text.stdout)")
    #expect(text.stdout.contains("  failed        0"))

    let again = try cli("import", folder, "--bank", bank, "--json")
    #expect(again.status == 0)
    let summary = try #require(try again.json() as? [String: Any])
    #expect(summary["unchanged"] as? Int == 9 && summary["added"] as? Int == 0 && summary["damaged"] as? Int == 0)

    // list --damaged lists exactly them, and composes with the other filters.
    let damaged = try records("--damaged")
    #expect(names(damaged) == Set(Self.cases.map(\.name)))
    #expect(damaged.allSatisfy { $0["damaged"] is String })
    #expect(
      names(try records("--damaged", "--captured-from", "2024", "--captured-to", "2024"))
        == ["cut-after-header.jpg", "cut-30.jpg", "bad-huffman-code.jpg", "bad-huffman-table.jpg", "zero-lines.jpg"])
    #expect(names(try records("--damaged", "--locality", "48")) == ["decoder-error.heic"])
    #expect(names(try records("--kind", "photo")).count == 9)
    #expect(try cli("list", "--damaged", "--kind", "video", "--bank", bank).status == 1)

    // The records match the schema, and a bundle carries the field.
    let listed = scratch.appending("list.json")
    try cli("list", "--json", "--bank", bank).stdout.write(toFile: listed, atomically: false, encoding: .utf8)
    let checked = try schemaCheck("--each", "asset-record", listed)
    #expect(checked.status == 0, "\(checked.output)")
    let usb = scratch.appending("usb")
    let exported = try cli("export", "--out", usb, "--json", "--bank", bank)
    #expect(exported.status == 0, "\(exported.stderr)")
    let bag = try #require((try exported.json() as? [[String: Any]])?.first?["path"] as? String)
    let lines = try String(contentsOfFile: bag + "/data/records.jsonl", encoding: .utf8)
    #expect(lines.components(separatedBy: "\"damaged\":").count - 1 == Self.cases.count)
    let bundled = try schemaCheck("--lines", "record-line", bag + "/data/records.jsonl")
    #expect(bundled.status == 0, "\(bundled.output)")
  }

  /// `scripts/check-json-schema ARGUMENTS…`: its status (0 valid) and what it said.
  func schemaCheck(_ arguments: String...) throws -> (status: Int32, output: String) {
    let script = CLI.fixtures.deletingLastPathComponent().appendingPathComponent("scripts/check-json-schema").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, output)
  }

  @Test("import: the JSON summary counts the damaged; a folder with a refused file exits 1 as before")
  func importWithFailure() throws {
    let folder = scratch.appending("mixed")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: CLI.damaged("cut-30.jpg"), toPath: "\(folder)/cut.jpg")
    try FileManager.default.copyItem(atPath: CLI.bad("not-a-photo.jpg"), toPath: "\(folder)/ghi-chu.jpg")
    let result = try cli("import", folder, "--bank", bank, "--json")
    #expect(result.status == 1)
    let summary = try #require(try result.json() as? [String: Any])
    #expect(summary["added"] as? Int == 1 && summary["damaged"] as? Int == 1 && summary["failed"] as? Int == 1)
  }

  @Test("the report counts the damaged photos held and added in the year, in every format")
  func report() throws {
    #expect(try cli("add", CLI.damaged("cut-30.jpg"), CLI.damaged("idat-bad-crc.png"), "--bank", bank).status == 0)
    #expect(try cli("add", CLI.photo("gps-southwest.jpg"), "--bank", bank).status == 0)
    let year = String(Calendar(identifier: .gregorian).component(.year, from: Date()))
    let json = try #require(
      try cli("report", "--year", year, "--format", "json", "--bank", bank).json() as? [String: Any])
    #expect(json["total"] as? Int == 3 && json["damaged"] as? Int == 2 && json["damagedInYear"] as? Int == 2)
    let markdown = try cli("report", "--year", year, "--format", "md", "--bank", bank).stdout
    #expect(markdown.contains("(Damaged photos, held): 2 (trong năm (during the year): 2)"), "\(markdown)")
    let csv = try cli("report", "--year", year, "--format", "csv", "--bank", bank).stdout
    let line = try #require(csv.split(separator: "\n").first { $0.hasPrefix("summary,damaged,") }, "\(csv)")
    #expect(line.contains("Damaged photos, held") && line.contains(",2,,2"), "\(line)")
  }
}
