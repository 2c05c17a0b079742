import Foundation
import Testing

/// `list` and `search` as scripts and people use them: filters that never fail silently, exit
/// status 1 when nothing matched, `--limit` with its total, `--ids` for piping, retractions
/// marked; place names beside codes; hostile file names kept off the terminal.
@Suite struct ListingTests {
  let scratch: ScratchDirectory
  let bank: String
  let cli = CLI()

  init() throws {
    scratch = try ScratchDirectory()
    bank = scratch.appending("bank")
    let archive = scratch.appending("archive")
    try CLI.makeArchive(at: archive)
    #expect(try cli("init", "--bank", bank, "--province", "19").status == 0)
    #expect(try cli("import", archive, "--bank", bank).status == 1)
  }

  func run(_ arguments: String...) throws -> CLI.Output {
    try cli.run(arguments + ["--bank", bank])
  }

  /// The ids `list --ids` prints with these filters.
  func ids(_ filters: String...) throws -> [String] {
    let output = try cli.run(["list", "--ids", "--bank", bank] + filters)
    #expect([0, 1].contains(output.status), "\(output.stderr)")
    return output.stdout.split(separator: "\n").map(String.init)
  }

  @Test("list --json is one array of every asset in the order of list --ids, whatever the number")
  func jsonArrays() throws {
    // Stories are quick to import: 1, then 40 more, so that the array is printed in batches.
    let stories = scratch.appending("stories")
    try FileManager.default.createDirectory(atPath: stories, withIntermediateDirectories: true)
    let other = try cli("init", "--bank", scratch.appending("one"))
    #expect(other.status == 0)
    for index in 0..<41 {
      try "---\ntitle: Truyện \(index)\nlanguage: vi\n---\nChè Thái Nguyên, bài \(index).\n".write(
        toFile: stories + "/s\(index).md", atomically: true, encoding: .utf8)
      if index == 0 {
        #expect(try cli("add", stories + "/s0.md", "--bank", scratch.appending("one")).status == 0)
      }
    }
    let single = try cli("list", "--json", "--bank", scratch.appending("one"))
    #expect((try single.json() as? [[String: Any]])?.count == 1)
    #expect(try cli("import", stories, "--bank", bank).status == 0)
    let listed = try run("list", "--json")
    #expect(listed.status == 0)
    let records = try #require(try listed.json() as? [[String: Any]])
    #expect(records.compactMap { $0["id"] as? String } == (try ids()))
    #expect(records.count > 41)
  }

  @Test("an unknown pillar, language, place, kind, date or source bank exits 64 naming the closest values")
  func unknownValues() throws {
    let cases: [([String], String)] = [
      (["list", "--pillar", "tourism"], "--pillar: 'tourism' is not a pillar code of this bank"),
      (["list", "--pillar", "tourism"], "did you mean tourism-landscape (Du lịch và cảnh quan)?"),
      (["list", "--lang", "vn"], "did you mean vi (Tiếng Việt)"),
      (["search", "nui", "--lang", "Vietnamese"], "'Vietnamese' is not a BCP 47 language tag"),
      (["list", "--locality", "Thai Ngyen"], "did you mean 19 Tỉnh Thái Nguyên"),
      (["list", "--locality", "Tân Thành"], "05923 Xã Tân Thành, 19 Tỉnh Thái Nguyên"),
      (["list", "--kind", "photos"], "--kind: 'photos' is not a kind (photo, video or story); did you mean photo?"),
      (["list", "--captured-from", "2024-3"], "did you mean 2024-03?"),
      (["search", "nui", "--source-bank", "19"], "--source-bank: this bank has no records from other banks"),
    ]
    for (arguments, message) in cases {
      let output = try cli.run(arguments + ["--bank", bank])
      #expect(output.status == 64, "\(arguments)")
      #expect(output.stderr.contains(message), "\(arguments): \(output.stderr)")
      #expect(output.stdout.isEmpty, "\(arguments)")
    }
  }

  @Test("--locality takes what tag --locality takes: names, former names, codes")
  func localityNames() throws {
    let province = try ids("--locality", "19")
    #expect(province.count == 4)
    #expect(try ids("--locality", "Bắc Kạn") == province)
    #expect(try ids("--locality", "thai nguyen") == province)
    let commune = try ids("--locality", "Đại Từ, Thái Nguyên")
    let code = try ids("--locality", "05830")
    #expect(commune.count == 1 && commune == code)
  }

