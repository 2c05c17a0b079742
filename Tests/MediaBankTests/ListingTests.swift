import Catalog
import Foundation
import Testing

@testable import MediaBank

/// Listings read a page at a time from the catalog's indexes (issue 16): every filter gives what
/// the full rule gives on every asset, pages read with cursors add up to the whole list in both
/// orders, and counts agree.
@Suite struct ListingTests {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("bank-\(UUID())")
  let library: Library

  static func photo(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Fixtures/photos/\(name)").path
  }

  /// Twelve photos with pillars, languages, localities (explicit, and from GPS or folders),
  /// capture dates (from the file, set by a person, none), a suggestion, a retraction.
  init() throws {
    library = try Library.open(at: root, create: true)
    try library.initialize(province: "19", name: nil)
    let plan: [(String, AddOptions)] =
      [
        ("nui-coc-vi-en.jpg", AddOptions(language: "vi", pillar: "tourism-landscape", locality: "05830")),
        ("gps-southwest.jpg", AddOptions(language: "en", pillar: "culture-heritage", locality: "48")),
        ("scan.png", AddOptions(language: "x-archive")),
        ("iptc-utf8.jpg", AddOptions(pillar: "culture-heritage", locality: "19")),
        ("latin1-text.png", AddOptions(language: "EN", locality: "Bắc Kạn")),
        ("iphone.heic", AddOptions()),
      ] + (1...6).map { ("orientation-\($0).jpg", AddOptions(pillar: $0 % 2 == 0 ? "tourism-landscape" : nil)) }
    var ids: [String] = []
    for (name, options) in plan { ids.append(try library.add(Self.photo(name), options: options).id) }
    try library.edit([ids[6]], AssetEdit(capturedAt: "2019-02-05T08:00:00+07:00"))
    try library.edit([ids[7]], AssetEdit(capturedAt: "2024-12-31"))
    try library.retract([ids[1]], reason: "rights withdrawn")
  }

  /// The filters tried: each condition alone, and some together.
  static let filters: [AssetFilter] = [
    AssetFilter(), AssetFilter(kind: "photo"), AssetFilter(kind: "video"), AssetFilter(pillar: "tourism-landscape"),
    AssetFilter(pillar: "culture-heritage"), AssetFilter(language: "en"), AssetFilter(language: "vi"),
    AssetFilter(locality: "19"), AssetFilter(locality: "05830"), AssetFilter(locality: "48"),
    AssetFilter(capturedFrom: "2020"), AssetFilter(capturedTo: "2019-02"), AssetFilter(capturedFrom: "2024-12-31"),
    AssetFilter(capturedFrom: "2019", capturedTo: "2024"), AssetFilter(suggestedOnly: true),
    AssetFilter(sharedOnly: true), AssetFilter(damagedOnly: true),
    AssetFilter(pillar: "tourism-landscape", locality: "19", sharedOnly: true),
  ]

  @Test("every filter lists what the full rule selects among all the assets, and counts them", arguments: filters)
  func filterAgreesWithTheRule(_ filter: AssetFilter) throws {
    let all = try library.assets()
    #expect(all.count == 12)
    let resolved = try library.resolve(filter).get()
    let expected = all.filter(resolved.matches).map(\.id)
    #expect(try library.assets(matching: filter).map(\.id) == expected)
    #expect(try library.countAssets(matching: filter) == expected.count)
  }

