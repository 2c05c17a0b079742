import GRDB

extension Catalog {
  /// The records (not retracted) that other banks contributed of the assets whose id starts with
  /// `prefix` (`sha256:` and lowercase hex digits), every source's, oldest first: one row per
  /// source and asset (the national bank keeps each province's record of the same content).
  public func contributions(assetIdPrefix prefix: String) throws(CatalogError) -> [ContributionRow] {
    try read { db in
      // A range on the primary key's second column has an index (contribution_by_asset); `g` comes
      // after every hex digit.
      try ContributionRow.fetchAll(
        db,
        sql: """
          SELECT * FROM contribution
          WHERE record IS NOT NULL AND asset_id >= ?1 AND asset_id < ?1 || 'g'
          ORDER BY received_at, source, asset_id
          """, arguments: [prefix])
    }
  }
}
