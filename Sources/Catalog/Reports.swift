import GRDB

/// Contributions that the national report counts alike: from one source, received in one year,
/// of one kind, with the same confirmed national pillars and languages.
public struct ContributionTally: Equatable, Sendable {
  public var source: String
  /// The year they were received (`2026`).
  public var receivedYear: String
  public var kind: String
  /// The codes of their confirmed pillars, a sub-pillar as the pillar it rolls up to (its
  /// record's `parent`), each once.
  public var pillars: [String]
  /// Their confirmed language tags, in lower case, each once.
  public var languages: [String]
  /// How many contributions.
  public var count: Int
}

extension Catalog {
  /// The contributions not retracted, grouped as ``ContributionTally`` says: the national report
  /// reads a few thousand groups, from the table `contribution_tally` that triggers keep as
  /// records are received (Storage/catalog.md), instead of a million records.
  public func contributionTallies() throws(CatalogError) -> [ContributionTally] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT source, received_year, kind, pillars, languages, count(*) FROM contribution_tally
          GROUP BY source, received_year, kind, pillars, languages
          """
      ).map { row in
        func words(_ index: Int) -> [String] { (row[index] as String).split(separator: " ").map(String.init) }
        return ContributionTally(
          source: row[0], receivedYear: row[1], kind: row[2], pillars: words(3), languages: words(4), count: row[5])
      }
    }
  }

  /// How many contributions not retracted each source bank has, by source.
  public func contributionCounts() throws(CatalogError) -> [String: Int] {
    try read { db in
      var counts: [String: Int] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT source, count(*) FROM contribution_tally GROUP BY source") {
        counts[row[0]] = row[1]
      }
      return counts
    }
  }

  /// How many distinct assets the contributions not retracted and received by the end of `year`
  /// are of: an asset several provinces sent counts once. Read from `contribution_tally`'s index.
  public func distinctContributedAssets(receivedBy year: Int) throws(CatalogError) -> Int {
    try read { db in
      try Int.fetchOne(
        db, sql: "SELECT count(DISTINCT asset_id) FROM contribution_tally WHERE received_year <= ?",
        arguments: [String(year)]) ?? 0
    }
  }

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
