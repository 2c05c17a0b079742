import Catalog
public import Foundation
import Taxonomy

/// The ministry's view of who contributes what (`mediabank report --national`, the national
/// bank's dashboard).
public struct NationalReport: Codable, Equatable, Sendable {
  public struct Province: Codable, Equatable, Sendable {
    public var code: String
    public var name: String?
    /// Assets it contributes at the end of the year, and those received during it.
    public var assets: Int
    public var added: Int
    public var bundles: Int
    /// The last bundle received from it by the end of the year, and when.
    public var lastBundle: String?
    public var lastReceivedAt: String?
    /// Whole days from `lastReceivedAt` to the report's date (`asOf`).
    public var daysSinceLast: Int?
    /// Assets it had retracted by the end of the year: not counted in `assets`.
    public var retracted: Int = 0
    /// Confirmed tags only; local sub-pillars count under their national pillar.
    public var pillars: [String: Int]
    public var languages: [String: Int]
    public var kinds: [String: Int]
  }

  /// A province of today's map that sent nothing during the year (`silent`), or nothing for
  /// ``NationalReport/quietDays`` days before the report's date (`quiet`).
  public struct Silent: Codable, Equatable, Sendable {
    public var code: String
    public var name: String
    /// Its last bundle by the end of the year; nil when it never sent one.
    public var lastReceivedAt: String? = nil
  }

  /// The bundles received in one month of the year and the records they brought (new assets,
  /// changes and retractions alike): the trend of contributions.
  public struct Month: Codable, Equatable, Sendable {
    /// `2026-03`.
    public var month: String
    public var bundles: Int
    public var records: Int
  }

  public var year: Int
  /// The day the report counts to: today for this year, the year's last day for an earlier one.
  public var asOf: String
  /// Distinct assets (the same content from two provinces counts once).
  public var assets: Int
  /// The provinces that sent bundles by the end of the year, by code.
  public var provinces: [Province]
  /// The provinces of today's map that sent nothing during the year, by code.
  public var silent: [Silent]
  /// The provinces of today's map whose last bundle is more than ``quietDays`` days before
  /// `asOf`, or that never sent one, by code.
  public var quiet: [Silent]
  /// The national pillar × language grid over every province's contribution (an asset two
  /// provinces sent counts in each): the cells that have assets and, with `gaps`, those that have none.
  public var pillarLanguages: [BankReport.Cell]
  public var gaps: [BankReport.Gap]
  /// January to December of the year (to this month for the current year).
  public var months: [Month]

  /// How long a province may stay silent before the dashboard points at it.
  public static let quietDays = 90
}