  @Test("pages of any size, read with their cursors, add up to the whole list, oldest or newest first")
  func pagesAddUp() throws {
    let all = try library.assets().map(\.id)
    for newestFirst in [false, true] {
      for limit in [1, 2, 5, 12, 50] {
        var ids: [String] = []
        var cursor: AssetCursor?
        var pages = 0
        repeat {
          let page = try library.assetPage(
            matching: AssetFilter(), after: cursor, newestFirst: newestFirst, limit: limit)
          #expect(page.records.count <= limit)
          ids += page.records.map(\.id)
          // A cursor survives its text form, as a link carries it.
          cursor = try page.next.map { try #require(AssetCursor(token: $0.token)) }
          pages += 1
        } while cursor != nil && pages < 100
        #expect(ids == (newestFirst ? all.reversed() : all), "limit \(limit)")
        #expect(pages == (all.count + limit - 1) / limit, "limit \(limit): the last page says it is the last")
      }
    }
  }

  @Test("a filtered page stops at the limit and its cursor continues after it")
  func filteredPages() throws {
    let filter = AssetFilter(pillar: "tourism-landscape")
    let expected = try library.assets(matching: filter).map(\.id)
    // Four tagged by hand, and those the words of their texts suggest it for.
    #expect(expected.count >= 4)
    let first = try library.assetPage(matching: filter, limit: 3)
    let second = try library.assetPage(matching: filter, after: first.next, limit: expected.count - 3)
    #expect(first.records.map(\.id) + second.records.map(\.id) == expected)
    #expect(second.next == nil)
  }

  @Test("a token that is not a cursor is refused; a cursor outlives the asset it points at")
  func cursors() throws {
    for token in ["", "not a cursor", "YQ", String(repeating: "A", count: 600), "Ygp4eHgKMQ"] {
      #expect(AssetCursor(token: token) == nil, "\(token)")
    }
    let first = try library.assetPage(matching: AssetFilter(), limit: 3)
    let last = try #require(first.records.last?.id)
    try library.delete([last], reason: "test")
    let rest = try library.assetPage(matching: AssetFilter(), after: first.next, limit: 100)
    #expect(rest.records.count == 9)
    #expect(!rest.records.contains { $0.id == last })
  }
}

/// A whole listing reads ahead on another thread: ids in pages of 50, 200, 800… up to 10,000,
/// rows in chunks of at most 1,000 assets.
@Suite struct ReadAheadTests {
  @Test("a listing across chunks gives every asset once, in order, and stops where it is told")
  func acrossChunks() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("bank-\(UUID())")
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stories-\(UUID())")
    defer {
      try? FileManager.default.removeItem(at: root)
      try? FileManager.default.removeItem(at: folder)
    }
    let library = try Library.open(at: root, create: true)
    try library.initialize(province: "19", name: nil)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    // 260 stories: the first chunk (50), the second (200) and part of a third.
    for index in 0..<260 {
      let file = folder.appendingPathComponent(String(format: "story-%03d.md", index))
      try "---\ntitle: Câu chuyện số \(index)\nlanguage: vi\n---\n\nHồ Núi Cốc, mùa thu năm \(2000 + index).\n".write(
        to: file, atomically: true, encoding: .utf8)
    }
    #expect(try library.importFolder(folder.path, options: ImportOptions()).added == 260)
    var pages: [String] = []
    var cursor: AssetCursor?
    repeat {
      let page = try library.assetPage(matching: AssetFilter(), after: cursor, limit: 97)
      pages += page.records.map(\.id)
      cursor = page.next
    } while cursor != nil
    #expect(pages.count == 260)
    #expect(try library.assets().map(\.id) == pages)
    for stop in [1, 50, 51, 250, 251, 259] {
      var seen: [String] = []
      try library.forEachAsset(matching: AssetFilter()) { record in
        seen.append(record.id)
        return seen.count < stop
      }
      #expect(seen == Array(pages.prefix(stop)), "stopped after \(stop)")
    }
    // Rows read 30 at a time: the pages of ids (30, 120, 480) are split into chunks.
    for stop in [29, 30, 31, 149, 151, 260] {
      var seen: [String] = []
      try library.forEachAsset(matching: AssetFilter(), texts: ["title"], chunk: 30) { record in
        seen.append(record.id)
        return seen.count < stop
      }
      #expect(seen == Array(pages.prefix(stop)), "stopped after \(stop) in chunks of 30")
    }
    var ids: [String] = []
    try library.forEachAssetID(matching: AssetFilter(kind: "story")) { id in
      ids.append(id)
      return true
    }
    #expect(ids == pages)
  }
}

/// The national library: its listings and facet counts, which the catalog reads from what it
/// keeps of each record (`contribution_tally`), agree with the full rule on every record.
@Suite struct NationalListingTests {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("national-listing-\(UUID())")
  let national: Library

