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
    #expect(output.status == 0, "\(output.stderr)")
    let records = try #require(try output.json() as? [[String: Any]])
    return Set(records.flatMap { ($0["originalNames"] as? [String]) ?? [] })
  }

  @Test("list filters by pillar, language, locality (a province includes its communes), date and suggestion")
  func filters() throws {
    #expect(try listed("--pillar", "culture-heritage") == ["cau-rong.heic"])
    #expect(try listed("--lang", "vi") == ["cho-noi.jpg", "bản sao chợ nổi.jpg"])
    #expect(try listed("--locality", "19") == ["nui-coc.jpg", "IMG_0001.JPG", "anh.png", "caf\\xE9.jpg"])
    #expect(try listed("--locality", "05830") == ["nui-coc.jpg"])
    #expect(try listed("--locality", "48", "--pillar", "events-sports") == ["cau-rong.heic"])
    #expect(try listed("--captured-from", "2024", "--captured-to", "2025-12") == ["nui-coc.jpg", "cau-rong.heic"])
    // Every asset here has a suggestion: a bank-default or folder locality, or a pillar hint.
    #expect(
      try listed("--suggested-only", "--locality", "19") == ["nui-coc.jpg", "IMG_0001.JPG", "anh.png", "caf\\xE9.jpg"])
    #expect(try listed("--suggested-only", "--lang", "en").isEmpty)
  }

  @Test("tag adds explicit tags that win, replaces the explicit locality, and --remove takes tags away")
  func tagging() throws {
    let id = try #require(
      (try cli("list", "--json", "--bank", bank).json() as? [[String: Any]])?.first {
        ($0["originalNames"] as? [String])?.contains("IMG_0001.JPG") == true
      }?["id"] as? String)
    let tagged = try cli(
      "tag", String(id.prefix(15)), "--locality", "Huế", "--pillar", "tourism-landscape", "--bank", bank)
    #expect(tagged.status == 0 && tagged.stdout == "tagged \(id)\n", "\(tagged.stderr)")
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
    #expect(pillar.status == 64 && pillar.stderr.contains("'tourism' is not a pillar code of vocabulary"))
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
    #expect(nothing.status == 64 && nothing.stderr.contains("name assets, or give --all-from SOURCE"))
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
    #expect(counts("languages") == ["vi": 1])
    // Only confirmed localities: the file's own City/State (19), the CSV rows (92, 48).
    #expect(counts("provinces") == ["19": 1, "92": 1, "48": 1])
    #expect(counts("kinds") == ["photo": 7])
    let gaps = Set((report["gaps"] as? [[String: String]] ?? []).map { "\($0["pillar"]!)|\($0["language"]!)" })
    #expect(!gaps.contains("tourism-landscape|vi") && gaps.contains("tourism-landscape|ko"))
    #expect(gaps.count == 12 * 8 - 1)

    let markdown = try cli("report", "--year", String(year), "--bank", bank)
    #expect(markdown.stdout.contains("| tourism-landscape | Du lịch và cảnh quan (Tourism and landscape) | 1 | 1 |"))
    let earlier = try #require(
      try cli("report", "--year", String(year - 1), "--format", "json", "--bank", bank).json() as? [String: Any])
    #expect(earlier["total"] as? Int == 0)
    let badYear = try cli("report", "--year", "26", "--bank", bank)
    #expect(badYear.status == 64 && badYear.stderr.contains("--year must be a year such as 2026"))
    let csv = try cli("report", "--year", String(year), "--format", "csv", "--bank", bank)
    #expect(csv.stdout.hasPrefix("table,key,label_vi,label_en,added,total\n"))
    #expect(csv.stdout.contains("\nlanguage,vi,Tiếng Việt,Vietnamese,1,1\n"))
  }

  @Test("pillars lists the vocabulary and says what a folder name suggests")
  func pillars() throws {
    let list = try cli("pillars")
    #expect(list.status == 0 && list.stdout.hasPrefix("Image pillars: vocabulary 2026.1, 12 pillars"))
    let match = try cli("pillars", "match", "Lễ hội")
    #expect(match.status == 0 && match.stdout.contains("events-sports"))
  }
}