extension Library {
  /// The national report for `year`: per province, the assets it contributes per pillar,
  /// language and kind, the bundles received and the date of the last one; the provinces that
  /// sent nothing during the year or for ``NationalReport/quietDays`` days; the pillar × language
  /// grid; the bundles and records received month by month. Throws on a bank that is not the
  /// national bank, and for a year that has not begun. `now` is the date a current year's report
  /// counts to.
  public func nationalReport(year: Int, now: Date = Date()) throws(MediaBankError) -> NationalReport {
    try BankReport.checkYear(year, now: now)
    let identity = try identity()
    guard identity.national == true else {
      let which = identity.province.map { "the bank of province \($0)" } ?? "this bank"
      throw MediaBankError(
        .conflict, "--national is for the national bank; \(which) makes its report with `mediabank report`")
    }
    let yearPrefix = String(year)
    let received = try catalogCall { () throws(CatalogError) in try catalog.receivedBundles() }
      .filter { $0.receivedAt.prefix(4) <= yearPrefix }
    let retracted = try catalogCall { () throws(CatalogError) in try catalog.retractedContributions() }
    let vocabulary = try pillars().vocabulary
    let gazetteer = try? Gazetteer.shared()
    let today = Self.timestamp(of: now)
    let asOf = today.hasPrefix(yearPrefix) ? String(today.prefix(10)) : "\(year)-12-31"

    var provinces: [String: NationalReport.Province] = [:]
    for bundle in received {
      provinces[
        bundle.source,
        default: NationalReport.Province(
          code: bundle.source, name: gazetteer?.province(code: bundle.source)?.name, assets: 0, added: 0, bundles: 0,
          pillars: [:], languages: [:], kinds: [:])
      ]
      .bundles += 1
      provinces[bundle.source]?.lastBundle = bundle.id
      provinces[bundle.source]?.lastReceivedAt = bundle.receivedAt
      provinces[bundle.source]?.daysSinceLast = Self.days(from: bundle.receivedAt, to: asOf)
    }
    var distinct: Set<String> = []
    var cells: [String: Int] = [:]
    var languagesSeen: Set<String> = []
    try forEachAsset(matching: AssetFilter(), texts: []) { record in
      guard let code = record.sourceBank, (record.receivedAt ?? "").prefix(4) <= yearPrefix,
        provinces[code] != nil
      else { return true }
      distinct.insert(record.id)
      let pillars = Set((record.pillars ?? []).filter(\.confirmed).map { $0.parent ?? $0.code })
      let languages = Set((record.languages ?? []).filter(\.confirmed).map { $0.tag.lowercased() })
      provinces[code]!.assets += 1
      if record.receivedAt?.hasPrefix(yearPrefix) == true { provinces[code]!.added += 1 }
      provinces[code]!.kinds[record.kind, default: 0] += 1
      for pillar in pillars {
        provinces[code]!.pillars[pillar, default: 0] += 1
        for language in languages { cells["\(pillar)|\(language)", default: 0] += 1 }
      }
      for language in languages { provinces[code]!.languages[language, default: 0] += 1 }
      languagesSeen.formUnion(languages)
      return true
    }
    for row in retracted where row.receivedAt.prefix(4) <= yearPrefix { provinces[row.source]?.retracted += 1 }

    let map = (gazetteer?.provinces ?? []).sorted { $0.code < $1.code }
    let sentInYear = Set(received.filter { $0.receivedAt.hasPrefix(yearPrefix) }.map(\.source))
    let silent = map.filter { !sentInYear.contains($0.code) }.map {
      NationalReport.Silent(code: $0.code, name: $0.name, lastReceivedAt: provinces[$0.code]?.lastReceivedAt)
    }
    let quiet = map.filter { (provinces[$0.code]?.daysSinceLast ?? .max) > NationalReport.quietDays }.map {
      NationalReport.Silent(code: $0.code, name: $0.name, lastReceivedAt: provinces[$0.code]?.lastReceivedAt)
    }
    let grid = BankReport.grid(cells, vocabulary: vocabulary, languages: languagesSeen)
    let lastMonth = asOf.hasPrefix(yearPrefix) ? Int(asOf.dropFirst(5).prefix(2)) ?? 12 : 12
    let months = (1...lastMonth).map { month in
      let key = "\(year)-\(month < 10 ? "0" : "")\(month)"
      let bundles = received.filter { $0.receivedAt.hasPrefix(key) }
      return NationalReport.Month(
        month: key, bundles: bundles.count, records: bundles.reduce(0) { $0 + $1.accepted })
    }
    return NationalReport(
      year: year, asOf: asOf, assets: distinct.count, provinces: provinces.values.sorted { $0.code < $1.code },
      silent: silent, quiet: quiet, pillarLanguages: grid.cells, gaps: grid.gaps, months: months)
  }

  /// Whole days from the day of `time` (`2026-03-01T…`) to `day` (`2026-06-01`), by the UTC calendar.
  static func days(from time: String, to day: String) -> Int? {
    func date(_ text: Substring) -> Date? {
      let parts = text.split(separator: "-").compactMap { Int($0) }
      guard parts.count == 3 else { return nil }
      var calendar = Calendar(identifier: .gregorian)
      calendar.timeZone = TimeZone(identifier: "UTC")!
      return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }
    guard let start = date(time.prefix(10)), let end = date(day.prefix(10)) else { return nil }
    return Int((end.timeIntervalSince(start) / 86_400).rounded())
  }
}
