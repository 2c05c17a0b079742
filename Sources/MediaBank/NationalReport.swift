import Catalog
public import Foundation
import Taxonomy

/// The ministry's view of who contributes what (`mediabank report --national`, the national
/// bank's dashboard).
public struct NationalReport: Codable, Equatable, Sendable {
  /// What a province sent by the end of the year.
  public struct Province: Codable, Equatable, Sendable {
    /// Its 2-digit code, and its name on today's map.
    public var code: String
    public var name: String?
    /// The assets it contributes (its records held now, not retracted) whose last version arrived
    /// by the end of the year: the national bank keeps only a province's last record of each
    /// asset, so one changed in a later year counts in that year. Of them, those that arrived
    /// (new or changed) during the year.
    public var assets: Int
    public var added: Int
    /// The bundles received from it by the end of the year.
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

  /// The year reported on.
  public var year: Int
  /// The day the report counts to (UTC): today for this year, the year's last day for an earlier one.
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
    // Today (in UTC, as the bank's times are), or the year's last day for an earlier year.
    let asOf = min(String(Self.timestamp(of: now).prefix(10)), "\(year)-12-31")

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
    }
    for (code, province) in provinces {
      provinces[code]?.daysSinceLast = province.lastReceivedAt.flatMap { Self.days(from: $0, to: asOf) }
    }
    // Counted from the catalog's groups of contributions that count alike, not record by record.
    let tallies = try catalogCall { () throws(CatalogError) in try catalog.contributionTallies() }
    var cells: [String: Int] = [:]
    var languagesSeen: Set<String> = []
    for tally in tallies where tally.receivedYear <= yearPrefix && provinces[tally.source] != nil {
      let n = tally.count
      provinces[tally.source]!.assets += n
      if tally.receivedYear == yearPrefix { provinces[tally.source]!.added += n }
      provinces[tally.source]!.kinds[tally.kind, default: 0] += n
      for pillar in tally.pillars {
        provinces[tally.source]!.pillars[pillar, default: 0] += n
        for language in tally.languages { cells["\(pillar)|\(language)", default: 0] += n }
      }
      for language in tally.languages { provinces[tally.source]!.languages[language, default: 0] += n }
      languagesSeen.formUnion(tally.languages)
    }
    let distinct = try catalogCall { () throws(CatalogError) in
      try catalog.distinctContributedAssets(receivedBy: year)
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
    // January to the month of `asOf`: none when the year has begun here but not yet in UTC.
    let lastMonth = asOf.hasPrefix(yearPrefix) ? Int(asOf.dropFirst(5).prefix(2)) ?? 12 : 0
    var byMonth: [Substring: (bundles: Int, records: Int)] = [:]
    for bundle in received where bundle.receivedAt.hasPrefix(yearPrefix) {
      byMonth[bundle.receivedAt.prefix(7), default: (0, 0)].bundles += 1
      byMonth[bundle.receivedAt.prefix(7), default: (0, 0)].records += bundle.accepted
    }
    let months = (0..<lastMonth).map { index in
      let key = "\(year)-\(index < 9 ? "0" : "")\(index + 1)"
      let counts = byMonth[Substring(key)] ?? (0, 0)
      return NationalReport.Month(month: key, bundles: counts.bundles, records: counts.records)
    }
    return NationalReport(
      year: year, asOf: asOf, assets: distinct, provinces: provinces.values.sorted { $0.code < $1.code },
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
