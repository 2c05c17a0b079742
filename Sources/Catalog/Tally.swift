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
  /// The assets, their tags and their folders are three scans of the catalog in the order of
  /// the asset ids, merged as they go: no look-up per asset, and one asset held at a time.
  public func forEachTally(addedBefore: String, _ body: (AssetTally) throws -> Void) throws(CatalogError) {
    try read { db in
      let assets = try Row.fetchCursor(
        db,
        sql: """
          SELECT a.id, a.kind, a.added_at, coalesce(a.captured_at_explicit, a.captured_at), a.damaged IS NOT NULL,
            r.retracted_at
          FROM asset a LEFT JOIN retraction r ON r.asset_id = a.id
          WHERE a.added_at < ? ORDER BY a.id
          """, arguments: [addedBefore])
      let tags = try Row.fetchCursor(
        db, sql: "SELECT t.asset_id, \(TagRow.selection) FROM tag t ORDER BY t.asset_id, t.facet, t.value")
      let folders = try Row.fetchCursor(
        db,
        sql: """
          SELECT t.asset_id, t.folder FROM provenance t
          WHERE t.folder IS NOT NULL AND (SELECT coalesce(captured_at_explicit, captured_at) FROM asset
            WHERE id = t.asset_id) IS NULL
          ORDER BY t.asset_id, t.id
          """)
      var tag = try tags.next().map { (id: $0[0] as String, row: $0) }
      var folder = try folders.next().map { (id: $0[0] as String, row: $0) }
      while let asset = try assets.next() {
        var tally = AssetTally(
          id: asset[0], kind: asset[1], addedAt: asset[2], capturedAt: asset[3], damaged: asset[4],
          retractedAt: asset[5], tags: [], folders: [])
        // The rows of assets before this one belong to assets added later: skipped.
        while let current = tag, current.id <= tally.id {
          if current.id == tally.id { tally.tags.append(TagRow(selected: current.row, assetId: tally.id)) }
          tag = try tags.next().map { (id: $0[0] as String, row: $0) }
        }
        while let current = folder, current.id <= tally.id {
          if current.id == tally.id { tally.folders.append(current.row[1]) }
          folder = try folders.next().map { (id: $0[0] as String, row: $0) }
        }
        try body(tally)
      }
    }
  }
}
