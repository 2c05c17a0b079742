import Foundation
import GRDB
import Testing

@testable import Catalog

/// The rows a listing reads by position (`selection`, `init(selected:)`) read back every column
/// that their Codable conformance wrote.
@Suite struct SelectedRowsTests {
  let id = "sha256:" + String(repeating: "ab", count: 32)

  /// A row with every optional property set: a new property left out of the test fails here,
  /// and then in the round trip until `init(selected:)` reads it.
  func expectNoneMissing(_ value: Any, _ name: String) {
    for child in Mirror(reflecting: value).children {
      if let optional = child.value as? any OptionalProtocol {
        #expect(!optional.isNone, "\(name).\(child.label ?? "?") is not set in the test")
      }
    }
  }

  @Test("asset, text, tag and provenance rows read by position are the rows written")
  func roundTrip() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("selected-\(UUID()).sqlite").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let pool = try DatabasePool(path: path)
    try Schema.migrator(fold: { $0.lowercased() }).migrate(pool)

    var asset = AssetRow(
      id: id, kind: "video", mediaType: "video/mp4", byteSize: 12_345, addedAt: "2026-11-23T00:00:00Z", width: 1920,
      height: 1080, orientation: 6, capturedAt: "2024-03-01T08:00:00+07:00", cameraMake: "Sony",
      cameraModel: "A7", gpsLatitude: 21.5, gpsLongitude: 105.8, gpsAltitude: 40.25, exposureTime: "1/250",
      fNumber: 2.8, iso: 400, focalLength: 35, thumbnailId: "sha256:" + String(repeating: "cd", count: 32))
    asset.capturedAtSource = "container"
    asset.durationSeconds = 12.5
    asset.container = "mp4"
    asset.videoCodec = "h264"
    asset.frameRate = 29.97
    asset.bitRate = 4_000_000
    asset.audioCodec = "aac"
    asset.audioChannels = 2
    asset.audioLanguages = ["vi", "en"]
    asset.wordCount = 7
    asset.damaged = "truncated"
    asset.cameraSource = "container"
    asset.gpsSource = "xmp"
    asset.revision = 3
    asset.capturedAtExplicit = "2024-03-02T09:00:00+07:00"
    expectNoneMissing(asset.facts, "MediaFacts")
    expectNoneMissing(asset.columns, "AssetRow.Columns")
    var text = TextRow(assetId: id, field: "title", language: "vi", position: 2, value: "Hồ Núi Cốc", source: "xmp")
    var tag = TagRow(
      assetId: id, facet: "locality", value: "19", source: "path", note: "Bắc Kạn", addedAt: "T1", batchId: 1)
    var provenance = ProvenanceRow(
      assetId: id, addedAt: "T2", originalPath: "/a/Hồ.mp4", originalName: "Hồ.mp4", operator: "lan", batchId: 1,
      folder: "Du lịch")
    provenance.id = 7
    expectNoneMissing(text, "TextRow")
    expectNoneMissing(tag, "TagRow")
    expectNoneMissing(provenance, "ProvenanceRow")

    try pool.write { db in
      try db.execute(sql: "INSERT INTO batch (id, root, started_at, operator) VALUES (1, '/a', 'T', 'lan')")
      try asset.insert(db)
      try text.insert(db)
      try tag.insert(db)
      try provenance.insert(db)
      // The triggers count the rows above; the row read back says so.
      asset.revision = try Int.fetchOne(db, sql: "SELECT revision FROM asset") ?? 0
    }
    let read = try pool.read { db in
      (
        try fetchSelected(db, "SELECT \(AssetRow.selection) FROM asset", [], AssetRow.init(selected:)),
        try fetchSelected(
          db, "SELECT t.asset_id, \(TextRow.selection) FROM asset_text t", [], { TextRow(selected: $0, assetId: $0[0]) }
        ),
        try fetchSelected(
          db, "SELECT t.asset_id, \(TagRow.selection) FROM tag t", [], { TagRow(selected: $0, assetId: $0[0]) }),
        try fetchSelected(
          db, "SELECT t.asset_id, \(ProvenanceRow.selection) FROM provenance t", [],
          { ProvenanceRow(selected: $0, assetId: $0[0]) })
      )
    }
    #expect(read.0 == [asset])
    #expect(read.1 == [text])
    #expect(read.2 == [tag])
    #expect(read.3 == [provenance])
    // And a confirmed tag and a text of another source, which the first rows did not show.
    tag = TagRow(assetId: id, facet: "pillar", value: "tourism", source: "explicit", addedAt: "T3")
    text = TextRow(assetId: id, field: "keyword", language: "en", position: 0, value: "lake", source: "explicit")
    try pool.write { db in
      try tag.insert(db)
      try text.insert(db)
    }
    let again = try pool.read { db in
      (
        try fetchSelected(
          db, "SELECT t.asset_id, \(TagRow.selection) FROM tag t WHERE facet = 'pillar'", [],
          { TagRow(selected: $0, assetId: $0[0]) }),
        try fetchSelected(
          db, "SELECT t.asset_id, \(TextRow.selection) FROM asset_text t WHERE source = 'explicit'", [],
          { TextRow(selected: $0, assetId: $0[0]) })
      )
    }
    #expect(again.0 == [tag] && again.0[0].confirmed && again.0[0].note == nil && again.0[0].batchId == nil)
    #expect(again.1 == [text])
    try pool.close()
  }

  @Test("a list passed as one JSON argument reaches SQLite as it was, whatever it holds")
  func jsonArrayArgument() throws {
    let strings = [id, "", "a\"b", "back\\slash", "tab\tnew\nline\u{1}", "Bắc Kạn 北", "]\",\"", "\u{7F}"]
    let queue = try DatabaseQueue()
    let read = try queue.read { db in
      try String.fetchAll(
        db, sql: "SELECT value FROM json_each(?) ORDER BY key", arguments: [Catalog.jsonArray(strings)])
    }
    #expect(read == strings)
    #expect(Catalog.jsonArray([]) == "[]")
  }
}

/// An optional of any wrapped type, to ask whether it holds nothing.
protocol OptionalProtocol { var isNone: Bool { get } }
extension Optional: OptionalProtocol { var isNone: Bool { self == nil } }
