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

  @Test("whole days between a time and a day, by the UTC calendar")
  func days() {
    #expect(Library.days(from: "2026-03-01T23:59:59Z", to: "2026-06-01") == 92)
    #expect(Library.days(from: "2026-12-31T00:00:00Z", to: "2027-01-01") == 1)
    #expect(Library.days(from: "2024-02-28T10:00:00Z", to: "2024-03-01") == 2)
    #expect(Library.days(from: "garbage", to: "2026-01-01") == nil)
  }
}
