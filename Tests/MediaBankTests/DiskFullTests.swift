import Foundation
import SystemIO
import Testing

@testable import MediaBank

/// A full disk (issue 15, item 6), made by injecting ENOSPC at the POSIX layer into the bank's own
/// files only: each file that does not fit fails with `disk full (N bytes free on DEVICE)`, the
/// others are imported, the batch ends cleanly, and nothing half-written remains.
@Suite struct DiskFullTests {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("bank-\(UUID())")
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("archive-\(UUID())")
  static let photos = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/photos")

  /// A folder of four different photos.
  func makeArchive() throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for name in ["gps-southwest.jpg", "iptc-utf8.jpg", "nui-coc-vi-en.jpg", "orientation-1.jpg"] {
      try FileManager.default.copyItem(
        at: Self.photos.appendingPathComponent(name), to: folder.appendingPathComponent(name))
    }
  }

  var temporaryObjects: [String] {
    (try? FileManager.default.contentsOfDirectory(atPath: root.path + "/objects/tmp")) ?? []
  }

  @Test("an import that fills the disk fails the files that do not fit, keeps the others, and ends its batch")
  func importFillsTheDisk() throws {
    try makeArchive()
    let library = try Library.open(at: root, create: true)
    // The first photo and its preview fit; nothing after them does.
    let summary = try FaultInjection.with([Fault(.write, path: root.path + "/objects/tmp", .fail(.noSpace), after: 2)])
    {
      try library.importFolder(folder.path, options: ImportOptions(jobs: 1))
    }
    #expect(summary.added >= 1)
    #expect(summary.failed >= 1)
    #expect(summary.added + summary.failed == 4)
    for failure in summary.failures {
      #expect(failure.reason.hasPrefix("disk full ("), "\(failure.path): \(failure.reason)")
      #expect(failure.reason.contains(" bytes free on "))
    }
    #expect(summary.unfinished == nil)
    let batch = try library.batch(try #require(summary.batch))
    #expect(batch.finishedAt != nil)
    #expect(batch.added == summary.added && batch.failed == summary.failed)
    #expect(try library.assets().count == summary.added)
    #expect(temporaryObjects.isEmpty)
  }

  @Test("a report that does not fit on the disk is said so, and the import is kept")
  func reportFillsTheDisk() throws {
    try makeArchive()
    let library = try Library.open(at: root, create: true)
    let report = folder.path + "/report.json"
    let summary = try FaultInjection.with([Fault(.write, path: report, .fail(.noSpace), after: 1)]) {
      try library.importFolder(folder.path, options: ImportOptions(jobs: 1, reportPath: report))
    }
    #expect(summary.added == 4)
    #expect(summary.reportFailure?.contains("cannot write the report: disk full (") == true)
    #expect(!FileManager.default.fileExists(atPath: report))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") } == [])
  }

  @Test("add on a full disk fails with disk full and stores nothing")
  func addFillsTheDisk() throws {
    let library = try Library.open(at: root, create: true)
    let error = try #require(throws: MediaBankError.self) {
      try FaultInjection.with([Fault(.write, path: root.path + "/objects/tmp", .fail(.noSpace))]) {
        _ = try library.add(Self.photos.appendingPathComponent("iptc-utf8.jpg").path)
      }
    }
    #expect(error.reason.hasPrefix("disk full ("))
    #expect(try library.assets().isEmpty)
    #expect(temporaryObjects.isEmpty)
  }

  @Test("bank.json that cannot be written on a full disk is left as it was")
  func identityFillsTheDisk() throws {
    let library = try Library.open(at: root, create: true)
    let before = try Data(contentsOf: root.appendingPathComponent("bank.json"))
    let error = try #require(throws: MediaBankError.self) {
      try FaultInjection.with([Fault(.write, path: root.path + "/bank.json", .fail(.noSpace))]) {
        try library.initialize(province: "19", name: "Thái Nguyên")
      }
    }
    #expect(error.reason.hasPrefix("disk full ("))
    #expect(try Data(contentsOf: root.appendingPathComponent("bank.json")) == before)
    #expect(try library.identity().province == nil)
    #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".tmp") } == [])
  }
}
