import Foundation
import Testing

@testable import MediaBank

/// Filters that never fail silently, pages with their totals, and retractions that can be undone.
@Suite struct FilterTests {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("bank-\(UUID())")
  let library: Library
  /// nui-coc-vi-en.jpg: tourism-landscape, vi, commune 05830 (Đại Từ, Thái Nguyên).
  let lake: String
  /// gps-southwest.jpg: culture-heritage, en, province 48 (Đà Nẵng).
  let bridge: String
  /// scan.png: tagged with a private-use language no list knows.
  let scan: String

  static let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  static func photo(_ name: String) -> String { fixtures.appendingPathComponent("photos/\(name)").path }

  init() throws {
    library = try Library.open(at: root, create: true)
    try library.initialize(province: "19", name: nil)
    lake =
      try library.add(
        Self.photo("nui-coc-vi-en.jpg"),
        options: AddOptions(language: "vi", pillar: "tourism-landscape", locality: "05830")
      ).id
    bridge =
      try library.add(
        Self.photo("gps-southwest.jpg"), options: AddOptions(language: "en", pillar: "culture-heritage", locality: "48")
      ).id
    scan = try library.add(Self.photo("scan.png"), options: AddOptions(language: "x-archive")).id
  }

  /// The problem `filter` has, or nil when it resolves.
  func problem(_ filter: AssetFilter) throws -> FilterProblem? {
    if case .failure(let problem) = try library.resolve(filter) { return problem }
    return nil
  }

  func resolved(_ filter: AssetFilter) throws -> AssetFilter {
    try library.resolve(filter).get()
  }

