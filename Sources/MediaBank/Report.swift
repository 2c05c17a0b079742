import Foundation
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
    /// For a sub-pillar row (a bank's local pillar), the pillar it rolls up to; its assets are
    /// counted in that pillar's row too.
    public var parent: String? = nil
    /// True for a pillar code the vocabulary in force has retired, which assets still carry.
    public var retired: Bool? = nil
  }

  /// A pillar × language cell with no asset (national pillars in force, sub-pillars rolled up).
  public struct Gap: Codable, Equatable, Sendable {
    public var pillar: String
    public var language: String
  }

  public var year: Int
  public var province: String?
  public var bankName: String?
  public var pillarVocabulary: String
  /// Assets held at the end of the year, and added during it.
  public var total: Int
  public var added: Int
  /// Assets counted without a pillar, language or locality because they have only suggestions.
  public var unconfirmed: Int
  public var kinds: [Row]
  public var pillars: [Row]
  public var languages: [Row]
  public var provinces: [Row]
  public var communes: [Row]
  public var gaps: [Gap]

  /// The languages the gap table always covers: Vietnamese, and the languages of the main
  /// audiences abroad.
  public static let gapLanguages = ["vi", "en", "zh", "ko", "ja", "fr", "ru", "de"]
}

extension Library {
  /// The report for `year`: only confirmed tags count; assets are counted when they were added
  /// to this bank (`addedAt`).
  ///
  /// With `sourceBank` (national bank), the report of what that province contributed, its
  /// assets counted by when they were received.
  public func report(year: Int, sourceBank: String? = nil) throws(MediaBankError) -> BankReport {
    let all: [AssetRecord]
    if let sourceBank { all = try contributedRecords(source: sourceBank) } else { all = try assets() }
    let identity = try identity()
    func date(_ record: AssetRecord) -> String { sourceBank == nil ? record.addedAt : record.receivedAt ?? "" }
    let records = all.filter { Int(date($0).prefix(4)).map { $0 <= year } ?? false }
    let bankPillars = try pillars()
    let vocabulary = bankPillars.vocabulary
    let gazetteer: Gazetteer
    do {
      gazetteer = try Gazetteer.shared()
    } catch {
      throw MediaBankError("cannot load the locality data: \(error)")
    }
    let languageNames = try? Languages.shared()
    func isNew(_ record: AssetRecord) -> Bool { date(record).hasPrefix(String(year)) }
    var tables: [String: [String: (added: Int, total: Int)]] = [:]
    func count(_ table: String, _ key: String, _ record: AssetRecord) {
      var entry = tables[table, default: [:]][key, default: (0, 0)]
      entry.total += 1
      if isNew(record) { entry.added += 1 }
      tables[table, default: [:]][key] = entry
    }
    var cells: Set<String> = []
    var unconfirmed = 0
    for record in records {
      count("kind", record.kind, record)
      let tagged = Set((record.pillars ?? []).filter(\.confirmed).map(\.code))
      // A sub-pillar's assets count under it and, once, under its national pillar.
      let pillars = Set(tagged.map(bankPillars.nationalCode))
      let languages = Set((record.languages ?? []).filter(\.confirmed).map { $0.tag.lowercased() })
      for pillar in tagged.union(pillars) { count("pillar", pillar, record) }
      for language in languages { count("language", language, record) }
      if let locality = record.locality, locality.confirmed {
        count("province", locality.province, record)
        if let commune = locality.commune { count("commune", commune, record) }
      }
      let hasSuggestion =
        (record.pillars ?? []).contains { !$0.confirmed } || (record.languages ?? []).contains { !$0.confirmed }
        || record.locality?.confirmed == false
      if hasSuggestion { unconfirmed += 1 }
      for pillar in pillars { for language in languages { cells.insert("\(pillar)|\(language)") } }
    }
    func rows(_ table: String, label: (String) -> (String?, String?)) -> [BankReport.Row] {
      (tables[table] ?? [:]).map { key, value in
        let (vi, en) = label(key)
        return BankReport.Row(key: key, labelVi: vi, labelEn: en, added: value.added, total: value.total)
      }.sorted { ($0.total, $1.key) > ($1.total, $0.key) }
    }
    func pillarRow(_ pillar: Taxonomy.Pillar, retired: Bool = false) -> BankReport.Row {
      let value = tables["pillar"]?[pillar.code] ?? (0, 0)
      return BankReport.Row(
        key: pillar.code, labelVi: pillar.vietnameseLabel, labelEn: pillar.englishLabel, added: value.added,
        total: value.total, parent: pillar.parent, retired: retired ? true : nil)
    }
    // National pillars in the vocabulary's order, each followed by its sub-pillars; then the
    // retired codes that assets still carry.
    let pillarRows =
      vocabulary.topLevel.flatMap { [pillarRow($0)] + vocabulary.subPillars(of: $0.code).map { pillarRow($0) } }
      + bankPillars.retired.filter { tables["pillar"]?[$0.code] != nil }.map { pillarRow($0, retired: true) }
    let languagesCovered =
      BankReport.gapLanguages
      + (tables["language"] ?? [:]).keys.sorted().filter {
        !BankReport.gapLanguages.contains($0)
      }
    let gaps = vocabulary.topLevel.flatMap { pillar in
      languagesCovered.filter { !cells.contains("\(pillar.code)|\($0)") }.map {
        BankReport.Gap(pillar: pillar.code, language: $0)
      }
    }
    return BankReport(
      year: year, province: sourceBank ?? identity.province, bankName: sourceBank == nil ? identity.name : nil,
      pillarVocabulary: vocabulary.version,
      total: records.count, added: records.filter(isNew).count, unconfirmed: unconfirmed,
      kinds: rows("kind") { _ in (nil, nil) }, pillars: pillarRows,
      languages: rows("language") { tag in
        let names = languageNames?.name(of: tag)
        return (names?.vietnamese, names?.english)
      },
      provinces: rows("province") { code in
        let province = gazetteer.province(code: code)
        return (province?.name, province?.englishName)
      },
      communes: rows("commune") { code in
        let commune = gazetteer.commune(code: code)
        return (commune?.name, commune?.englishName)
      },
      gaps: gaps)
  }
}
