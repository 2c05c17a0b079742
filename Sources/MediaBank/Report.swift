import Catalog
public import Foundation
import Taxonomy

/// The yearly report a bank sends to the ministry: how many assets it holds per pillar,
/// language, locality and kind, what was added in the year, and which pillar × language cells
/// are still empty.
public struct BankReport: Codable, Equatable, Sendable {
  /// One line of a count table.
  public struct Row: Codable, Equatable, Sendable {
    /// The pillar code, language tag, locality code or kind.
    public var key: String
    /// A Vietnamese label, when there is one.
    public var labelVi: String?
    /// An English label, when there is one.
    public var labelEn: String?
    /// Assets added during the year.
    public var added: Int
    /// Assets held at the end of the year.
    public var total: Int
    /// Of the assets held, those captured during the year: by their capture date, else by the
    /// year their folder names (``AssetRecord/Hints/capturedYear``).
    public var captured: Int = 0
    /// For a sub-pillar row (a bank's local pillar), the pillar it rolls up to; its assets are
    /// counted in that pillar's row too.
    public var parent: String? = nil
    /// True for a pillar code the vocabulary in force has retired, which assets still carry.
    public var retired: Bool? = nil

    /// The row's name as the reports print it: the Vietnamese label, the English one in
    /// parentheses (`Ảnh (photo)`), a sub-pillar's parent, a retired code.
    public var label: String {
      var label = [labelVi, labelEn.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
      if let parent { label = "↳ \(label), thuộc (under) \(parent)" }
      if retired == true { label += " — đã thôi dùng (retired)" }
      return label
    }
  }

  /// A pillar × language cell with no asset (national pillars in force, sub-pillars rolled up).
  public struct Gap: Codable, Equatable, Sendable {
    public var pillar: String
    public var language: String
  }

  /// The assets held of a national pillar (its sub-pillars rolled up) in a language: a cell of
  /// the pillar × language grid that has some.
  public struct Cell: Codable, Equatable, Sendable {
    public var pillar: String
    public var language: String
    public var total: Int
  }

  public var year: Int
  /// The 2-digit code of the province reported on: the bank's own, or on the national bank the
  /// source bank's.
  public var province: String?
  /// That province's name (`Tỉnh Thái Nguyên`).
  public var provinceName: String?
  /// The name of the bank that makes the report.
  public var bankName: String?
  /// True when the bank making the report is the national bank (a province's contribution).
  public var national: Bool?
  /// On the national bank: the source bank whose contribution is reported.
  public var sourceBank: String?
  public var pillarVocabulary: String
  /// Assets held at the end of the year (retracted and deleted ones not counted), those added
  /// during it, and those captured during it.
  public var total: Int
  public var added: Int
  public var captured: Int
  /// Assets withdrawn from what the bank shares by the end of the year (`mediabank retract`),
  /// and during it: not counted as held.
  public var retracted: Int
  public var retractedInYear: Int
  /// Assets deleted by the end of the year (`mediabank delete`), and during it; nil on the
  /// national bank, which keeps nothing of what a province deleted.
  public var deleted: Int?
  public var deletedInYear: Int?
  /// Assets counted without a pillar, language or locality because they have only suggestions.
  public var unconfirmed: Int
  /// Of the assets held, the damaged photos (pixel data truncated or corrupt, kept with the
  /// metadata that could be read; `list --damaged`), and those of them added during the year.
  public var damaged: Int = 0
  public var damagedInYear: Int = 0
  public var kinds: [Row]
  public var pillars: [Row]
  public var languages: [Row]
  /// Per province, then a `none` row for the assets with no confirmed locality: the rows add up
  /// to the assets held. The same for the communes.
  public var provinces: [Row]
  public var communes: [Row]
  /// The assets held per year of capture (`none`: no capture date and no year in the folders).
  public var captureYears: [Row]
  public var gaps: [Gap]
  /// The cells of the pillar × language grid that have assets, by pillar in the vocabulary's
  /// order, then by language in the order of `gaps`' columns: with `gaps`, the whole grid.
  public var pillarLanguages: [Cell]

  /// The key of the row of assets with no locality, or no capture year.
  public static let noneKey = "none"

  /// The labels of the kinds: Vietnamese, and the kind's own name.
  public static let kindLabels: [String: (vi: String, en: String)] = [
    "photo": ("Ảnh", "photo"), "video": ("Video", "video"), "story": ("Bài viết", "story"),
  ]