  @Test("an unknown pillar names the closest codes; a label names its code; local sub-pillars pass")
  func pillars() throws {
    let prefix = try #require(try problem(AssetFilter(pillar: "tourism")))
    #expect(prefix.field == .pillar && prefix.value == "tourism")
    #expect(prefix.suggestions == ["tourism-landscape (Du lịch và cảnh quan)"])
    #expect(
      prefix.description
        == "'tourism' is not a pillar code of this bank (vocabulary 2026.1); did you mean tourism-landscape (Du lịch và cảnh quan)?"
    )
    #expect(
      try problem(AssetFilter(pillar: "turism-landscape"))?.suggestions.first?.hasPrefix("tourism-landscape") == true)
    #expect(try problem(AssetFilter(pillar: "landscape"))?.suggestions.first?.hasPrefix("tourism-landscape") == true)
    #expect(
      try problem(AssetFilter(pillar: "Du lịch và cảnh quan"))?.suggestions.first?.hasPrefix("tourism-landscape")
        == true)
    let nonsense = try #require(try problem(AssetFilter(pillar: "qqqqqqqq")))
    #expect(nonsense.suggestions.isEmpty && nonsense.description.hasSuffix("`mediabank pillars` lists them"))
    // Codes are compared as the vocabulary does (any case) and given back as it writes them.
    #expect(try resolved(AssetFilter(pillar: "Tourism-Landscape")).pillar == "tourism-landscape")
    try library.addLocalPillar(
      LocalPillar(code: "tra-thai-nguyen", parent: "specialty-products", labelVi: "Trà Thái Nguyên", labelEn: "Tea"))
    #expect(try resolved(AssetFilter(pillar: "tra-thai-nguyen")).pillar == "tra-thai-nguyen")
    // A library call with an unknown value fails instead of finding nothing.
    let error = #expect(throws: MediaBankError.self) { try library.assets(matching: AssetFilter(pillar: "tourism")) }
    #expect(error?.reason.contains("did you mean tourism-landscape") == true)
    #expect(throws: MediaBankError.self) { try library.search("ho nui coc", filter: AssetFilter(pillar: "tourism")) }
  }

  @Test("languages: a tag of the list or of an asset, in its usual case; else the closest tags and names")
  func languages() throws {
    #expect(try resolved(AssetFilter(language: "ZH-hans")).language == "zh-Hans")
    #expect(try resolved(AssetFilter(language: "x-archive")).language == "x-archive")
    #expect(try resolved(AssetFilter(language: "ko")).language == "ko")
    let misspelt = try #require(try problem(AssetFilter(language: "vn")))
    #expect(misspelt.field == .language && misspelt.suggestions.first == "vi (Tiếng Việt)")
    let region = try #require(try problem(AssetFilter(language: "vi-VN")))
    #expect(region.suggestions == ["vi (Tiếng Việt)"])
    let name = try #require(try problem(AssetFilter(language: "Vietnamese")))
    #expect(name.reason.contains("not a BCP 47 language tag") && name.suggestions == ["vi (Tiếng Việt)"])
    #expect(try problem(AssetFilter(language: "Tày"))?.suggestions.first == "tyz (Tiếng Tày)")
    #expect(try problem(AssetFilter(language: "x-archiv"))?.suggestions == ["x-archive"])
  }

  @Test("localities: what tag --locality takes, made its code; unknown or ambiguous names give candidates")
  func localities() throws {
    #expect(try resolved(AssetFilter(locality: "Bắc Kạn")).locality == "19")
    #expect(try resolved(AssetFilter(locality: "Đại Từ, Thái Nguyên")).locality == "05830")
    #expect(try resolved(AssetFilter(locality: "TP HCM")).locality == "79")
    // The lake is in a commune of province 19; the scan has the bank's province as a suggestion.
    #expect(try library.assets(matching: AssetFilter(locality: "Bắc Kạn")).map(\.id) == [lake, scan])
    #expect(try library.assets(matching: AssetFilter(locality: "thai nguyen")).map(\.id) == [lake, scan])
    #expect(try library.assets(matching: AssetFilter(locality: "Đại Từ, Thái Nguyên")).map(\.id) == [lake])
    let typo = try #require(try problem(AssetFilter(locality: "Thai Ngyen")))
    #expect(typo.field == .locality && typo.suggestions.first == "19 Tỉnh Thái Nguyên")
    let ambiguous = try #require(try problem(AssetFilter(locality: "Tân Thành")))
    #expect(ambiguous.reason.contains("give a code or add the province"))
    #expect(ambiguous.suggestions.contains("05923 Xã Tân Thành, 19 Tỉnh Thái Nguyên"))
    #expect(try problem(AssetFilter(locality: "99"))?.suggestions.isEmpty == true)
  }

  @Test("kinds, dates and source banks are checked too")
  func others() throws {
    #expect(try resolved(AssetFilter(kind: "Photo")).kind == "photo")
    #expect(try problem(AssetFilter(kind: "photos"))?.suggestions == ["photo"])
    #expect(try problem(AssetFilter(capturedFrom: "2024-3"))?.suggestions == ["2024-03"])
    #expect(try problem(AssetFilter(capturedTo: "2024-3-5"))?.field == .capturedTo)
    #expect(try problem(AssetFilter(capturedTo: "2024-3-5"))?.suggestions == ["2024-03-05"])
    #expect(try problem(AssetFilter(capturedFrom: "2024-13")) != nil)
    #expect(try problem(AssetFilter(capturedFrom: "24")) != nil)
    #expect(try problem(AssetFilter(capturedFrom: "2024")) == nil)
    #expect(try problem(AssetFilter(capturedFrom: "2024-02-29")) == nil)
    // A provincial bank has no records from other banks.
    let source = try #require(try problem(AssetFilter(sourceBank: "19")))
    #expect(source.field == .sourceBank && source.reason.contains("no records from other banks"))
  }

  @Test("a page leads to the next; counts are of every match; --shared-only leaves retracted assets out")
  func pages() throws {
    let page = try library.assetPage(matching: AssetFilter(), limit: 2)
    #expect(page.records.map(\.id) == [lake, bridge] && page.next != nil)
    #expect(try library.assetPage(matching: AssetFilter(), after: page.next, limit: 2).records.map(\.id) == [scan])
    #expect(try library.countAssets(matching: AssetFilter()) == 3)
    #expect(try library.assetPage(matching: AssetFilter(kind: "photo"), limit: 10).records.count == 3)
    #expect(try library.countAssets(matching: AssetFilter(pillar: "events-sports")) == 0)

    try library.retract([bridge], reason: "rights withdrawn")
    #expect(try library.assets(matching: AssetFilter(sharedOnly: true)).map(\.id) == [lake, scan])
    #expect(try library.assets(matching: AssetFilter()).count == 3)

    // Search: how many match in all, with or without a filter, whatever the limit.
    for name in ["orientation-1.jpg", "orientation-2.jpg"] {
      _ = try library.add(
        Self.photo(name), options: AddOptions(texts: StatedTexts(title: "Hồ Núi Cốc"), language: "vi"))
    }
    let everything = try library.search("nui coc", limit: 100)
    #expect(everything.count >= 3)
    let first = try library.searchPage("nui coc", limit: 1)
    #expect(first.hits.map(\.record.id) == [everything[0].record.id] && first.total == everything.count)
    #expect(try library.searchPage("nui coc", limit: 100).total == everything.count)
    try library.retract([everything[0].record.id], reason: "duplicate")
    let shared = try library.searchPage("nui coc", filter: AssetFilter(sharedOnly: true), limit: 1)
    #expect(shared.hits.count == 1 && shared.total == everything.count - 1 && shared.totalIsExact)
    // Counted among the best matches only: a lower bound, said to be one.
    let capped = try library.searchPage("nui coc", filter: AssetFilter(sharedOnly: true), limit: 1, countLimit: 1)
    #expect(!capped.totalIsExact && capped.total >= 1 && capped.total <= everything.count - 1)
    #expect(try library.searchPage("xyzzy").total == 0)
  }

  @Test("retract twice keeps the first retraction; unretract shares again; both audited; export follows")
  func retractions() throws {
    let first = try library.retract([String(lake.prefix(12))], reason: " rights withdrawn ", operatorName: "Lan")
    #expect(first.map(\.id) == [lake] && first[0].changed && first[0].retraction == nil)
    let again = try library.retract([lake, lake], reason: "other reason", operatorName: "Minh")
    #expect(again.count == 1 && !again[0].changed && again[0].retraction?.reason == "rights withdrawn")
    #expect(try library.asset(lake).retraction?.reason == "rights withdrawn")
    #expect(throws: MediaBankError.self) { try library.retract([lake], reason: "  ") }
    #expect(throws: MediaBankError.self) { try library.retract([lake, "sha256:0000"], reason: "x") }

    let usb = root.appendingPathComponent("usb").path
    let sent = try library.export(ExportOptions(output: usb))
    #expect(sent.first?.retractions == 1)

    let back = try library.unretract([lake], operatorName: "Lan")
    #expect(back[0].changed && back[0].retraction?.reason == "rights withdrawn")
    #expect(try library.asset(lake).retraction == nil)
    #expect(try library.unretract([lake])[0].changed == false)
    let next = try library.export(ExportOptions(output: usb))
    #expect(next.count == 1 && next[0].upserts == 1 && next[0].retractions == 0)

    let history = try library.catalog.history(lake)
    #expect(history.map(\.action) == ["retract", "unretract"])
    #expect(history.map(\.operator) == ["Lan", "Lan"])
    #expect(history[0].newValue == "rights withdrawn" && history[1].oldValue == "rights withdrawn")
  }

  @Test("closest values: prefixes, then later words, then the fewest edits within a quarter of the length")
  func closest() {
    let candidates = ["photo", "video", "story"].map { Closest.Candidate(shown: $0, keys: [$0]) }
    #expect(Closest.values(to: "pho", among: candidates) == ["photo"])
    #expect(Closest.values(to: "vidoe", among: candidates) == ["video"])
    #expect(Closest.values(to: "sound", among: candidates).isEmpty)
    // A typo in one word of a code of several.
    let pillars = ["culture-heritage", "tourism-landscape", "people"].map { Closest.Candidate(shown: $0, keys: [$0]) }
    #expect(Closest.values(to: "culturee", among: pillars) == ["culture-heritage"])
    #expect(Closest.values(to: "tourims", among: pillars) == ["tourism-landscape"])
    #expect(Closest.distance("kitten", "sitting") == 3 && Closest.distance("", "abc") == 3)
    #expect(Closest.distance("vidoe", "video") == 1)
    #expect(Closest.alternatives(["a", "b", "c"]) == "a, b or c")
    #expect(Closest.alternatives(["a, x", "b"]) == "a, x or b")
    #expect(Closest.alternatives(["a, x", "b", "c"]) == "a, x; b or c")
  }
}
