public import Foundation
import GRDB

/// Assets that a count by tags and dates (the yearly report) counts alike: the same kind, years
/// of addition, capture and retraction, damage, and tags.
public struct AssetTally: Equatable, Sendable {
  /// How many of the bank's assets it stands for.
  public var count: Int
  public var kind: String
  /// The year they were added (the first four characters of `added_at`).
  public var addedYear: String
  /// The year of their capture time (the one a person set, else the file's), else the year
  /// their folders name; nil when neither is known.
  public var captureYear: Int?
  public var damaged: Bool
  /// The year the bank withdrew them from what it shares, if it did.
  public var retractedYear: String?
  /// Their tags, ordered by facet, value and source; with `assetId`, `note`, `addedAt` and
  /// `batchId` left empty (a count does not read them).
  public var tags: [TagRow]
}

extension Catalog {
  /// Calls `body` with the tallies of the assets added before `addedBefore` (an ISO 8601 time or
  /// a prefix of one: `2027` is the start of 2027; nil for all) that `query` selects (a superset
  /// when it is not exact: the caller narrows it), in no particular order. `yearInFolder` gives
  /// the year a folder path names (nil when none): an asset without a capture time takes that of
  /// its first folder that names one.
  ///
  /// The catalog reads one short key per asset in one scan (its columns, and its tags as JSON),
  /// and assets with the same key are counted once: memory grows with the number of distinct
  /// keys (a few thousand in a province's bank), not with the bank.
  public func forEachTally(
    addedBefore: String?, matching query: AssetQuery = AssetQuery(),
    yearInFolder: @escaping @Sendable (String) -> Int?, _ body: (AssetTally) -> Void
  ) throws(CatalogError) {
    let counts = try read { db in
      let folderYear = DatabaseFunction("mediabank_folder_year", argumentCount: 1, pure: true) { values in
        String.fromDatabaseValue(values[0]).flatMap(yearInFolder)
      }
      db.add(function: folderYear)
      defer { db.remove(function: folderYear) }
      let (condition, arguments) = try query.condition(in: db, wanted: .max)
      let keys = try String.fetchCursor(
        db,
        sql: """
          SELECT json_array(asset.kind, substr(asset.added_at, 1, 4),
            CASE WHEN coalesce(asset.captured_at_explicit, asset.captured_at) GLOB '[0-9][0-9][0-9][0-9]*'
              THEN CAST(substr(coalesce(asset.captured_at_explicit, asset.captured_at), 1, 4) AS INTEGER)
              ELSE (SELECT y FROM (SELECT mediabank_folder_year(p.folder) AS y, p.id FROM provenance p
                WHERE p.asset_id = asset.id AND p.folder IS NOT NULL) WHERE y IS NOT NULL ORDER BY id LIMIT 1)
            END,
            asset.damaged IS NOT NULL, substr(r.retracted_at, 1, 4),
            (SELECT json_group_array(json_array(t.facet, t.value, t.source, t.confirmed))
              FROM tag t WHERE t.asset_id = asset.id))
          FROM asset LEFT JOIN retraction r ON r.asset_id = asset.id
          WHERE (?1 IS NULL OR asset.added_at < ?1) AND \(condition)
          """, arguments: [addedBefore] + arguments)
      var counts: [String: Int] = [:]
      while let key = try keys.next() { counts[key, default: 0] += 1 }
      return counts
    }
    for (key, count) in counts {
      guard let tally = Self.tally(key: key, count: count) else {
        throw CatalogError("catalog read failed: cannot read the tally \(key)")
      }
      body(tally)
    }
  }

  /// The tally a key of ``forEachTally(addedBefore:yearInFolder:_:)`` describes.
  static func tally(key: String, count: Int) -> AssetTally? {
    guard let fields = try? JSONSerialization.jsonObject(with: Data(key.utf8)) as? [Any], fields.count == 6,
      let kind = fields[0] as? String, let added = fields[1] as? String, let damaged = fields[3] as? Int,
      // The tags' array is nested as JSON, or (where SQLite loses its JSON subtype through the
      // subquery) as a string of it.
      let tagFields = fields[5] as? [[Any]]
        ?? (fields[5] as? String).flatMap({ try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [[Any]] })
    else { return nil }
    var tags: [TagRow] = []
    for tag in tagFields {
      guard tag.count == 4, let facet = tag[0] as? String, let value = tag[1] as? String,
        let source = tag[2] as? String, let confirmed = tag[3] as? Int
      else { return nil }
      var row = TagRow(assetId: "", facet: facet, value: value, source: source, addedAt: "")
      row.confirmed = confirmed != 0
      tags.append(row)
    }
    tags.sort { ($0.facet, $0.value, $0.source) < ($1.facet, $1.value, $1.source) }
    return AssetTally(
      count: count, kind: kind, addedYear: added, captureYear: fields[2] as? Int, damaged: damaged != 0,
      retractedYear: fields[4] as? String, tags: tags)
  }
}

extension Catalog {
  /// A value that changes when assets are added, changed, retracted or deleted, a batch is
  /// imported or undone, or a bundle is received: the largest asset row, audit entry and batch,
  /// and the count of bundles received. Cheap (three look-ups at the end of an index and one
  /// row), for keeping counts until the bank changes.
  public func changeMark() throws(CatalogError) -> String {
    try readOneStatement { db in
      try String.fetchOne(
        db.cachedStatement(
          sql: """
            SELECT coalesce((SELECT max(rowid) FROM asset), 0) || '/' || coalesce((SELECT max(id) FROM audit), 0)
              || '/' || coalesce((SELECT max(id) FROM batch), 0)
              || '/' || coalesce((SELECT received FROM receive_count), 0)
            """)) ?? ""
    }
  }
}