  /// The report's province as the reports print it: `19 Tỉnh Thái Nguyên`.
  public var provinceTitle: String? {
    province.map { [$0, provinceName].compactMap { $0 }.joined(separator: " ") }
  }

  /// The year of capture of `record`: its capture date's (when it starts with four digits, as
  /// the catalog reads it), else the year its folders name.
  public static func captureYear(of record: AssetRecord) -> Int? {
    let year = record.capturedAt?.utf8.prefix(4)
    if let year, year.count == 4, year.allSatisfy({ (0x30...0x39).contains($0) }) {
      return Int(String(decoding: year, as: UTF8.self))
    }
    return record.hints?.capturedYear
  }

  /// Refuses a year that has not begun (or one before 2000): a report counts what happened.
  public static func checkYear(_ year: Int, now: Date = Date()) throws(MediaBankError) {
    let current = Calendar(identifier: .gregorian).component(.year, from: now)
    guard year >= 2000 else { throw MediaBankError(.invalidInput, "there is no report before 2000") }
    guard year <= current else {
      throw MediaBankError(.invalidInput, "\(year) has not begun: report on \(current) or an earlier year")
    }
  }

  /// The pillar × language grid of `cells` (assets per `pillar|language` key): over the
  /// vocabulary's national pillars in force and the gap languages, then any other language of
  /// `languages` in code order, the empty cells (`gaps`) and the others (`cells`).
  static func grid(
    _ cells: [String: Int], vocabulary: PillarVocabulary, languages: some Sequence<String>
  ) -> (gaps: [Gap], cells: [Cell]) {
    let covered = gridLanguages(languages)
    var gaps: [Gap] = []
    var counted: [Cell] = []
    for pillar in vocabulary.topLevel {
      for language in covered {
        if let total = cells["\(pillar.code)|\(language)"] {
          counted.append(Cell(pillar: pillar.code, language: language, total: total))
        } else {
          gaps.append(Gap(pillar: pillar.code, language: language))
        }
      }
    }
    return (gaps, counted)
  }

  /// The columns of the pillar × language grid: the gap languages, then the others of
  /// `languages` in code order.
  public static func gridLanguages(_ languages: some Sequence<String>) -> [String] {
    gapLanguages + Set(languages).subtracting(gapLanguages).sorted()
  }