  /// Province 19 sends the twelve photos of ``ListingTests`` (one retracted), a damaged photo,
  /// one tagged with a local sub-pillar, and 24 stories in a folder `2019/Du lịch/Ba Bể` (their
  /// year, pillar and commune suggested by it), in Vietnamese and English; province 48 sends
  /// three photos, one of them the same content as one of 19's, one without a locality. The
  /// national bank has a local sub-pillar of its own with the code of 19's, under another pillar.
  init() throws {
    national = try Library.open(at: root.appendingPathComponent("national"), create: true)
    try national.initialize(province: nil, name: nil, national: true)
    try national.addLocalPillar(
      LocalPillar(code: "tra-thai-nguyen", parent: "culture-heritage", labelVi: "Trà", labelEn: "Tea"))
    let thaiNguyen = try ListingTests().library
    try thaiNguyen.addLocalPillar(
      LocalPillar(code: "tra-thai-nguyen", parent: "specialty-products", labelVi: "Trà Thái Nguyên", labelEn: "Tea"))
    let tea = try thaiNguyen.add(ListingTests.photo("orientation-7.jpg")).id
    _ = try thaiNguyen.tag([tea], TagChange(pillar: "tra-thai-nguyen", language: "vi"))
    _ = try thaiNguyen.add(
      URL(fileURLWithPath: ListingTests.photo("scan.png")).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("damaged/cut-70.jpg").path)
    let folder = root.appendingPathComponent("archive/2019/Du lịch/Ba Bể")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for index in 0..<24 {
      try
        "---\ntitle: Câu chuyện số \(index)\nlanguage: \(index % 3 == 0 ? "en" : "vi")\n---\n\nHồ Ba Bể, kể \(index).\n"
        .write(to: folder.appendingPathComponent("story-\(index).md"), atomically: true, encoding: .utf8)
    }
    _ = try thaiNguyen.importFolder(root.appendingPathComponent("archive").path, options: ImportOptions())
    let daNang = try Library.open(at: root.appendingPathComponent("48"), create: true)
    try daNang.initialize(province: "48", name: nil)
    _ = try daNang.add(
      ListingTests.photo("nui-coc-vi-en.jpg"), options: AddOptions(language: "en", pillar: "culture-heritage"))
    // No locality, and no suggestion either (a record's `suggested` is then read from its
    // locality's absence alone).
    let bare = try daNang.add(ListingTests.photo("orientation-8.jpg"), options: AddOptions(locality: "48")).id
    _ = try daNang.tag([bare], TagChange(locality: "48", remove: true))
    let record = try daNang.asset(bare)
    try #require(record.locality == nil && (record.pillars ?? []).isEmpty && (record.languages ?? []).isEmpty)
    _ = try daNang.add(ListingTests.photo("latin1-text.png"))
    for (code, bank) in [("19", thaiNguyen), ("48", daNang)] {
      let bundle = try #require(
        try bank.export(ExportOptions(output: root.appendingPathComponent("usb-\(code)").path)).first)
      try national.trust(bank: code, publicKeyFile: bank.root.appendingPathComponent("keys/bank.pub").path)
      _ = try national.receive(bundle.path)
    }
  }

  /// The filters tried: ``ListingTests/filters``, and those of the national bank's records.
  static let filters: [AssetFilter] =
    ListingTests.filters + [
      AssetFilter(kind: "story"), AssetFilter(pillar: "specialty-products"), AssetFilter(locality: "01906"),
      AssetFilter(capturedTo: "2019"), AssetFilter(sourceBank: "48"),
      AssetFilter(language: "vi", sourceBank: "19"), AssetFilter(pillar: "culture-heritage", sourceBank: "48"),
      AssetFilter(kind: "story", language: "en", suggestedOnly: true),
      // Values the national bank knows only from the records: a sub-pillar of 19, a private tag.
      AssetFilter(pillar: "tra-thai-nguyen"), AssetFilter(language: "X-Archive"), AssetFilter(retractedOnly: true),
    ]

  @Test(
    "every filter lists what the full rule selects among all the records, and counts their facets", arguments: filters)
  func filterAgreesWithTheRule(_ filter: AssetFilter) throws {
    defer { try? FileManager.default.removeItem(at: root) }
    let all = try national.assets()
    #expect(all.count == 11 + 2 + 24 + 3)
    let resolved = try national.resolve(filter).get()
    let expected = all.filter(resolved.matches)
    /// A record by its asset and the province that sent it.
    func keys(_ records: [AssetRecord]) -> [String] { records.map { "\($0.sourceBank ?? "?") \($0.id)" } }
    #expect(keys(try national.assets(matching: filter)) == keys(expected))
    // Pages of one record, either way: each looks up the records of its first 20 pages in
    // order, then reads the rest of its matches from the catalog's tally (40 records).
    let query = Library.contributionQuery(for: resolved)
    for newestFirst in [false, true] {
      var pages: [String] = []
      var position: ContributionPosition?
      while pages.count <= all.count {
        let rows = try national.catalog.contributions(
          source: resolved.sourceBank, matching: query, after: position, newestFirst: newestFirst, limit: 1)
        guard let row = rows.first else { break }
        pages.append("\(row.source) \(row.assetId)")
        position = ContributionPosition(receivedAt: row.receivedAt, source: row.source, assetId: row.assetId)
      }
      #expect(pages == (newestFirst ? keys(expected).reversed() : keys(expected)), "newest first: \(newestFirst)")
    }
    #expect(try national.facets(matching: filter) == (try national.facets(of: expected)))
  }

  @Test("the counts of the whole library: sub-pillars under their pillar, folder years, suggestions, damage")
  func wholeLibrary() throws {
    defer { try? FileManager.default.removeItem(at: root) }
    let facets = try national.facets(matching: AssetFilter())
    func count(_ values: [FacetCounts.Value], _ key: String) -> Int? { values.first { $0.key == key }?.count }
    #expect(facets.total == 40 && facets.damaged == 1 && facets.retracted == 0)
    #expect(facets.provinces.map(\.count).reduce(0, +) == 39, "one of 48's three has no locality")
    #expect(count(facets.kinds, "story") == 24 && count(facets.kinds, "photo") == 16)
    #expect(count(facets.pillars, "specialty-products") == 1, "the tea photo, under its national pillar")
    #expect(count(facets.captureYears, "2019") ?? 0 >= 25, "the stories by their folder, and a photo")
    #expect(count(facets.sources, "19") == 37 && count(facets.sources, "48") == 3)
    #expect(facets.suggested >= 24 && count(facets.communes, "01906") ?? 0 >= 24)
    // A value no record has names the closest ones.
    let unknown = #expect(throws: MediaBankError.self) { try national.facets(matching: AssetFilter(pillar: "tra")) }
    #expect(unknown?.reason.contains("'tra' is not a pillar code of this bank") == true)
    guard case .failure(let problem) = try national.resolve(AssetFilter(language: "x-archiv")) else {
      Issue.record("x-archiv resolved")
      return
    }
    #expect(problem.suggestions.contains("x-archive"), "the tag a record has, as the catalog keeps it")
  }
}
