import Foundation
import Testing

/// `mediabank tag`, the filters of `list`, and `mediabank pillars`.
@Suite struct TagTests {
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

  /// Every original name of the assets `list` shows with these filters.
  func listed(_ filters: String...) throws -> Set<String> {
    let output = try cli.run(["list", "--json", "--bank", bank] + filters)
    let records = try #require(try output.json() as? [[String: Any]])
    #expect(output.status == (records.isEmpty ? 1 : 0), "\(output.stderr)")
    return Set(records.flatMap { ($0["originalNames"] as? [String]) ?? [] })
  }

  @Test("list filters by pillar, language, locality (a province includes its communes), date and suggestion")
  func filters() throws {
    #expect(try listed("--pillar", "culture-heritage") == ["cau-rong.heic"])
    // Languages stated with the texts: xml:lang in the files and sidecars, title_vi/title_en in the CSV.
    #expect(
      try listed("--lang", "vi")
        == ["IMG_0001.JPG", "nui-coc.jpg", "scan.png", "cho-noi.jpg", "bản sao chợ nổi.jpg", "cau-rong.heic"])
    #expect(try listed("--locality", "19") == ["nui-coc.jpg", "IMG_0001.JPG", "anh.png", "caf\\xE9.jpg"])
    #expect(try listed("--locality", "05830") == ["nui-coc.jpg"])
    #expect(try listed("--locality", "48", "--pillar", "events-sports") == ["cau-rong.heic"])
    #expect(try listed("--captured-from", "2024", "--captured-to", "2025-12") == ["nui-coc.jpg", "cau-rong.heic"])
    // Every asset here has a suggestion: a bank-default or folder locality, or a pillar hint.
    #expect(
      try listed("--suggested-only", "--locality", "19") == ["nui-coc.jpg", "IMG_0001.JPG", "anh.png", "caf\\xE9.jpg"])
    #expect(try listed("--suggested-only", "--lang", "en", "--pillar", "culture-heritage").isEmpty)
  }

  @Test("tag adds explicit tags that win, replaces the explicit locality, and --remove takes tags away")
  func tagging() throws {
    let id = try #require(
      (try cli("list", "--json", "--bank", bank).json() as? [[String: Any]])?.first {
        ($0["originalNames"] as? [String])?.contains("IMG_0001.JPG") == true
      }?["id"] as? String)
    let tagged = try cli(
      "tag", String(id.prefix(15)), "--locality", "Huế", "--pillar", "tourism-landscape", "--bank", bank)
    #expect(tagged.status == 0 && tagged.stdout == "tagged \(id)\nTagged 1 asset: 2 changes.\n", "\(tagged.stderr)")
    #expect(try listed("--locality", "46") == ["IMG_0001.JPG"])
    let record = try #require(try cli("show", id, "--json", "--bank", bank).json() as? [String: Any])
    let locality = try #require(record["locality"] as? [String: Any])
    #expect(locality["source"] as? String == "explicit" && locality["confirmed"] as? Bool == true)
    #expect(try listed("--pillar", "tourism-landscape").contains("IMG_0001.JPG"))

    // A second explicit locality replaces the first.
    #expect(try cli("tag", id, "--locality", "48", "--bank", bank).status == 0)
    #expect(try listed("--locality", "46").isEmpty)
    #expect(try listed("--locality", "48").contains("IMG_0001.JPG"))

    #expect(try cli("tag", id, "--pillar", "tourism-landscape", "--remove", "--bank", bank).status == 0)
    #expect(!(try listed("--pillar", "tourism-landscape").contains("IMG_0001.JPG")))

    // Refusals: an ambiguous place, an unknown pillar, an unknown asset.
    let ambiguous = try cli("tag", id, "--locality", "Tân Thành", "--bank", bank)
    #expect(ambiguous.status == 2 && ambiguous.stderr.contains("is ambiguous"))
    let pillar = try cli("tag", id, "--pillar", "tourism", "--bank", bank)
    #expect(pillar.status == 64 && pillar.stderr.contains("'tourism' is not a pillar code of this bank (vocabulary"))
    // Said as the other usage errors of the bank's values are, without the usage of `mediabank`.
    let imported = try cli("import", bank, "--pillar", "tourism", "--bank", bank)
    #expect(imported.status == 64 && imported.stderr.hasPrefix("mediabank: error: --pillar: 'tourism' is not"))
    #expect(!imported.stderr.contains("Usage:") && !pillar.stderr.contains("Usage:"))
    #expect(try cli("tag", "sha256:0000", "--lang", "vi", "--bank", bank).status == 2)
  }

  @Test("review lists suggestions; accept confirms them, reject removes them")
  func review() throws {
    let pending = try cli("review", "--locality", "--json", "--bank", bank)
    let suggestions = try #require(try pending.json() as? [[String: Any]])
    #expect(Set(suggestions.map { "\($0["value"]!)/\($0["source"]!)" }) == ["19/bank-default", "04456/path"])

    let accepted = try cli("review", "accept", "--all-from", "bank-default", "--bank", bank)
    #expect(accepted.stdout == "accepted 3 suggestions\n")
    #expect(try listed("--suggested-only", "--locality", "19") == ["nui-coc.jpg", "IMG_0001.JPG"])

    let id = try #require(
      (try cli("list", "--json", "--bank", bank).json() as? [[String: Any]])?.first {
        ($0["originalNames"] as? [String])?.contains("IMG_0001.JPG") == true
      }?["id"] as? String)
    let rejected = try cli("review", "reject", id, "--pillar", "--bank", bank)
    #expect(rejected.status == 0 && rejected.stdout == "rejected 2 suggestions\n")
    #expect(try listed("--suggested-only", "--locality", "19") == ["nui-coc.jpg"])
    let record = try #require(try cli("show", id, "--json", "--bank", bank).json() as? [String: Any])
    #expect(record["pillars"] == nil)
    #expect((record["locality"] as? [String: Any])?["confirmed"] as? Bool == true)

    let nothing = try cli("review", "accept", "--bank", bank)
    #expect(nothing.status == 64 && nothing.stderr.contains("name assets, or give --folder PATH or --all-from SOURCE"))
    let source = try cli("review", "accept", "--all-from", "gps", "--bank", bank)
    #expect(source.status == 64 && source.stderr.contains("--all-from must be path, text or bank-default"))
  }

  @Test("the yearly report counts confirmed tags per pillar, language, locality and kind, with the gaps")
  func report() throws {
    let year = Calendar(identifier: .gregorian).component(.year, from: Date())
    let output = try cli("report", "--year", String(year), "--format", "json", "--bank", bank)
    #expect(output.status == 0, "\(output.stderr)")
    let report = try #require(try output.json() as? [String: Any])
    #expect(report["total"] as? Int == 7 && report["added"] as? Int == 7 && report["province"] as? String == "19")
    func counts(_ table: String) -> [String: Int] {
      Dictionary(
        uniqueKeysWithValues: (report[table] as? [[String: Any]] ?? []).compactMap { row in
          (row["total"] as? Int).flatMap { $0 > 0 ? (row["key"] as! String, $0) : nil }
        })
    }
    #expect(counts("pillars") == ["tourism-landscape": 1, "culture-heritage": 1, "events-sports": 1])
    #expect(counts("languages") == ["vi": 5, "en": 5])
    // Only confirmed localities: the file's own City/State (19), the CSV rows (92, 48); the rest
    // have no locality (`none`), so that the rows add up to the assets held.
    #expect(counts("provinces") == ["19": 1, "92": 1, "48": 1, "none": 4])
    #expect(counts("kinds") == ["photo": 7])
    let gaps = Set((report["gaps"] as? [[String: String]] ?? []).map { "\($0["pillar"]!)|\($0["language"]!)" })
    #expect(!gaps.contains("tourism-landscape|vi") && gaps.contains("tourism-landscape|ko"))
    // Filled: tourism-landscape (cho-noi), culture-heritage and events-sports (cau-rong), each in vi and en.
    #expect(gaps.count == 12 * 8 - 6)

    let markdown = try cli("report", "--year", String(year), "--bank", bank)
    #expect(
      markdown.stdout.contains("| tourism-landscape | Du lịch và cảnh quan (Tourism and landscape) | 1 | 0 | 1 |"))
    let earlier = try #require(
      try cli("report", "--year", String(year - 1), "--format", "json", "--bank", bank).json() as? [String: Any])
    #expect(earlier["total"] as? Int == 0)
    let badYear = try cli("report", "--year", "26", "--bank", bank)
    #expect(badYear.status == 64 && badYear.stderr.contains("--year must be a year such as 2026"))
    let csv = try cli("report", "--year", String(year), "--format", "csv", "--bank", bank)
    #expect(csv.stdout.hasPrefix("\u{FEFF}table,key,label_vi,label_en,added,captured,total,parent,status\n"))
    #expect(csv.stdout.contains("\nlanguage,vi,Tiếng Việt,Vietnamese,5,0,5,,\n"))
  }

  @Test("pillars lists the vocabulary and says what a folder name suggests")
  func pillars() throws {
    let noBank = scratch.appending("no-bank")
    let list = try cli("pillars", "--bank", noBank)
    #expect(list.status == 0 && list.stdout.hasPrefix("Image pillars: vocabulary 2026.1, 12 national pillars\n"))
    #expect(list.stdout.contains("\nShipped with mediabank\n"))
    let match = try cli("pillars", "match", "Lễ hội", "--bank", noBank)
    #expect(match.status == 0 && match.stdout.contains("events-sports"))
    #expect(!FileManager.default.fileExists(atPath: noBank))
  }

  /// The id of the asset first imported from `name`.
  func id(of name: String) throws -> String {
    let records = try #require(try cli("list", "--json", "--bank", bank).json() as? [[String: Any]])
    let record = try #require(records.first { ($0["originalNames"] as? [String])?.contains(name) == true })
    return try #require(record["id"] as? String)
  }

  /// The report of this year as JSON.
  func yearReport() throws -> [String: Any] {
    let year = Calendar(identifier: .gregorian).component(.year, from: Date())
    let output = try cli("report", "--year", String(year), "--format", "json", "--bank", bank)
    #expect(output.status == 0, "\(output.stderr)")
    return try #require(try output.json() as? [String: Any])
  }

  @Test("a local sub-pillar rolls up to its national pillar in list, records, suggestions and the report")
  func localPillars() throws {
    let added = try cli(
      "pillars", "add-local", "tra-thai-nguyen", "--parent", "specialty-products", "--label-vi", "Trà Thái Nguyên",
      "--label-en", "Thai Nguyen tea", "--hint", "Tân Cương", "--bank", bank)
    #expect(added.status == 0, "\(added.stderr)")
    #expect(added.stdout == "added tra-thai-nguyen Trà Thái Nguyên (Thai Nguyen tea) under specialty-products\n")
    // Refusals: a code taken, a parent that is not national, a label that names another pillar.
    for (arguments, message) in [
      (["tra-thai-nguyen", "--parent", "specialty-products"], "'tra-thai-nguyen' is already a local pillar"),
      (["che-xanh", "--parent", "tra-thai-nguyen"], "'tra-thai-nguyen' is not a national pillar in force"),
      (["tourism-landscape", "--parent", "specialty-products"], "is already a national pillar"),
      (["Tra", "--parent", "specialty-products"], "'Tra' is not a pillar code"),
    ] {
      let refused = try cli.run(
        ["pillars", "add-local"] + arguments + ["--label-vi", "Chè xanh", "--label-en", "Green tea", "--bank", bank])
      #expect(refused.status == 2 && refused.stderr.contains(message), "\(refused.stderr)")
    }
    let clash = try cli(
      "pillars", "add-local", "ocop", "--parent", "specialty-products", "--label-vi", "Du lịch và cảnh quan",
      "--label-en", "OCOP", "--bank", bank)
    #expect(clash.status == 2 && clash.stderr.contains("would name both tourism-landscape and ocop"))

    let nuiCoc = try id(of: "nui-coc.jpg")
    #expect(try cli("tag", nuiCoc, "--pillar", "tra-thai-nguyen", "--bank", bank).status == 0)
    #expect(try listed("--pillar", "specialty-products") == ["nui-coc.jpg"])
    #expect(try listed("--pillar", "tra-thai-nguyen") == ["nui-coc.jpg"])
    let record = try #require(try cli("show", nuiCoc, "--json", "--bank", bank).json() as? [String: Any])
    let pillars = record["pillars"] as? [[String: Any]] ?? []
    #expect(
      pillars.contains {
        $0["code"] as? String == "tra-thai-nguyen" && $0["parent"] as? String == "specialty-products"
          && $0["source"] as? String == "explicit"
      })
    #expect(pillars.allSatisfy { $0["code"] as? String == "tra-thai-nguyen" || $0["parent"] == nil })

    // The labels name it and the hints suggest it, at ingest too.
    let match = try cli("pillars", "match", "tra thai nguyen", "Chè Tân Cương", "--bank", bank)
    #expect(match.stdout.contains("tra thai nguyen → tra-thai-nguyen Trà Thái Nguyên (Thai Nguyen tea)"))
    #expect(match.stdout.contains("Chè Tân Cương: suggests\n  tra-thai-nguyen Trà Thái Nguyên: 1 hit"))
    let photo = scratch.appending("tan-cuong.jpg")
    try FileManager.default.copyItem(atPath: CLI.photo("orientation-1.jpg"), toPath: photo)
    #expect(try cli("add", photo, "--title", "Đồi chè Tân Cương", "--lang", "vi", "--bank", bank).status == 0)
    let suggestions = try #require(
      try cli("review", "--pillar", "--json", "--bank", bank).json() as? [[String: Any]])
    #expect(
      suggestions.contains {
        $0["value"] as? String == "tra-thai-nguyen" && $0["source"] as? String == "text"
      })

    // The report counts it under itself and, once, under its national pillar; gaps roll up.
    let report = try yearReport()
    let rows = report["pillars"] as? [[String: Any]] ?? []
    let keys = rows.map { $0["key"] as? String ?? "" }
    let national = try #require(keys.firstIndex(of: "specialty-products"))
    #expect(keys[national + 1] == "tra-thai-nguyen")
    #expect(rows[national]["total"] as? Int == 1 && rows[national + 1]["total"] as? Int == 1)
    #expect(rows[national + 1]["parent"] as? String == "specialty-products")
    let gaps = Set((report["gaps"] as? [[String: String]] ?? []).map { "\($0["pillar"]!)|\($0["language"]!)" })
    #expect(!gaps.contains { $0.hasPrefix("tra-thai-nguyen|") })
    // nui-coc.jpg is in Vietnamese and English: its sub-pillar fills those cells of its national pillar.
    #expect(!gaps.contains("specialty-products|vi") && !gaps.contains("specialty-products|en"))
    #expect(gaps.contains("specialty-products|ko"))
    let markdown = try cli("report", "--bank", bank).stdout
    #expect(
      markdown.contains("| tra-thai-nguyen | ↳ Trà Thái Nguyên (Thai Nguyen tea), thuộc (under) specialty-products |"))
  }

  @Test("a newer vocabulary retires a code: assets keep it, reports show it retired, new tags refuse it")
  func vocabularyUpdate() throws {
    let shipped = CLI.fixtures.deletingLastPathComponent()
      .appendingPathComponent("Sources/Taxonomy/Resources/pillars/pillars.json")
    var vocabulary = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: shipped)) as? [String: Any])
    func write(_ name: String, version: String, without code: String) throws -> String {
      var copy = vocabulary
      copy["version"] = version
      copy["pillars"] =
        (vocabulary["pillars"] as! [[String: Any]]).filter { $0["code"] as? String != code } + [
          [
            "code": "digital-government", "label": ["vi": "Chính quyền số", "en": "Digital government"],
            "scope": ["vi": "Dịch vụ công trực tuyến.", "en": "Online public services."],
          ]
        ]
      let path = scratch.appending(name)
      try JSONSerialization.data(withJSONObject: copy).write(to: URL(fileURLWithPath: path))
      return path
    }
    let retiring = try write("2027.1.json", version: "2027.1", without: "tourism-landscape")
    vocabulary["version"] = "2027.2"
    let older = try write("2026.0.json", version: "2026.0", without: "culture-heritage")

    // Not newer: refused, nothing changes.
    let stale = try cli("pillars", "update", older, "--bank", bank)
    #expect(stale.status == 2 && stale.stderr.contains("is not newer than the vocabulary in force (2026.1)"))
    // A local pillar whose parent would be retired: refused.
    #expect(
      try cli(
        "pillars", "add-local", "bien-sam-son", "--parent", "tourism-landscape", "--label-vi", "Biển Sầm Sơn",
        "--label-en", "Sam Son beach", "--bank", bank
      ).status == 0)
    let orphaning = try cli("pillars", "update", retiring, "--bank", bank)
    #expect(orphaning.status == 2 && orphaning.stderr.contains("does not fit the bank's local pillars"))

    // Without that local pillar (a fresh bank), the update goes through.
    let other = scratch.appending("bank2")
    #expect(try cli("import", scratch.appending("archive"), "--bank", other).status == 1)
    let update = try cli("pillars", "update", retiring, "--json", "--bank", other)
    #expect(update.status == 0, "\(update.stderr)")
    let summary = try #require(try update.json() as? [String: Any])
    #expect(summary["previousVersion"] as? String == "2026.1" && summary["version"] as? String == "2027.1")
    #expect(summary["added"] as? [String] == ["digital-government"])
    #expect((summary["retired"] as? [[String: Any]])?.first?["code"] as? String == "tourism-landscape")
    // One asset has it confirmed, three as suggestions (folder names, text): all keep it.
    #expect((summary["retired"] as? [[String: Any]])?.first?["assets"] as? Int == 4)

    let list = try cli("pillars", "--bank", other).stdout
    #expect(list.hasPrefix("Image pillars: vocabulary 2027.1, 12 national pillars\n"))
    #expect(list.contains("Loaded into this bank: "))
    #expect(list.contains("tourism-landscape") && list.contains("— retired"))
    #expect(try cli("list", "--pillar", "tourism-landscape", "--bank", other).status == 0)
    let names = try cli("list", "--json", "--pillar", "tourism-landscape", "--bank", other).json() as? [[String: Any]]
    #expect(names?.count == 4)
    let refused = try cli("tag", try id(of: "nui-coc.jpg"), "--pillar", "tourism-landscape", "--bank", other)
    #expect(refused.status == 64 && refused.stderr.contains("'tourism-landscape' is a retired pillar"))
    let year = Calendar(identifier: .gregorian).component(.year, from: Date())
    let report = try #require(
      try cli("report", "--year", String(year), "--format", "json", "--bank", other).json() as? [String: Any])
    #expect(report["pillarVocabulary"] as? String == "2027.1")
    let rows = report["pillars"] as? [[String: Any]] ?? []
    #expect(rows.last?["key"] as? String == "tourism-landscape" && rows.last?["retired"] as? Bool == true)
    #expect(rows.contains { $0["key"] as? String == "digital-government" && $0["total"] as? Int == 0 })
    let gaps = (report["gaps"] as? [[String: String]] ?? []).map { $0["pillar"]! }
    #expect(!gaps.contains("tourism-landscape") && gaps.contains("digital-government"))
    // Loading the same version again is refused.
    #expect(try cli("pillars", "update", retiring, "--bank", other).status == 2)
  }
}
