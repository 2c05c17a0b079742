import GRDB

/// The display rendition of a photo (table `display`, since `v16-display`): a JPEG of about 1600
/// pixels on its long edge, upright, made on the first view of a photo that a browser cannot show
/// as it is, and kept in the blob store as an object like a preview.
public struct DisplayRow: Equatable, Sendable {
  /// The content it renders: an asset's id (on the national bank, a contribution's).
  public var assetId: String
  /// The object of the rendition, `sha256:` and 64 hex digits.
  public var objectId: String
  /// Its size in pixels.
  public var width: Int
  public var height: Int
  /// When it was made, a UTC instant.
  public var madeAt: String

  public init(assetId: String, objectId: String, width: Int, height: Int, madeAt: String) {
    self.assetId = assetId
    self.objectId = objectId
    self.width = width
    self.height = height
    self.madeAt = madeAt
  }

  init(_ row: Row) {
    self.init(
      assetId: row["asset_id"], objectId: row["object_id"], width: row["width"], height: row["height"],
      madeAt: row["made_at"])
  }
}

extension Catalog {
  /// The display rendition recorded for the content `assetId`, if one was made.
  public func display(of assetId: String) throws(CatalogError) -> DisplayRow? {
    try read { db in
      try Row.fetchOne(
        db.cachedStatement(sql: "SELECT * FROM display WHERE asset_id = ?"), arguments: [assetId]
      ).map(DisplayRow.init)
    }
  }

  /// Records the display rendition `row`, whose object the caller committed to the store first,
  /// and returns the rendition the catalog now holds for its content: `row`, or the one another
  /// process recorded first (two first views at once), kept unless `isStored` says that its
  /// object is gone from the store, in which case `row` replaces it. Checked while the catalog is
  /// locked for writing, so a purge cannot remove the object between the check and the commit;
  /// throws `.notFound` when no asset or contribution has the content any more (deleted
  /// meanwhile: the rendition would outlive it) and `.conflict` when `row`'s object is gone.
  public func recordDisplay(_ row: DisplayRow, isStored: (String) -> Bool) throws(CatalogError) -> DisplayRow {
    try write { db in
      guard try Self.isSource(db, row.assetId) else {
        throw CatalogError("no asset \(row.assetId) in this bank", kind: .notFound)
      }
      if let existing = try Row.fetchOne(db, sql: "SELECT * FROM display WHERE asset_id = ?", arguments: [row.assetId])
        .map(DisplayRow.init), isStored(existing.objectId)
      {
        return existing
      }
      guard isStored(row.objectId) else {
        throw CatalogError(
          "the display image \(row.objectId) was removed from the store while it was recorded; try again",
          kind: .conflict)
      }
      try db.execute(
        sql: "INSERT OR REPLACE INTO display (asset_id, object_id, width, height, made_at) VALUES (?, ?, ?, ?, ?)",
        arguments: [row.assetId, row.objectId, row.width, row.height, row.madeAt])
      return row
    }
  }

  /// Whether a local asset or a province's word on an asset has `content` as its content: what a
  /// display rendition may be made of.
  static func isSource(_ db: Database, _ content: String) throws -> Bool {
    let statement = try db.cachedStatement(
      sql: "SELECT 1 FROM asset WHERE id = ?1 UNION ALL SELECT 1 FROM contribution WHERE asset_id = ?1 LIMIT 1")
    return try Row.fetchOne(statement, arguments: [content]) != nil
  }

  /// Forgets the display renditions of `content`, which is leaving the store, in the caller's
  /// transaction; returns their objects that nothing needs any more (to be removed with it).
  static func forgetDisplays(_ db: Database, of content: String) throws -> [String] {
    let objects = try String.fetchAll(
      db.cachedStatement(sql: "SELECT object_id FROM display WHERE asset_id = ?"), arguments: [content])
    guard !objects.isEmpty else { return [] }
    try db.cachedStatement(sql: "DELETE FROM display WHERE asset_id = ?").execute(arguments: [content])
    return try objects.filter { try !isNeeded(db, $0) }
  }
}