  /// The languages the gap table always covers: Vietnamese, and the languages of the main
  /// audiences abroad.
  public static let gapLanguages = ["vi", "en", "zh", "ko", "ja", "fr", "ru", "de"]
}

extension Library {
  /// The report for `year`: only confirmed tags count; assets are counted when they were added
  /// to this bank (`addedAt`). Retracted and deleted assets are not held: they are counted apart.
  ///
  /// With `sourceBank` (national bank), the report of what that province contributed, its
  /// assets counted by when they were received. Throws for a year that has not begun, for the
  /// national bank's own report (it has `nationalReport`), and for `sourceBank` elsewhere.
  public func report(year: Int, sourceBank: String? = nil) throws(MediaBankError) -> BankReport {
    try BankReport.checkYear(year)
    let identity = try identity()
    let national = identity.national == true
    if national, sourceBank == nil {
      throw MediaBankError(
        .conflict,
        "this is the national bank: use `mediabank report --national` for the provinces, "
          + "or `mediabank report --source-bank CODE` for what one province contributed")
    }
    if !national, sourceBank != nil {
      throw MediaBankError(
        .conflict,
        "--source-bank reads what the provinces sent to the national bank; this bank's own report is "
          + "`mediabank report`")
    }
    func byYearEnd(_ time: String) -> Bool { Int(time.prefix(4)).map { $0 <= year } ?? false }
    func inYear(_ time: String) -> Bool { time.hasPrefix(String(year)) }
    // Retracted by the end of the year: not held. On the national bank a retraction replaces the
    // record, so those are counted from the retractions received.
    var retractedAt: [String] = []
    var deletedAt: [String]? = nil
    if let sourceBank {
      retractedAt = try catalogCall { () throws(CatalogError) in
        try catalog.retractedContributions(source: sourceBank)
      }.map(\.receivedAt).filter(byYearEnd)
    } else {
      deletedAt = try catalogCall { () throws(CatalogError) in try catalog.deletions() }.map(\.deletedAt).filter(
        byYearEnd)
    }
    let bankPillars = try pillars()
    let vocabulary = bankPillars.vocabulary
    let gazetteer: Gazetteer
    do {
      gazetteer = try Gazetteer.shared()
    } catch {
      throw MediaBankError("cannot load the locality data: \(error)", wrapping: error, code: .internal)
    }
    let languageNames = try? Languages.shared()
    var tables: [String: [String: (added: Int, captured: Int, total: Int)]] = [:]
    var cells: [String: Int] = [:]
    var (total, added, captured, unconfirmed, damaged, damagedInYear) = (0, 0, 0, 0, 0, 0)
    func count(_ asset: Counted) {
      guard byYearEnd(asset.date) else { return }
      let n = asset.count
      if let retracted = asset.retractedAt, byYearEnd(retracted) {
        retractedAt += repeatElement(retracted, count: n)
        return
      }
      let isNew = inYear(asset.date)
      let isCaptured = asset.captureYear == year
      func count(_ table: String, _ key: String) {
        func add(to entry: inout (added: Int, captured: Int, total: Int)) {
          entry.total += n
          if isNew { entry.added += n }
          if isCaptured { entry.captured += n }
        }
        // In place: one look-up of the table and of the key.
        add(to: &tables[table, default: [:]][key, default: (0, 0, 0)])
      }
      total += n
      if isNew { added += n }
      if isCaptured { captured += n }
      if asset.damaged {
        damaged += n
        if isNew { damagedInYear += n }
      }
      count("kind", asset.kind)
      // A sub-pillar's assets count under it and, once, under its national pillar.
      let pillars = Set(asset.pillars.map(bankPillars.nationalCode))
      for pillar in asset.pillars.union(pillars) { count("pillar", pillar) }
      for language in asset.languages { count("language", language) }
      // Every asset in one province row and one commune row, `none` when unknown: the rows add up.
      let locality = asset.locality.flatMap { $0.confirmed ? $0 : nil }
      count("province", locality?.province ?? BankReport.noneKey)
      count("commune", locality?.commune ?? BankReport.noneKey)
      count("capture", asset.captureYear.map(String.init) ?? BankReport.noneKey)
      if asset.hasSuggestion { unconfirmed += n }
      for pillar in pillars { for language in asset.languages { cells["\(pillar)|\(language)", default: 0] += n } }
    }
    // One asset at a time, as the catalog reads them: the counts are all the report keeps.
    if let sourceBank {
      try forEachAsset(matching: AssetFilter(sourceBank: sourceBank), texts: []) { record in
        count(Counted(record))
        return true
      }
    } else {
      // The catalog reads a key of each asset, and gives each distinct one once, with the number
      // of assets that have it.
      try catalogCall { () throws(CatalogError) in
        try catalog.forEachTally(addedBefore: String(year + 1), yearInFolder: AssetRecord.year(inFolder:)) {
          count(Counted($0))
        }
      }
    }
    func row(_ table: String, _ key: String, _ label: (String?, String?)) -> BankReport.Row {
      let value = tables[table]?[key] ?? (0, 0, 0)
      return BankReport.Row(
        key: key, labelVi: label.0, labelEn: label.1, added: value.added, total: value.total,
        captured: value.captured)
    }
    /// The rows of a table, most assets first, the `none` row last.
    func rows(_ table: String, none: (String, String)? = nil, label: (String) -> (String?, String?)) -> [BankReport.Row]
    {
      let keys = (tables[table] ?? [:]).keys.filter { $0 != BankReport.noneKey }
      let sorted = keys.map { row(table, $0, label($0)) }.sorted { ($0.total, $1.key) > ($1.total, $0.key) }
      guard let none, tables[table]?[BankReport.noneKey] != nil else { return sorted }
      return sorted + [row(table, BankReport.noneKey, none)]
    }
    func pillarRow(_ pillar: Taxonomy.Pillar, retired: Bool = false) -> BankReport.Row {
      var result = row("pillar", pillar.code, (pillar.vietnameseLabel, pillar.englishLabel))
      result.parent = pillar.parent
      result.retired = retired ? true : nil
      return result
    }
    // National pillars in the vocabulary's order, each followed by its sub-pillars; then the
    // retired codes that assets still carry.
    let pillarRows =
      vocabulary.topLevel.flatMap { [pillarRow($0)] + vocabulary.subPillars(of: $0.code).map { pillarRow($0) } }
      + bankPillars.retired.filter { tables["pillar"]?[$0.code] != nil }.map { pillarRow($0, retired: true) }
    let grid = BankReport.grid(cells, vocabulary: vocabulary, languages: (tables["language"] ?? [:]).keys)
    let captureKeys = (tables["capture"] ?? [:]).keys.filter { $0 != BankReport.noneKey }.sorted(by: >)
    var captureRows = captureKeys.map { row("capture", $0, (nil, nil)) }
    if tables["capture"]?[BankReport.noneKey] != nil {
      captureRows.append(row("capture", BankReport.noneKey, ("chưa xác định", "unknown")))
    }
    let provinceCode = sourceBank ?? identity.province
    return BankReport(
      year: year, province: provinceCode, provinceName: provinceCode.flatMap { gazetteer.province(code: $0)?.name },
      bankName: identity.name, national: national ? true : nil, sourceBank: sourceBank,
      pillarVocabulary: vocabulary.version,
      total: total, added: added, captured: captured,
      retracted: retractedAt.count, retractedInYear: retractedAt.filter(inYear).count,
      deleted: deletedAt?.count, deletedInYear: deletedAt?.filter(inYear).count, unconfirmed: unconfirmed,
      damaged: damaged, damagedInYear: damagedInYear,
      kinds: rows("kind") { BankReport.kindLabels[$0].map { ($0.vi, $0.en) } ?? (nil, nil) }, pillars: pillarRows,
      languages: rows("language") { tag in
        let names = languageNames?.name(of: tag)
        return (names?.vietnamese, names?.english)
      },
      provinces: rows("province", none: ("chưa xác định", "no locality")) { code in
        let province = gazetteer.province(code: code)
        return (province?.name, province?.englishName)
      },
      communes: rows("commune", none: ("chưa xác định", "no locality")) { code in
        let commune = gazetteer.commune(code: code)
        return (commune?.name, commune?.englishName)
      },
      captureYears: captureRows,
      gaps: grid.gaps, pillarLanguages: grid.cells)
  }

