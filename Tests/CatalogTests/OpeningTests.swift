import Foundation
import GRDB
import Testing

@testable import Catalog

/// A catalog that is up to date is opened for reading only; its first write opens it for writing.
@Suite struct OpeningTests {
  let path = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID()).sqlite").path

  func arrival(_ hex: String) -> Arrival {
    let id = "sha256:" + String(repeating: hex, count: 32)
    return Arrival(
      asset: AssetRow(
        id: id, kind: "photo", mediaType: "image/jpeg", byteSize: 10, addedAt: "2026-11-23T00:00:00Z", width: 4,
        height: 3),
      provenance: ProvenanceRow(
        assetId: id, addedAt: "2026-11-23T00:00:00Z", originalPath: "/in/\(hex).jpg", originalName: "\(hex).jpg",
        operator: "tester"))
  }

  /// The bytes of the catalog file and the size of its write-ahead log (0 when there is none).
  func onDisk() throws -> (file: Data, log: Int) {
    let log = try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int
    return (try Data(contentsOf: URL(fileURLWithPath: path)), log ?? 0)
  }

  @Test("reading an up-to-date catalog writes nothing, and a write then works")
  func readsWithoutWriting() throws {
    try Catalog(path: path).record([arrival("ab")])
    let closed = try onDisk()
    #expect(closed.log == 0, "the last connection to close empties the log")

    let catalog = try Catalog(path: path)
    #expect(try catalog.entries().map(\.asset.id) == [arrival("ab").asset!.id])
    #expect(try catalog.appliedMigrations().count == Schema.migrator(fold: { $0 }).migrations.count)
    let read = try onDisk()
    #expect(read.file == closed.file && read.log == 0)

    #expect(try catalog.record([arrival("cd")]) == [.added])
    #expect(try catalog.entries().count == 2)
    #expect(try Catalog(path: path).entries().count == 2)
  }

  @Test("a command that only reads leaves no write-ahead log behind, as one that writes")
  func leavesNoLog() throws {
    try Catalog(path: path).record([arrival("ab")])
    do {
      let catalog = try Catalog(path: path)
      #expect(try catalog.entries().count == 1)
      #expect(try catalog.checkIntegrity().problems.isEmpty)
    }
    #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    #expect(!FileManager.default.fileExists(atPath: path + "-shm"))
  }

  @Test("an up-to-date catalog opens and reads while another connection holds the write lock")
  func readsWhileAnotherWrites() throws {
    try Catalog(path: path).record([arrival("ab")])
    let other = try DatabaseQueue(path: path)
    try other.writeWithoutTransaction { db in
      try db.execute(sql: "BEGIN IMMEDIATE")
      defer { try? db.execute(sql: "ROLLBACK") }
      let catalog = try Catalog(path: path)
      #expect(try catalog.entries().count == 1)
    }
  }

  @Test("a catalog that needs a migration is migrated when it is opened")
  func migratesWhenBehind() throws {
    let pool = try DatabasePool(path: path)
    try Schema.migrator(fold: { $0.lowercased() }).migrate(pool, upTo: "v11-metadata-fidelity")
    try pool.close()
    let catalog = try Catalog(path: path)
    #expect(try catalog.appliedMigrations() == Schema.migrator(fold: { $0 }).migrations)
    #expect(try catalog.record([arrival("ab")]) == [.added])
  }
}