  @Test("nothing matched exits 1 (as grep), whatever the output; --limit ends with the total")
  func statusesAndLimits() throws {
    let none = try run("list", "--kind", "video")
    #expect(none.status == 1 && none.stdout == "No asset matches.\n" && none.stderr.isEmpty)
    let json = try run("list", "--kind", "video", "--json")
    let array = try json.json() as? [Any]
    #expect(json.status == 1 && array?.isEmpty == true)
    let bare = try run("list", "--kind", "video", "--ids")
    #expect(bare.status == 1 && bare.stdout.isEmpty && bare.stderr.isEmpty)
    let nothing = try run("search", "xyzzy")
    #expect(nothing.status == 1 && nothing.stdout == "No asset matches.\n")
    #expect(try run("search", "xyzzy", "--ids").stdout.isEmpty)

    let all = try run("list")
    #expect(all.status == 0 && all.stdout.split(separator: "\n").count == 7)
    #expect(!all.stdout.contains("showing"))
    let cut = try run("list", "--limit", "2")
    let lines = cut.stdout.split(separator: "\n")
    #expect(cut.status == 0 && lines.count == 3 && lines.last == "showing 2 of 7; --limit N for more")
    // With --ids and --json the note goes to standard error: standard output stays clean.
    let cutIDs = try run("list", "--limit", "2", "--ids")
    #expect(cutIDs.stdout.split(separator: "\n").count == 2)
    #expect(cutIDs.stderr == "mediabank: showing 2 of 7; --limit N for more\n")
    #expect((try run("list", "--limit", "2", "--json").json() as? [Any])?.count == 2)
    #expect(try run("list", "--limit", "0").status == 64)
    #expect(try run("list", "--ids", "--json").status == 64)

    let search = try run("search", "ho", "nui", "coc", "--limit", "1")
    #expect(search.status == 0)
    #expect(search.stdout.hasSuffix("\nshowing 1 of 3; --limit N for more\n"), "\(search.stdout)")
    let searchIDs = try run("search", "ho", "nui", "coc", "--ids")
    #expect(searchIDs.stdout.split(separator: "\n").count == 3 && searchIDs.stderr.isEmpty)
  }

  @Test("--ids prints full ids for piping into retract; retracted assets are marked and --shared-only hides them")
  func idsAndRetractions() throws {
    let tourism = try ids("--pillar", "culture-heritage")
    #expect(tourism.count == 1 && tourism.allSatisfy { $0.hasPrefix("sha256:") && $0.count == 71 })
    // As `… --ids | xargs mediabank retract --reason …` would call it.
    let retracted = try cli.run(
      ["retract", "--reason", "rights withdrawn", "--operator", "Lan", "--bank", bank] + tourism)
    #expect(retracted.status == 0 && retracted.stdout == "retracted \(tourism[0])\n", "\(retracted.stderr)")

    let listed = try run("list").stdout.split(separator: "\n")
    #expect(listed.filter { $0.hasSuffix("  [retracted]") }.count == 1)
    #expect(listed.first { $0.hasSuffix("[retracted]") }?.hasPrefix(String(tourism[0].prefix(19))) == true)
    #expect(try ids("--shared-only").count == 6 && !(try ids("--shared-only")).contains(tourism[0]))
    #expect(try ids().count == 7)
    #expect(try run("search", "dragon", "bridge", "--shared-only").status == 1)
    let shown = try run("show", tourism[0]).stdout.split(separator: "\n")
    #expect(shown[1].hasPrefix("  retracted         since 20") && shown[1].contains(": rights withdrawn (not shared"))

    // Again: said, not an error; the first retraction stays.
    let again = try run("retract", tourism[0], "--reason", "another reason")
    #expect(again.status == 0)
    #expect(again.stdout.hasPrefix("\(tourism[0]) is already retracted (since 20"))
    #expect(again.stdout.hasSuffix(": rights withdrawn)\n"))

    let back = try run("unretract", String(tourism[0].prefix(12)))
    #expect(back.status == 0 && back.stdout.hasPrefix("unretracted \(tourism[0]) (retracted since 20"))
    #expect(try run("unretract", tourism[0]).stdout == "\(tourism[0]) is not retracted\n")
    #expect(try ids("--shared-only").count == 7)
    #expect(try run("unretract", "sha256:0000", "--bank", bank).status == 2)
  }