  /// On the national bank, the report of each province's contribution counted in `national`
  /// (`report(year:sourceBank:)` for each of its provinces).
  public func contributionReports(of national: NationalReport) throws(MediaBankError) -> [BankReport] {
    var reports: [BankReport] = []
    for province in national.provinces {
      reports.append(try report(year: national.year, sourceBank: province.code))
    }
    return reports
  }
}

/// What the yearly report counts of one asset: from its record (a province's contribution,
/// counted by when it was received), or from the catalog's tally of the bank's own assets that
/// it counts alike.
private struct Counted: Sendable {
  /// How many assets it stands for.
  var count = 1
  var kind: String
  /// When it was added to the bank, or received from the province: a time, or only its year
  /// (the report reads no more of it).
  var date: String
  var retractedAt: String?
  var captureYear: Int?
  var damaged: Bool
  /// Its confirmed pillar codes, and language tags in lower case.
  var pillars: Set<String>
  var languages: Set<String>
  var locality: AssetRecord.Locality?
  /// Whether any of its pillar, language or locality tags is a suggestion.
  var hasSuggestion: Bool

  init(_ record: AssetRecord) {
    kind = record.kind
    date = record.receivedAt ?? ""
    captureYear = BankReport.captureYear(of: record)
    damaged = record.damaged != nil
    // A province's local sub-pillar, unknown to the national bank's vocabulary, with the pillar
    // its record says it rolls up to.
    pillars = Set((record.pillars ?? []).filter(\.confirmed).flatMap(\.codes))
    languages = Set((record.languages ?? []).filter(\.confirmed).map { $0.tag.lowercased() })
    locality = record.locality
    hasSuggestion =
      (record.pillars ?? []).contains { !$0.confirmed } || (record.languages ?? []).contains { !$0.confirmed }
      || record.locality?.confirmed == false
  }

  init(_ tally: AssetTally) {
    count = tally.count
    kind = tally.kind
    date = tally.addedYear
    retractedAt = tally.retractedYear
    captureYear = tally.captureYear
    damaged = tally.damaged
    pillars = Set(tally.tags.filter { $0.facet == "pillar" && $0.confirmed }.map(\.value))
    languages = Set(tally.tags.filter { $0.facet == "language" && $0.confirmed }.map { $0.value.lowercased() })
    locality = AssetRecord.locality(tally.tags.filter { $0.facet == "locality" })
    hasSuggestion = tally.tags.contains { $0.facet != "locality" && !$0.confirmed } || locality?.confirmed == false
  }
}
