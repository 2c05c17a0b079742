import Foundation
import Testing

@testable import MediaBank

/// The national report's clock: which provinces it points at as silent (nothing this year) or
/// quiet (nothing for 90 days), and the months of its trend, counted to the day it is made.
@Suite struct NationalReportTests {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("national-report-\(UUID())")

  /// A national bank that received one bundle of one photo from Thái Nguyên (19) today.
  func nationalWithOneBundle() throws -> Library {
    let national = try Library.open(at: root.appendingPathComponent("national"), create: true)
    try national.initialize(province: nil, name: nil, national: true)
    let province = try Library.open(at: root.appendingPathComponent("19"), create: true)
    try province.initialize(province: "19", name: nil)
    try national.trust(bank: "19", publicKeyFile: root.appendingPathComponent("19/keys/bank.pub").path)
    _ = try province.add(DeletionSyncTests.photo("scan.png"))
    let bundle = try #require(
      try province.export(ExportOptions(output: root.appendingPathComponent("usb").path)).first)
    _ = try national.receive(bundle.path)
    return national
  }

  @Test("a province is quiet once its last bundle is more than 90 days old, silent in a year it sent nothing")
  func quietAndSilent() throws {
    defer { try? FileManager.default.removeItem(at: root) }
    let national = try nationalWithOneBundle()
    let today = Date()
    let year = Calendar(identifier: .gregorian).component(.year, from: today)
    let now = try national.nationalReport(year: year, now: today)
    let thaiNguyen = try #require(now.provinces.first)
    #expect(now.provinces.count == 1 && thaiNguyen.code == "19" && thaiNguyen.assets == 1)
    #expect(thaiNguyen.daysSinceLast == 0 && thaiNguyen.lastBundle == "mediabank-19-000001")
    #expect(!now.quiet.map(\.code).contains("19") && now.quiet.count == 33)
    #expect(!now.silent.map(\.code).contains("19") && now.silent.map(\.code).contains("01"))
    // The trend: January to this month, the bundle's record in this month.
    let month = Calendar(identifier: .gregorian).component(.month, from: today)
    #expect(now.months.count == month)
    #expect(now.months.last?.records == 1 && now.months.last?.bundles == 1)
    #expect(now.months.dropLast().allSatisfy { $0.records == 0 })

    // 100 days on, in the year after (or this one): quiet, with its last bundle; 30 days on, not.
    for (days, quiet) in [(100, true), (30, false)] {
      let later = today.addingTimeInterval(Double(days) * 86_400)
      let laterYear = Calendar(identifier: .gregorian).component(.year, from: later)
      let report = try national.nationalReport(year: laterYear, now: later)
      #expect(report.provinces.first?.daysSinceLast == days)
      let entry = report.quiet.first { $0.code == "19" }
      #expect((entry != nil) == quiet, "\(days) days")
      if quiet { #expect(entry?.lastReceivedAt == thaiNguyen.lastReceivedAt) }
      #expect(report.silent.contains { $0.code == "19" } == (laterYear != year))
    }
  }

  @Test("each province's pillars, languages and kinds, and the grid, counted as its own report counts them")
  func countsAgreeWithTheProvinceReport() throws {
    defer { try? FileManager.default.removeItem(at: root) }
    let national = try nationalWithOneBundle()
    let province = try Library.open(at: root.appendingPathComponent("19"), create: false)
    let culture = try province.add(DeletionSyncTests.photo("orientation-1.jpg")).id
    let tourism = try province.add(DeletionSyncTests.photo("orientation-2.jpg")).id
    _ = try province.add(DeletionSyncTests.photo("orientation-3.jpg"))
    _ = try province.tag([culture], TagChange(pillar: "culture-heritage", language: "vi"))
    _ = try province.tag([tourism], TagChange(pillar: "tourism-landscape", language: "VI"))
    _ = try province.tag([tourism], TagChange(language: "en"))
    let bundle = try #require(
      try province.export(ExportOptions(output: root.appendingPathComponent("usb").path)).first)
    _ = try national.receive(bundle.path)

    let year = Calendar(identifier: .gregorian).component(.year, from: Date())
    let report = try national.nationalReport(year: year)
    let thaiNguyen = try #require(report.provinces.first)
    #expect(report.assets == 4 && thaiNguyen.assets == 4 && thaiNguyen.added == 4 && thaiNguyen.kinds == ["photo": 4])
    #expect(thaiNguyen.pillars == ["culture-heritage": 1, "tourism-landscape": 1])
    // Two tagged in Vietnamese (one as `VI`); English on the tourism photo and on one whose file says so.
    #expect(thaiNguyen.languages["vi"] == 2 && thaiNguyen.languages["en"] == 2)
    #expect(
      report.pillarLanguages.map { "\($0.pillar)|\($0.language)=\($0.total)" }
        == ["culture-heritage|vi=1", "tourism-landscape|vi=1", "tourism-landscape|en=1"])
    // The same numbers as the province's own report, read record by record.
    let own = try national.report(year: year, sourceBank: "19")
    func totals(_ rows: [BankReport.Row]) -> [String: Int] {
      Dictionary(uniqueKeysWithValues: rows.filter { $0.total > 0 && $0.parent == nil }.map { ($0.key, $0.total) })
    }
    #expect(totals(own.pillars) == thaiNguyen.pillars && totals(own.languages) == thaiNguyen.languages)
    #expect(totals(own.kinds) == thaiNguyen.kinds && own.pillarLanguages == report.pillarLanguages)
    #expect(report.months.last?.records == 4 && report.months.last?.bundles == 2)

    // A record changed, one retracted, one deleted: the counts follow (the catalog keeps them as
    // records arrive, change and go).
    _ = try province.tag([culture], TagChange(language: "ko"))
    _ = try province.retract([tourism], reason: "rights withdrawn", operatorName: "tester")
    _ = try province.delete(
      [try #require(try province.assets(matching: AssetFilter()).first?.id)], reason: "duplicate",
      operatorName: "tester")
    let next = try #require(
      try province.export(ExportOptions(output: root.appendingPathComponent("usb2").path)).first)
    _ = try national.receive(next.path)
    let later = try national.nationalReport(year: year)
    let changed = try #require(later.provinces.first)
    #expect(changed.assets == 2 && changed.retracted == 1 && later.assets == 2, "\(changed)")
    #expect(changed.pillars == ["culture-heritage": 1] && changed.languages["ko"] == 1)
    let ownLater = try national.report(year: year, sourceBank: "19")
    #expect(totals(ownLater.pillars) == changed.pillars && totals(ownLater.languages) == changed.languages)
    #expect(ownLater.total == changed.assets && ownLater.pillarLanguages == later.pillarLanguages)
  }

  @Test("an earlier year: no province had sent anything, every month empty, counted to 31 December")
  func earlierYear() throws {
    defer { try? FileManager.default.removeItem(at: root) }
    let national = try nationalWithOneBundle()
    let year = Calendar(identifier: .gregorian).component(.year, from: Date()) - 1
    let report = try national.nationalReport(year: year)
    #expect(report.asOf == "\(year)-12-31" && report.assets == 0 && report.provinces.isEmpty)
    #expect(report.silent.count == 34 && report.quiet.count == 34 && report.pillarLanguages.isEmpty)
    #expect(report.months.count == 12 && report.months.allSatisfy { $0.bundles == 0 && $0.records == 0 })
    #expect(report.months.first?.month == "\(year)-01" && report.months.last?.month == "\(year)-12")
  }

  @Test("whole days between a time and a day, by the UTC calendar")
  func days() {
    #expect(Library.days(from: "2026-03-01T23:59:59Z", to: "2026-06-01") == 92)
    #expect(Library.days(from: "2026-12-31T00:00:00Z", to: "2027-01-01") == 1)
    #expect(Library.days(from: "2024-02-28T10:00:00Z", to: "2024-03-01") == 2)
    #expect(Library.days(from: "garbage", to: "2026-01-01") == nil)
  }
}
