import GRDB

/// What a count of the bank's assets by their tags and dates reads of one asset (the yearly
/// report): no texts, no camera, no provenance but its folders.
public struct AssetTally: Sendable {
  public var id: String
  public var kind: String
  public var addedAt: String
  /// The capture time a person set, else the file's; nil when neither is known.
  public var capturedAt: String?
  public var damaged: Bool
  /// When the bank withdrew the asset from what it shares, if it did.
  public var retractedAt: String?
  /// Its tags, ordered by facet and value.
  public var tags: [TagRow]
  /// The folders its files came from (``ProvenanceRow/folder``), in the order they arrived; read
  /// only for an asset without a capture time (the year they name stands for it).
  public var folders: [String]
}

extension Catalog {
  /// Calls `body` with the tally of each asset added before `addedBefore` (an ISO 8601 time or a
  /// prefix of one: `2027` is the start of 2027), in the order of their ids.
  ///
  /// The assets with their tags are one scan of the catalog in the order of the asset ids, and
  /// the folders of those without a capture time another, merged as they go: one asset held at
  /// a time.
  public func forEachTally(addedBefore: String, _ body: (AssetTally) throws -> Void) throws(CatalogError) {
    try read { db in
      // One row per tag (or one for an asset without any), the asset's columns on each: its tags
      // are read by their primary key, in the order of the ids, and a new asset is told by its
      // rowid, not by comparing ids.
      let rows = try Row.fetchCursor(
        db,
        sql: """
          SELECT a.rowid, a.id, a.kind, a.added_at, coalesce(a.captured_at_explicit, a.captured_at),
            a.damaged IS NOT NULL, r.retracted_at, t.asset_id IS NOT NULL, \(TagRow.selection)
          FROM asset a LEFT JOIN retraction r ON r.asset_id = a.id LEFT JOIN tag t ON t.asset_id = a.id
          WHERE a.added_at < ? ORDER BY a.id, t.facet, t.value
          """, arguments: [addedBefore])
      let folders = try Row.fetchCursor(
        db,
        sql: """
          SELECT t.asset_id, t.folder FROM provenance t
          WHERE t.folder IS NOT NULL AND (SELECT coalesce(captured_at_explicit, captured_at) FROM asset
            WHERE id = t.asset_id) IS NULL
          ORDER BY t.asset_id, t.id
          """)
      var folder = try folders.next().map { (id: $0[0] as String, row: $0) }
      var tally: AssetTally?
      var rowid: Int64 = 0
      func finish(_ tally: inout AssetTally) throws {
        // The folders of assets before this one belong to assets added later: skipped.
        while let current = folder, current.id <= tally.id {
          if current.id == tally.id { tally.folders.append(current.row[1]) }
          folder = try folders.next().map { (id: $0[0] as String, row: $0) }
        }
        try body(tally)
      }
      while let row = try rows.next() {
        if tally == nil || row[0] != rowid {
          if var done = tally { try finish(&done) }
          rowid = row[0]
          tally = AssetTally(
            id: row[1], kind: row[2], addedAt: row[3], capturedAt: row[4], damaged: row[5], retractedAt: row[6],
            tags: [], folders: [])
        }
        if row[7] as Bool { tally!.tags.append(TagRow(selected: row, after: 7, assetId: tally!.id)) }
      }
      if var done = tally { try finish(&done) }
    }
  }
}
