import GRDB

extension Catalog {
  /// The tombstones of the assets a person deleted (`kind` `delete`; an undone import is not a
  /// deletion of what the bank held), oldest first: what the yearly report counts as deleted.
  public func deletions() throws(CatalogError) -> [TombstoneRow] {
    try read { db in
      try TombstoneRow.fetchAll(
        db, sql: "SELECT * FROM tombstone WHERE kind = 'delete' ORDER BY deleted_at, asset_id")
    }
  }

  /// The assets `source` (or every source bank) retracted, as the national bank last heard of
  /// them, oldest first: what the national bank's reports count as retracted.
  public func retractedContributions(source: String? = nil) throws(CatalogError) -> [ContributionRow] {
    try read { db in
      try ContributionRow.fetchAll(
        db,
        sql: """
          SELECT * FROM contribution WHERE retraction IS NOT NULL AND (?1 IS NULL OR source = ?1)
          ORDER BY received_at, source, asset_id
          """, arguments: [source])
    }
  }
}
