import BlobStore
import Foundation
import SystemIO
import Testing

@testable import MediaBank

/// The order in which an import makes its objects durable (`BlobStore.commit(_:)`): an object's
/// bytes are flushed before it gets its name, and its name before the catalog names it. A flush
/// that fails (EIO injected at the POSIX layer) shows the order: what comes after it never happens.
@Suite struct DurabilityTests {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("bank-\(UUID())")
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("archive-\(UUID())")

  /// A folder of four different photos.
  func makeArchive() throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for name in ["gps-southwest.jpg", "iptc-utf8.jpg", "nui-coc-vi-en.jpg", "orientation-1.jpg"] {
      try FileManager.default.copyItem(
        at: DiskFullTests.photos.appendingPathComponent(name), to: folder.appendingPathComponent(name))
    }
  }

  var temporaryObjects: [String] {
    (try? FileManager.default.contentsOfDirectory(atPath: root.path + "/objects/tmp")) ?? []
  }

  @Test("when the flush of a staged object fails, no object gets a name and the catalog names none")
  func objectFlushFails() throws {
    try makeArchive()
    let library = try Library.open(at: root, create: true)
    let error = try #require(throws: MediaBankError.self) {
      try FaultInjection.with([Fault(.fsync, path: root.path + "/objects/tmp/", .fail(.ioError), after: 1)]) {
        try library.importFolder(folder.path, options: ImportOptions(jobs: 2))
      }
    }
    #expect(error.description.contains("cannot flush"), "\(error)")
    #expect(error.description.contains("Input/output error"), "\(error)")
    #expect(try library.assets().isEmpty)
    let store = try BlobStore(root: root.appendingPathComponent("objects"))
    #expect(try store.storedObjects().isEmpty, "an object was named before its group was flushed")
    #expect(temporaryObjects.isEmpty)

    // Once the device works again, the same import stores everything.
    let summary = try library.importFolder(folder.path, options: ImportOptions(jobs: 2))
    #expect(summary.added == 4 && summary.failed == 0)
    #expect(try library.verify().isSound)
  }

  @Test("when the flush of an object directory fails, the objects are whole but the catalog names none")
  func directoryFlushFails() throws {
    try makeArchive()
    let library = try Library.open(at: root, create: true)
    let fanOut = root.path + "/objects/sha256/"
    #expect(throws: MediaBankError.self) {
      try FaultInjection.with([Fault(.fsync, path: fanOut, .fail(.ioError))]) {
        try library.importFolder(folder.path, options: ImportOptions(jobs: 2))
      }
    }
    #expect(try library.assets().isEmpty, "the catalog named objects whose names were not flushed")
    let store = try BlobStore(root: root.appendingPathComponent("objects"))
    let stored = try store.storedObjects()
    #expect(!stored.isEmpty)
    for id in stored { #expect(store.check(id) == .intact) }
    #expect(temporaryObjects.isEmpty)

    // Run again, the import names them (they were already stored) and verify finds them all used.
    let summary = try library.importFolder(folder.path, options: ImportOptions(jobs: 2))
    #expect(summary.added == 4 && summary.failed == 0)
    let report = try library.verify()
    #expect(report.isSound && report.unreferenced.isEmpty, "\(report)")
  }
}