  @Test("show and list print place names beside codes")
  func placeNames() throws {
    let lake = try #require(try ids("--locality", "05830").first)
    let shown = try run("show", lake).stdout
    #expect(shown.contains("\n  locality          05830 Xã Đại Từ, 19 Tỉnh Thái Nguyên (embedded)"), "\(shown)")
    let line = try #require(try run("list", "--locality", "05830").stdout.split(separator: "\n").first)
    #expect(line.hasSuffix("Hồ Núi Cốc lúc bình minh  (05830 Xã Đại Từ, 19 Tỉnh Thái Nguyên)"), "\(line)")
    #expect(try run("list").stdout.contains("(19 Tỉnh Thái Nguyên, suggested)"))
  }

  @Test("hostile file names and titles reach the terminal escaped: no control character, no bidi override")
  func hostileNames() throws {
    let folder = scratch.appending("hostile")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let names = [
      "title\u{1B}]0;pwned\u{07}\u{1B}[2J.jpg", "two\nlines.jpg", "photo\u{202E}gpj.exe.jpg", "tab\there.jpg",
    ]
    let sources = ["orientation-1.jpg", "orientation-2.jpg", "orientation-3.jpg", "orientation-4.jpg"]
    for (name, source) in zip(names, sources) {
      try FileManager.default.copyItem(atPath: CLI.photo(source), toPath: folder + "/" + name)
    }
    let imported = try run("import", folder, "--kind", "photo")
    #expect(imported.status == 0, "\(imported.stderr)")
    let listed = try run("list", "--kind", "photo", "--captured-from", "1900", "--captured-to", "9999")
    let everything = try run("list").stdout
    for output in [everything, listed.stdout] + (try ids().map { try run("show", $0).stdout }) {
      #expect(!output.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || (0x7F...0x9F).contains($0.value) })
      #expect(!output.unicodeScalars.contains { (0x202A...0x202E).contains($0.value) })
    }
    #expect(everything.split(separator: "\n").count == 11)
    #expect(everything.contains("title\\x1B]0;pwned\\x07\\x1B[2J.jpg"))
    #expect(everything.contains("two\\nlines.jpg") && everything.contains("tab\\there.jpg"))
    #expect(everything.contains("photo\\u{202E}gpj.exe.jpg"))
  }

  @Test("an unknown command says so with the commands (exit 64); import --help is import's; a dry run would import")
  func plainWords() throws {
    let unknown = try cli("frobnicate")
    #expect(unknown.status == 64 && unknown.stdout.isEmpty)
    #expect(unknown.stderr.hasPrefix("mediabank: unknown command 'frobnicate'\nCommands: init, add, import, "))
    #expect(unknown.stderr.contains(", list, search, ") && unknown.stderr.contains(", retract, unretract, "))
    #expect(try cli("lst").stderr.hasPrefix("mediabank: unknown command 'lst'; did you mean 'list'?\n"))
    let nested = try cli("receipt", "frobnicate")
    #expect(nested.status == 64 && nested.stderr.contains("Commands of 'mediabank receipt': apply"))
    #expect(try cli("help", "list").status == 0)

    let help = try cli("import", "--help").stdout
    #expect(!help.contains("--title") && !help.contains("--description"))
    #expect(help.contains("--jobs <n>              Files processed at once (default: the number of\n"))
    #expect(try cli("add", "--help").stdout.contains("--title"))

    let dry = try run("import", scratch.appending("archive"), "--dry-run")
    #expect(dry.stdout.hasPrefix("Would import \(scratch.appending("archive")) (dry run: nothing was written; "))
  }

  @Test("counts and sizes read right: 1 bundle, 1 retraction, 0 objects (0 bytes)")
  func plurals() throws {
    let usb = scratch.appending("usb")
    let first = try run("export", "--out", usb)
    #expect(
      first.status == 0 && first.stdout.contains("  7 records, 0 retractions, 0 deletions, 14 objects ("),
      "\(first.stdout)")
    let id = try #require(try ids().first)
    #expect(try run("retract", id, "--reason", "duplicate").status == 0)
    let second = try run("export", "--out", usb)
    #expect(second.stdout.contains("  0 records, 1 retraction, 0 deletions, 0 objects (0 bytes)\n"), "\(second.stdout)")
    let status = try run("sync-status").stdout
    #expect(status.hasPrefix("To national: 2 bundles, last mediabank-19-000002"), "\(status)")
    #expect(status.contains("  pending: 0 records not yet in a bundle\n"))
  }
}
